// Routes a request to its handler by method and path pattern. Handlers map a
// request to a response and do no socket I/O. Most may block (a bounded
// wait, a replay), so the server runs them off the I/O threads; a route that
// only reads memory says so (RouteOptions::quick) and is answered on the I/O
// thread, saving two thread hand-overs per request. A route whose work ends
// in an append is asynchronous (AsyncHandler): it decides on the I/O thread
// and answers when the store calls back, so no thread waits for the fsync.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/http.h"
#include "events/status.h"

namespace exemplar::api {

// Who is asking and how the request is known: the session fills the
// request id and the remote address (the client's, behind a trusted proxy), the
// guard the authenticated user, and Dispatch the matched route, so the access
// log and metrics can name them.
struct RequestContext {
  std::string request_id;
  std::string remote_address;
  std::string user_id;     // empty until authenticated
  std::string route;       // the matched pattern; empty when none matched
  std::string token_id{};  // the bearer token's id; empty until authenticated
  std::int64_t token_expires_at_us = 0;  // the token's expiry; 0: never
  // The signed-in session's id when the cookie authenticated the request;
  // empty for a bearer token.
  std::string session_id{};
  // Whether the client reached the server over TLS: the trusted proxy's
  // X-Forwarded-Proto (api/forwarded.h).
  bool https = false;
};

// Values of the `{name}` segments of the matched pattern, the query, and the
// request's context.
struct RouteParams {
  std::map<std::string, std::string> path;
  std::map<std::string, std::string> query;  // percent-decoded
  RequestContext context;
};

// Returns a Response, or a Reply that streams its body (see StreamBody).
using Handler = std::function<Reply(const Request&, const RouteParams&)>;

// Answers a request: called exactly once, from any thread. The request and
// its RouteParams stay valid until then.
using Respond = std::function<void(Reply)>;

// A handler that answers through `respond`, at once or later from another
// thread. It runs on an I/O thread, so it must not block, unless added with
// RouteOptions that send it to the handler pool.
using AsyncHandler =
    std::function<void(const Request&, const RouteParams&, Respond)>;

// Takes a request's body a piece at a time as it arrives: a streamed upload,
// whose body is never held whole.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // The next piece of the body; a failure answers the request with it and
  // the rest of the body is not read.
  virtual Status Write(std::string_view bytes) = 0;
  // The body is whole: answers through `respond`. May block: runs on the
  // handler pool.
  virtual void Finish(Respond respond) = 0;
};

// Opens the sink for a request whose head (its body not read yet) passed
// the guard, or answers it at once with a refusal.
using OpenBodySink =
    std::function<std::variant<std::unique_ptr<BodySink>, Response>(
        const Request& head, const RouteParams& params)>;

// Whether a route needs the guard's consent.
enum class Access { kAuthenticated, kPublic };

struct RouteOptions {
  RouteOptions(Access access = Access::kAuthenticated) : access(access) {}

  Access access;
  // Whether a request with these parameters and headers may run on an I/O
  // thread: true only when the handler neither waits nor works for long (no
  // append, no bounded wait, no replay, no streamed export). Default: none,
  // so the request may block and runs on the handler pool.
  std::function<bool(const Request&, const RouteParams&)> quick;
};

// Runs before every kAuthenticated route: returns a response to refuse the
// request (e.g. 401), or nullopt to let it through, having filled in
// context.user_id.
using Guard =
    std::function<std::optional<Response>(const Request&, RequestContext&)>;

class Router {
 public:
  // `pattern` is a path like "/v1/streams/{id}"; a `{name}` segment matches
  // one non-empty segment. kAuthenticated routes pass the guard first.
  void Add(http::verb method, std::string pattern, Handler handler,
           RouteOptions options = {});
  // The same for an asynchronous handler; it always counts as quick.
  void Add(http::verb method, std::string pattern, AsyncHandler handler,
           Access access = Access::kAuthenticated);
  // An asynchronous handler that may block, before it answers or after
  // (one that streams a body it produces on its own thread once it has
  // answered with the head): on the handler pool, unless `options.quick`
  // says the request may run on an I/O thread.
  void Add(http::verb method, std::string pattern, AsyncHandler handler,
           RouteOptions options);

  // Installs the guard; without one every route is open (unit tests).
  void SetGuard(Guard guard);

  // A request matched against the routes, not yet run.
  struct Matched {
    RouteParams params;  // params.context.route names the route
    // The answer when nothing runs: 400 for a bad target, 404 for an
    // unknown path, 405 for a known path with another method.
    std::optional<Response> refusal;
    bool quick = false;  // may run on an I/O thread (RouteOptions::quick)
    std::size_t route = 0;
  };

  // Matches without running anything; `context` carries the request id and
  // remote address. Thread-safe once the routes are added.
  Matched Match(const Request& request, RequestContext context) const;

  // Runs a match: its refusal, or the guard (for a protected route) and
  // then the handler, which answers through `respond`. Fills
  // matched->params.context.user_id before the handler runs. `request` and
  // `*matched` must stay valid until `respond` is called.
  void Run(const Request& request, Matched* matched, Respond respond) const;

  // A streamed upload (always authenticated): its body, up to
  // `body_limit` bytes, goes to the sink `open` makes once the head passed
  // the guard, instead of the server's body limit and buffer.
  void AddUpload(http::verb method, std::string pattern, OpenBodySink open,
                 std::uint64_t body_limit);
  // The body limit of the upload route `head` (a request whose body is
  // not read yet) is for; 0 when it is for no upload route.
  std::uint64_t UploadLimit(const Request& head) const;
  // Opens the sink of a matched upload route, after the guard; a Response
  // refuses the request.
  std::variant<std::unique_ptr<BodySink>, Response> OpenUpload(
      const Request& head, Matched* matched) const;

  // Match and Run in one, waiting for the answer. `context`, when given,
  // goes in with the request id and remote address and comes back with the
  // user and the route.
  Reply Dispatch(const Request& request,
                 RequestContext* context = nullptr) const;

  // Every registered (method, pattern), for the OpenAPI check.
  std::vector<std::pair<http::verb, std::string>> routes() const;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    AsyncHandler handler;  // a synchronous Handler, wrapped
    RouteOptions options;
    OpenBodySink open_sink = nullptr;  // an upload route's
    std::uint64_t upload_limit = 0;    // an upload route's; 0 for others
  };
  void AddRoute(http::verb method, std::string pattern, AsyncHandler handler,
                RouteOptions options);
  std::vector<Route> routes_;
  Guard guard_;
};

// Splits "a=1&b=x%20y" into decoded pairs; false on a bad escape or when a
// decoded name or value is not UTF-8.
bool ParseQuery(std::string_view query,
                std::map<std::string, std::string>* out);

}  // namespace exemplar::api
