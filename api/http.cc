#include "api/http.h"

namespace exemplar::api {

Response JsonResponse(const Request& request, http::status status,
                      const nlohmann::json& body) {
  Response response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  response.body() = body.dump();
  response.prepare_payload();
  return response;
}

Response Problem(const Request& request, http::status status,
                 const std::string& type, const std::string& detail,
                 const std::string& field) {
  nlohmann::json body = {{"type", type},
                         {"title", std::string(http::obsolete_reason(status))},
                         {"status", static_cast<int>(status)},
                         {"detail", detail}};
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
    case StatusCode::kVersionConflict:
      return Problem(request, http::status::precondition_failed,
                     "version_conflict", status.message());
    case StatusCode::kIdempotencyReused:
      return Problem(request, http::status::unprocessable_entity,
                     "idempotency_key_reused", status.message());
    case StatusCode::kRejected:
      return Problem(request, http::status::unprocessable_entity,
                     status.reason(), status.message(), status.field());
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
