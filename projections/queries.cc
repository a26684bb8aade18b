#include "projections/queries.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "events/civil_date.h"
#include "projections/report_columns.h"

namespace exemplar::projections {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// Floor division, for instants before the epoch.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

bool ReadScope::Covers(const std::string& unit_id) const {
  if (unrestricted()) return true;
  return std::any_of(roots.begin(), roots.end(), [&](const std::string& root) {
    return tree->IsWithin(unit_id, root, at_us);
  });
}

std::string FormatInstant(std::int64_t unix_us, int offset) {
  if (unix_us == 0) return {};
  const std::int64_t local_us =
      unix_us + static_cast<std::int64_t>(offset) * 60 * kMicrosPerSecond;
  const std::int64_t days = FloorDiv(local_us, kMicrosPerDay);
  const std::int64_t seconds_of_day =
      (local_us - days * kMicrosPerDay) / kMicrosPerSecond;
  const CivilDate date{static_cast<std::int32_t>(days)};
  char buffer[64];
  const int magnitude = offset < 0 ? -offset : offset;
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d%c%02d:%02d",
                date.ToString().c_str(),
                static_cast<int>(seconds_of_day / 3600),
                static_cast<int>(seconds_of_day / 60 % 60),
                static_cast<int>(seconds_of_day % 60), offset < 0 ? '-' : '+',
                magnitude / 60, magnitude % 60);
  return buffer;
}

Result<std::int64_t> ParseInstant(std::string_view text, int offset) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "expected a date (2025-06-30) or an RFC 3339 time "
        "(2025-06-30T23:59:59+07:00), got \"" +
            std::string(text) + "\"",
        "until");
  };
  if (text.size() < 10) return bad();
  Result<CivilDate> date = CivilDate::Parse(text.substr(0, 10));
  if (!date.ok()) return bad();
  if (text.size() == 10) return date->StartUnixMicros(offset);
  unsigned hour = 0, minute = 0, second = 0;
  int consumed = 0;
  const std::string rest(text.substr(10));
  if (std::sscanf(rest.c_str(), "T%2u:%2u:%2u%n", &hour, &minute, &second,
                  &consumed) != 3 ||
      consumed != 9 || hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  std::string_view tail = std::string_view(rest).substr(9);
  std::int64_t micros = 0;
  if (!tail.empty() && tail[0] == '.') {
    std::int64_t scale = 100000;
    std::size_t i = 1;
    for (; i < tail.size() && tail[i] >= '0' && tail[i] <= '9'; ++i) {
      micros += (tail[i] - '0') * scale;
      scale /= 10;
    }
    if (i == 1) return bad();
    tail.remove_prefix(i);
  }
  int zone_minutes = 0;
  if (tail == "Z" || tail == "z") {
    zone_minutes = 0;
  } else {
    unsigned zone_hour = 0, zone_minute = 0;
    const std::string zone(tail);
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
        std::sscanf(zone.c_str() + 1, "%2u:%2u", &zone_hour, &zone_minute) !=
            2) {
      return bad();
    }
    zone_minutes = static_cast<int>(zone_hour * 60 + zone_minute);
    if (zone[0] == '-') zone_minutes = -zone_minutes;
  }
  const std::int64_t local_seconds =
      static_cast<std::int64_t>(hour) * 3600 + minute * 60 + second;
  return date->StartUnixMicros(zone_minutes) +
         local_seconds * kMicrosPerSecond + micros;
}

Result<std::int64_t> EndOfDay(std::string_view date, int offset) {
  Result<CivilDate> day = CivilDate::Parse(date);
  if (date.size() != 10 || !day.ok()) {
    return Status::InvalidArgument(
        "expected a date (2025-06-30), got \"" + std::string(date) + "\"",
        "as_of_day");
  }
  return day->StartUnixMicros(offset) + kMicrosPerDay - 1;
}

nlohmann::json ToJson(const ExemplarRow& row, int offset) {
  static const ExemplarListPage kNoPage;
  return JsonRow(ExemplarColumns(), kNoPage, row, offset);
}

nlohmann::json ToJson(const ExemplarListPage& page, int offset) {
  nlohmann::json items = nlohmann::json::array();
  for (const ExemplarRow& row : page.items)
    items.push_back(ToJson(row, offset));
  return {{"items", items},
          {"next_cursor", page.next_cursor.empty()
                              ? nlohmann::json(nullptr)
                              : nlohmann::json(page.next_cursor)},
          {"position", page.position}};
}

nlohmann::json ToJson(const LedgerRow& row, int offset) {
  static const LedgerPage kNoPage;
  return JsonRow(LedgerColumns(), kNoPage, row, offset);
}

nlohmann::json ToJson(const LedgerPage& page, int offset) {
  nlohmann::json rows = nlohmann::json::array();
  for (const LedgerRow& row : page.rows) rows.push_back(ToJson(row, offset));
  return {
      {"rows", rows},
      {"next_after_position", page.next_after_position == 0
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json(page.next_after_position)},
      {"position", page.position}};
}

nlohmann::json ToJson(const QuotaReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const QuotaRow& row : report.rows) {
    rows.push_back(JsonRow(QuotaColumns(), report, row, 0));
  }
  return {{"year", report.year},
          {"unit_id", report.unit_id},
          {"rows", rows},
          {"position", report.position}};
}

nlohmann::json ToJson(const DeadlineReport& report, int offset) {
  nlohmann::json rows = nlohmann::json::array();
  for (const DeadlineRow& row : report.rows) {
    rows.push_back(JsonRow(DeadlineColumns(), report, row, offset));
  }
  nlohmann::json blocs = nlohmann::json::array();
  for (std::size_t i = 0; i < report.lead_blocs.size(); ++i) {
    const Label& label = report.lead_bloc_labels.at(i);
    blocs.push_back(
        {{"value", report.lead_blocs[i]}, {"vi", label.vi}, {"en", label.en}});
  }
  return {{"year", report.year},
          {"quarter", report.quarter},
          {"due_before", report.due_before},
          {"lead_blocs", report.lead_blocs},
          {"lead_bloc_choices", std::move(blocs)},
          {"rows", rows},
          {"position", report.position}};
}

nlohmann::json ToJson(const FollowUpReport& report, int offset) {
  nlohmann::json items = nlohmann::json::array();
  for (const FollowUpItem& item : report.items) {
    items.push_back(JsonRow(FollowUpColumns(), report, item, offset));
  }
  nlohmann::json priority = nlohmann::json::array();
  for (const PriorityShare& share : report.priority) {
    priority.push_back(
        {{"flag", share.flag}, {"count", share.count}, {"share", share.share}});
  }
  return {{"as_of", Instant(report.as_of_us, offset)},
          {"no_mentor_days", report.no_mentor_days},
          {"items", items},
          {"total", report.total},
          {"priority", priority},
          {"position", report.position}};
}

nlohmann::json ToJson(const RetentionReport& report, int offset) {
  nlohmann::json items = nlohmann::json::array();
  for (const RetentionItem& item : report.items) {
    items.push_back(JsonRow(RetentionColumns(), report, item, offset));
  }
  return {{"due_by", report.due_by},
          {"items", items},
          {"position", report.position}};
}

nlohmann::json ToJson(const UnitNode& unit) {
  nlohmann::json children = nlohmann::json::array();
  for (const UnitNode& child : unit.children) children.push_back(ToJson(child));
  return {{"id", unit.id},
          {"name", unit.name},
          {"level", unit.level},
          {"parent_id", unit.parent_id},
          {"open", unit.open},
          {"in_scope", unit.in_scope},
          {"predecessors", unit.predecessors},
          {"successors", unit.successors},
          {"ended_by", unit.ended_by.empty() ? nlohmann::json(nullptr)
                                             : nlohmann::json(unit.ended_by)},
          {"former_names", unit.former_names},
          {"children", children}};
}

nlohmann::json ToJson(const UserInfo& user, int offset) {
  nlohmann::json grants = nlohmann::json::array();
  for (const GrantInfo& grant : user.grants) {
    grants.push_back({{"id", grant.id},
                      {"role", grant.role},
                      {"unit_id", grant.unit_id},
                      {"valid_from", Instant(grant.valid_from_us, offset)},
                      {"valid_to", Instant(grant.valid_to_us, offset)},
                      {"revoked_at", Instant(grant.revoked_at_us, offset)},
                      {"valid_now", grant.valid_now}});
  }
  return {{"id", user.id},
          {"full_name", user.full_name},
          {"home_unit_id", user.home_unit_id},
          {"active", user.active},
          {"grants", grants}};
}

}  // namespace exemplar::projections
