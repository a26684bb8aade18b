// The HTTP types the API speaks, and problem+json errors (RFC 9457).
#pragma once

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "events/status.h"

namespace exemplar::api {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A JSON response with the request's HTTP version and keep-alive.
Response JsonResponse(const Request& request, http::status status,
                      const nlohmann::json& body);

// An application/problem+json response. `type` is the stable machine code
// (e.g. "malformed_json"); `field` names the offending input, if any.
Response Problem(const Request& request, http::status status,
                 const std::string& type, const std::string& detail,
                 const std::string& field = {});

// Maps a Status from the engine to the problem response that fits it.
Response ProblemFromStatus(const Request& request, const Status& status);

}  // namespace exemplar::api
