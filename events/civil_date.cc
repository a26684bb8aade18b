#include "events/civil_date.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace exemplar {
namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
constexpr std::int64_t kMicrosPerMinute = 60'000'000;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<CivilDate> CivilDate::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2))) {
    return Status::InvalidArgument("expected a date as YYYY-MM-DD, got \"" +
                                   std::string(text) + "\"");
  }
  int year = std::stoi(std::string(text.substr(0, 4)));
  unsigned month =
      static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  unsigned day =
      static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok() || year < 1900) {
    return Status::InvalidArgument("no such date: \"" + std::string(text) +
                                   "\"");
  }
  return FromYmd(year, month, day);
}

CivilDate CivilDate::FromYmd(int year, unsigned month, unsigned day) {
  std::chrono::sys_days days{std::chrono::year_month_day{
      std::chrono::year(year), std::chrono::month(month),
      std::chrono::day(day)}};
  return CivilDate{static_cast<std::int32_t>(days.time_since_epoch().count())};
}

CivilDate CivilDate::AtInstant(std::int64_t unix_us, int utc_offset_minutes) {
  std::int64_t local = unix_us + utc_offset_minutes * kMicrosPerMinute;
  return CivilDate{static_cast<std::int32_t>(FloorDiv(local, kMicrosPerDay))};
}

std::string CivilDate::ToString() const {
  std::chrono::year_month_day ymd{
      std::chrono::sys_days{std::chrono::days{days_since_epoch}}};
  char buffer[16];
  std::snprintf(
      buffer, sizeof(buffer), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

std::string CivilDate::QuarterName() const {
  std::chrono::year_month_day ymd{
      std::chrono::sys_days{std::chrono::days{days_since_epoch}}};
  const unsigned quarter = (static_cast<unsigned>(ymd.month()) - 1) / 3 + 1;
  return std::to_string(static_cast<int>(ymd.year())) + "-Q" +
         std::to_string(quarter);
}

std::int64_t CivilDate::StartUnixMicros(int utc_offset_minutes) const {
  return days_since_epoch * kMicrosPerDay -
         utc_offset_minutes * kMicrosPerMinute;
}

bool CivilDate::IsWeekend() const {
  std::chrono::weekday weekday{
      std::chrono::sys_days{std::chrono::days{days_since_epoch}}};
  return weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
}

void to_json(nlohmann::json& j, const CivilDate& date) { j = date.ToString(); }

void from_json(const nlohmann::json& j, CivilDate& date) {
  Result<CivilDate> parsed = CivilDate::Parse(j.get<std::string>());
  if (!parsed.ok()) throw std::invalid_argument(parsed.status().message());
  date = *parsed;
}

int WorkingDaysBetween(CivilDate from, CivilDate to) {
  int count = 0;
  for (CivilDate d = from; d < to; ++d.days_since_epoch) {
    if (!d.IsWeekend()) ++count;
  }
  return count;
}

}  // namespace exemplar
