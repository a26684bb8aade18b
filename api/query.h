// Reading typed values out of a request's query parameters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/router.h"

namespace exemplar::api {

// An unsigned integer parameter; `fallback` when absent. kInvalidArgument
// naming the parameter when it is not a non-negative integer.
Result<std::uint64_t> QueryNumber(const RouteParams& params,
                                  const std::string& name,
                                  std::uint64_t fallback);

// The parameter's text; "" when absent.
std::string QueryText(const RouteParams& params, const std::string& name);

// A comma-separated list parameter, "a,b,,c" → {"a", "b", "c"}; empty when
// absent.
std::vector<std::string> QueryList(const RouteParams& params,
                                   const std::string& name);

// Like QueryNumber, but absence is an error too.
Result<std::uint64_t> RequiredNumber(const RouteParams& params,
                                     const std::string& name);

}  // namespace exemplar::api
