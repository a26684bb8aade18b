// Reading typed values out of a request's query parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"
#include "projections/projections.h"

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

// A `true`/`false` parameter; nullopt when absent.
Result<std::optional<bool>> QueryFlag(const RouteParams& params,
                                      const std::string& name);

// An RFC 3339 time or a bare date (its local start) at `utc_offset`
// minutes east of UTC, in UTC microseconds; 0 when absent.
Result<std::int64_t> QueryInstant(const RouteParams& params,
                                  const std::string& name, int utc_offset);

// Where a query travels to: `as_of_position`, `as_of` (QueryInstant) or
// `as_of_day` (the end of that local day; not with `as_of`).
Result<projections::AsOf> QueryAsOf(const RouteParams& params, int utc_offset);

}  // namespace exemplar::api
