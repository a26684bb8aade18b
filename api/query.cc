#include "api/query.h"

#include <charconv>
#include <sstream>

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

}  // namespace exemplar::api
