// The HTTP types the API speaks, and problem+json errors (RFC 9457).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "events/status.h"

namespace exemplar::api {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The body of a long-lived response (Server-Sent Events): it takes the
// connection over from the session once the handler has returned, and
// writes the head and then the body as it is produced. The session neither
// reads from nor writes to the connection after the handoff.
class StreamBody {
 public:
  virtual ~StreamBody() = default;
  // Called once, on the connection's I/O thread, with the socket and the head
  // the handler chose (status and headers; its body is ignored).
  virtual void Start(boost::asio::ip::tcp::socket socket, Response head) = 0;
};

// What a handler answers: a whole response, or the head of one whose body
// `stream` writes over time. Implicit from Response, so a handler that
// returns a Response needs no change.
struct Reply {
  Reply(Response response) : response(std::move(response)) {}  // NOLINT
  Reply(Response head, std::shared_ptr<StreamBody> stream)
      : response(std::move(head)), stream(std::move(stream)) {}

  Response response;
  std::shared_ptr<StreamBody> stream;  // null for a whole response
};

// A JSON response with the request's HTTP version and keep-alive.
Response JsonResponse(const Request& request, http::status status,
                      const nlohmann::json& body);

// Whether the request asks for Vietnamese: of the languages vi and en, its
// Accept-Language weighs vi highest (ties go to the one named first). Any
// other request, one without the header included, gets English.
bool PrefersVietnamese(const Request& request);

// An application/problem+json response. `type` is the stable machine code
// (e.g. "malformed_json"); `field` names the offending input, if any.
// `detail` is the English detail; a request preferring Vietnamese gets the
// catalogue's Vietnamese text for `type` instead (events/refusal_texts.h).
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
// kIdempotencyReused is 409. A rule's refusal brings its own Vietnamese
// text (Status::text_vi).
Response ProblemFromStatus(const Request& request, const Status& status);

}  // namespace exemplar::api
