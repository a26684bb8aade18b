// Reading typed values out of a request's query parameters.
#pragma once

#include <cstdint>

#include "api/router.h"

namespace exemplar::api {

// An unsigned integer parameter; `fallback` when absent. kInvalidArgument
// naming the parameter when it is not a non-negative integer.
Result<std::uint64_t> QueryNumber(const RouteParams& params,
                                  const std::string& name,
                                  std::uint64_t fallback);

// Like QueryNumber, but absence is an error too.
Result<std::uint64_t> RequiredNumber(const RouteParams& params,
                                     const std::string& name);

}  // namespace exemplar::api
