#include "api/query.h"

#include <charconv>
#include <sstream>

#include "projections/queries.h"

namespace exemplar::api {

std::string QueryText(const RouteParams& params, const std::string& name) {
  auto found = params.query.find(name);
  return found == params.query.end() ? std::string() : found->second;
}

std::vector<std::string> QueryList(const RouteParams& params,
                                   const std::string& name) {
  std::vector<std::string> items;
  std::istringstream text(QueryText(params, name));
  for (std::string item; std::getline(text, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

Result<std::uint64_t> ParseNumber(std::string_view text,
                                  const std::string& name, std::uint64_t min,
                                  std::uint64_t max) {
  std::uint64_t value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return Status::InvalidArgument(name + " must be an integer from " +
                                       std::to_string(min) + " to " +
                                       std::to_string(max),
                                   name);
  }
  return value;
}

Result<std::uint64_t> QueryNumber(const RouteParams& params,
                                  const std::string& name,
                                  std::uint64_t fallback, std::uint64_t min,
                                  std::uint64_t max) {
  auto it = params.query.find(name);
  if (it == params.query.end()) return fallback;
  return ParseNumber(it->second, name, min, max);
}

Result<std::uint64_t> RequiredNumber(const RouteParams& params,
                                     const std::string& name, std::uint64_t min,
                                     std::uint64_t max) {
  if (!params.query.count(name)) {
    return Status::InvalidArgument(name + " is required", name);
  }
  return QueryNumber(params, name, 0, min, max);
}

Result<std::optional<bool>> QueryFlag(const RouteParams& params,
                                      const std::string& name) {
  std::string text = QueryText(params, name);
  if (text.empty()) return std::optional<bool>();
  if (text == "true") return std::optional<bool>(true);
  if (text == "false") return std::optional<bool>(false);
  return Status::InvalidArgument(name + " must be true or false", name);
}

Result<std::int64_t> QueryInstant(const RouteParams& params,
                                  const std::string& name, int utc_offset) {
  std::string text = QueryText(params, name);
  if (text.empty()) return std::int64_t{0};
  auto instant = projections::ParseInstant(text, utc_offset);
  if (!instant.ok()) {
    return Status::InvalidArgument(
        name + " must be an RFC 3339 time or a date (YYYY-MM-DD)", name);
  }
  return *instant;
}

namespace {

// `as_of_day=2025-06-30`: the end of that local day, where `as_of` with a
// bare date is its start.
Result<std::int64_t> QueryEndOfDay(const RouteParams& params, int utc_offset) {
  std::string day = QueryText(params, "as_of_day");
  if (day.empty()) return std::int64_t{0};
  if (!QueryText(params, "as_of").empty()) {
    return Status::InvalidArgument("give as_of or as_of_day, not both",
                                   "as_of_day");
  }
  auto end = projections::EndOfDay(day, utc_offset);
  if (!end.ok()) {
    return Status::InvalidArgument("as_of_day must be a date (YYYY-MM-DD)",
                                   "as_of_day");
  }
  return *end;
}

}  // namespace

Result<projections::AsOf> QueryAsOf(const RouteParams& params, int utc_offset) {
  projections::AsOf as_of;
  auto position = QueryNumber(params, "as_of_position", 0);
  if (!position.ok()) return position.status();
  auto time = QueryInstant(params, "as_of", utc_offset);
  if (!time.ok()) return time.status();
  auto end_of_day = QueryEndOfDay(params, utc_offset);
  if (!end_of_day.ok()) return end_of_day.status();
  as_of.position = *position;
  as_of.time_us = *time != 0 ? *time : *end_of_day;
  return as_of;
}

}  // namespace exemplar::api
