// CivilDate: a calendar date without time zone ("2024-06-11"), as stored in
// event payloads (decision dates, visit dates, campaign periods), and the
// conversions between instants and local dates at a fixed UTC offset.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "events/status.h"

namespace exemplar {

struct CivilDate {
  std::int32_t days_since_epoch = 0;  // 1970-01-01 is 0

  auto operator<=>(const CivilDate&) const = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(days_since_epoch);
  }

  // Parses "YYYY-MM-DD" (a real date, years 1900..9999); kInvalidArgument
  // otherwise.
  static Result<CivilDate> Parse(std::string_view text);
  // The date from year, month (1-12) and day; the caller passes a real date.
  static CivilDate FromYmd(int year, unsigned month, unsigned day);
  // The local date of instant `unix_us` (UTC microseconds) at a fixed offset
  // of `utc_offset_minutes` east of UTC.
  static CivilDate AtInstant(std::int64_t unix_us, int utc_offset_minutes);

  // "YYYY-MM-DD".
  std::string ToString() const;
  // The quarter holding the date, as a period field writes it: "YYYY-Qn".
  std::string QuarterName() const;
  // The UTC instant, in microseconds, of local midnight at the given offset.
  std::int64_t StartUnixMicros(int utc_offset_minutes) const;
  // True for Saturday and Sunday.
  bool IsWeekend() const;
};

// JSON as "YYYY-MM-DD"; from_json throws std::invalid_argument on a bad
// date (callers catch it at their edge).
void to_json(nlohmann::json& j, const CivilDate& date);
void from_json(const nlohmann::json& j, CivilDate& date);

// Working days (Monday to Friday) d with from <= d < to; 0 when to <= from.
int WorkingDaysBetween(CivilDate from, CivilDate to);

}  // namespace exemplar
