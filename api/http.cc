#include "api/http.h"

namespace exemplar::api {
namespace {

http::status RejectionStatus(const std::string& reason) {
  if (reason == "role_not_permitted" || reason == "not_authorised" ||
      reason == "not_in_scope" || reason == "user_inactive") {
    return http::status::forbidden;
  }
  if (reason == "ambiguous_role") return http::status::bad_request;
  if (reason == "exemplar_not_found" || reason == "unknown_unit" ||
      reason == "unknown_user" || reason == "unknown_grant" ||
      reason == "unknown_campaign") {
    return http::status::not_found;
  }
  return http::status::unprocessable_entity;
}

}  // namespace

Response JsonResponse(const Request& request, http::status status,
                      const nlohmann::json& body) {
  Response response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  // Text a client sent may be echoed here (an id, a field name); invalid
  // UTF-8 in it becomes U+FFFD rather than an exception mid-request.
  response.body() =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.prepare_payload();
  return response;
}

Response Problem(const Request& request, http::status status,
                 const std::string& type, const std::string& detail,
                 const std::string& field) {
  return Problem(request, status, type, detail, field,
                 nlohmann::json::object());
}

Response Problem(const Request& request, http::status status,
                 const std::string& type, const std::string& detail,
                 const std::string& field, const nlohmann::json& extra) {
  nlohmann::json body = extra;
  body.update(
      nlohmann::json{{"type", type},
                     {"title", std::string(http::obsolete_reason(status))},
                     {"status", static_cast<int>(status)},
                     {"detail", detail}});
  if (!field.empty()) body["field"] = field;
  Response response = JsonResponse(request, status, body);
  response.set(http::field::content_type, "application/problem+json");
  return response;
}

Response ProblemFromStatus(const Request& request, const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return Problem(request, http::status::bad_request, "validation_failed",
                     status.message(), status.field());
    case StatusCode::kNotFound:
      return Problem(request, http::status::not_found, "not_found",
                     status.message());
    case StatusCode::kVersionConflict: {
      nlohmann::json current = nullptr;
      if (status.number()) current = *status.number();
      return Problem(request, http::status::precondition_failed,
                     "version_conflict", status.message(), "",
                     {{"current_version", current}});
    }
    case StatusCode::kIdempotencyReused:
      return Problem(request, http::status::conflict, "idempotency_key_reused",
                     status.message(), "Idempotency-Key");
    case StatusCode::kRejected:
      return Problem(request, RejectionStatus(status.reason()), status.reason(),
                     status.message(), status.field());
    case StatusCode::kPermissionDenied:
      return Problem(request, http::status::forbidden, "forbidden",
                     status.message());
    case StatusCode::kUnavailable:
      return Problem(request, http::status::service_unavailable, "unavailable",
                     status.message());
    default:
      return Problem(request, http::status::internal_server_error,
                     StatusCodeName(status.code()), status.message());
  }
}

}  // namespace exemplar::api
