// Entity tags of stream versions: a command's success and an exemplar's
// view both carry `ETag: "<version>"`, the value a command's If-Match takes
// back (command_routes.h). Private to api/.
#pragma once

#include <cstdint>
#include <string>

#include "api/http.h"

namespace exemplar::api {

// The strong entity tag of stream version `version`: "\"3\"".
std::string VersionETag(std::uint64_t version);

// True when the request's If-None-Match names `etag` (weak comparison,
// RFC 9110 13.1.2) or is "*": the client's copy is current.
bool NoneMatchHolds(const Request& request, const std::string& etag);

// 304 Not Modified with `etag` and no body.
Response NotModified(const Request& request, const std::string& etag);

}  // namespace exemplar::api
