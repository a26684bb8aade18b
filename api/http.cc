#include "api/http.h"

#include <cctype>
#include <cstdlib>
#include <string_view>

#include "events/refusal_texts.h"

namespace exemplar::api {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// The weight of one Accept-Language item ("vi;q=0.8" is 0.8; none is 1).
double WeightOf(std::string_view parameters) {
  std::size_t q = parameters.find("q=");
  if (q == std::string_view::npos) return 1;
  std::string number(parameters.substr(q + 2, 5));
  return std::strtod(number.c_str(), nullptr);
}

// The primary language of a range, lower case: "vi-VN" is "vi".
std::string PrimaryLanguage(std::string_view range) {
  std::string out;
  for (char c : range.substr(0, range.find('-'))) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The problem body, its detail in the request's language: `vi` when the
// request prefers Vietnamese and there is one.
Response MakeProblem(const Request& request, http::status status,
                     const std::string& type, const std::string& detail,
                     const std::string& vi, const std::string& field,
                     const nlohmann::json& extra) {
  nlohmann::json body = extra;
  const bool vietnamese = !vi.empty() && PrefersVietnamese(request);
  body.update(
      nlohmann::json{{"type", type},
                     {"title", std::string(http::obsolete_reason(status))},
                     {"status", static_cast<int>(status)},
                     {"detail", vietnamese ? vi : detail}});
  if (!field.empty()) body["field"] = field;
  Response response = JsonResponse(request, status, body);
  response.set(http::field::content_type, "application/problem+json");
  response.set(http::field::content_language, vietnamese ? "vi" : "en");
  response.set(http::field::vary, "Accept-Language");
  return response;
}

std::string CatalogueVi(const std::string& type) {
  const RefusalText* entry = FindRefusalText(type);
  return entry == nullptr ? std::string() : std::string(entry->vi);
}

http::status RejectionStatus(const std::string& reason) {
  if (reason == "role_not_permitted" || reason == "not_authorised" ||
      reason == "not_in_scope" || reason == "user_inactive") {
    return http::status::forbidden;
  }
  if (reason == "ambiguous_role") return http::status::bad_request;
  if (reason == "exemplar_not_found" || reason == "unknown_unit" ||
      reason == "unknown_user" || reason == "unknown_grant" ||
      reason == "unknown_campaign" || reason == "unknown_reorganisation") {
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
  return MakeProblem(request, status, type, detail, CatalogueVi(type), field,
                     extra);
}

bool PrefersVietnamese(const Request& request) {
  auto header = request.find(http::field::accept_language);
  if (header == request.end()) return false;
  std::string_view ranges(header->value().data(), header->value().size());
  double vi = 0, en = 0;
  int order = 0, vi_order = 0, en_order = 0;
  while (!ranges.empty()) {
    ++order;
    std::size_t comma = ranges.find(',');
    std::string_view item = Trim(ranges.substr(0, comma));
    ranges = comma == std::string_view::npos ? std::string_view()
                                             : ranges.substr(comma + 1);
    std::size_t semicolon = item.find(';');
    std::string language = PrimaryLanguage(Trim(item.substr(0, semicolon)));
    double weight = semicolon == std::string_view::npos
                        ? 1
                        : WeightOf(item.substr(semicolon + 1));
    if (language == "vi" && weight > vi) {
      vi = weight;
      vi_order = order;
    } else if (language == "en" && weight > en) {
      en = weight;
      en_order = order;
    }
  }
  return vi > en || (vi > 0 && vi == en && vi_order < en_order);
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
      return MakeProblem(request, RejectionStatus(status.reason()),
                         status.reason(), status.message(),
                         status.text_vi().empty() ? CatalogueVi(status.reason())
                                                  : status.text_vi(),
                         status.field(), nlohmann::json::object());
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
