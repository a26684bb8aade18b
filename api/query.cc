#include "api/query.h"

#include <charconv>

namespace exemplar::api {

Result<std::uint64_t> QueryNumber(const RouteParams& params,
                                  const std::string& name,
                                  std::uint64_t fallback) {
  auto it = params.query.find(name);
  if (it == params.query.end()) return fallback;
  std::uint64_t value = 0;
  const std::string& text = it->second;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(name + " must be a non-negative integer",
                                   name);
  }
  return value;
}

Result<std::uint64_t> RequiredNumber(const RouteParams& params,
                                     const std::string& name) {
  if (!params.query.count(name)) {
    return Status::InvalidArgument(name + " is required", name);
  }
  return QueryNumber(params, name, 0);
}

}  // namespace exemplar::api
