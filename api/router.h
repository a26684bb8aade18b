// Routes a request to its handler by method and path pattern. Handlers map a
// request to a response and do no socket I/O; they may block (an append
// waits for its fsync), so the server runs them off the I/O threads.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.h"

namespace exemplar::api {

// Values of the `{name}` segments of the matched pattern, and the query.
struct RouteParams {
  std::map<std::string, std::string> path;
  std::map<std::string, std::string> query;  // percent-decoded
};

// Returns a Response, or a Reply that streams its body (see StreamBody).
using Handler = std::function<Reply(const Request&, const RouteParams&)>;

class Router {
 public:
  // `pattern` is a path like "/v1/streams/{id}"; a `{name}` segment matches
  // one non-empty segment.
  void Add(http::verb method, std::string pattern, Handler handler);

  // Runs the matching handler; 404 for an unknown path, 405 for a known path
  // with another method.
  Reply Dispatch(const Request& request) const;

  // Every registered (method, pattern), for the OpenAPI check.
  std::vector<std::pair<http::verb, std::string>> routes() const;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

// Splits "a=1&b=x%20y" into decoded pairs; false on a bad escape.
bool ParseQuery(std::string_view query,
                std::map<std::string, std::string>* out);

}  // namespace exemplar::api
