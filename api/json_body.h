// Reading a request's JSON body, refusing anything else with the problem
// that says why: unsupported_media_type (415), invalid_utf8 (400),
// malformed_json (400, also for arrays and objects nested deeper than 64
// levels), or a body that is not an object (422 validation_failed).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "api/http.h"

namespace exemplar::api {

// Parses the body into `*out` and returns nullopt, or returns the problem
// response. An empty body reads as {} whatever its content type, so an
// action without fields needs no body. A non-empty body must be declared
// application/json (or a +json type).
std::optional<Response> ParseJsonObject(const Request& request,
                                        nlohmann::json* out);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);

}  // namespace exemplar::api
