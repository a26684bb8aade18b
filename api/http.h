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

// A problem response with extra members beside type, title, status, detail
// and field (e.g. "current_version").
Response Problem(const Request& request, http::status status,
                 const std::string& type, const std::string& detail,
                 const std::string& field, const nlohmann::json& extra);

// Maps a Status from the engine to the problem response that fits it:
// kRejected is 422 with the rule's reason as type, except the authority
// reasons (role_not_permitted, not_authorised, not_in_scope, user_inactive)
// which are 403 and the unknown-thing reasons which are 404;
// kVersionConflict is 412 with "current_version" (null: no stream);
// kIdempotencyReused is 409.
Response ProblemFromStatus(const Request& request, const Status& status);

}  // namespace exemplar::api
