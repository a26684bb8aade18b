// Reading typed values out of a request's query parameters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"

namespace exemplar::api {

// The largest number a query parameter or header may carry (2^63 - 1, the
// largest a signed 64-bit client can send): positions and counts stay far
// below it, so arithmetic such as `after + 1` cannot wrap.
inline constexpr std::uint64_t kMaxQueryNumber = INT64_MAX;

// An unsigned integer parameter; `fallback` when absent. kInvalidArgument
// naming the parameter when it is not an integer in [min, max].
Result<std::uint64_t> QueryNumber(const RouteParams& params,
                                  const std::string& name,
                                  std::uint64_t fallback, std::uint64_t min = 0,
                                  std::uint64_t max = kMaxQueryNumber);

// `text` as an integer in [min, max]; kInvalidArgument naming `name`
// otherwise.
Result<std::uint64_t> ParseNumber(std::string_view text,
                                  const std::string& name, std::uint64_t min,
                                  std::uint64_t max);

// The parameter's text; "" when absent.
std::string QueryText(const RouteParams& params, const std::string& name);

// A comma-separated list parameter, "a,b,,c" → {"a", "b", "c"}; empty when
// absent.
std::vector<std::string> QueryList(const RouteParams& params,
                                   const std::string& name);

// Like QueryNumber, but absence is an error too.
Result<std::uint64_t> RequiredNumber(const RouteParams& params,
                                     const std::string& name,
                                     std::uint64_t min = 0,
                                     std::uint64_t max = kMaxQueryNumber);

}  // namespace exemplar::api
