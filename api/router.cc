#include "api/router.h"

#include <algorithm>
#include <future>

#include "api/json_body.h"

namespace exemplar::api {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool PercentDecode(std::string_view text, std::string* out) {
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out->push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return false;
      int value = 0;
      for (int k = 1; k <= 2; ++k) {
        char c = text[i + k];
        value <<= 4;
        if (c >= '0' && c <= '9')
          value |= c - '0';
        else if (c >= 'a' && c <= 'f')
          value |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
          value |= c - 'A' + 10;
        else
          return false;
      }
      out->push_back(static_cast<char>(value));
      i += 2;
    } else {
      out->push_back(text[i]);
    }
  }
  return true;
}

// RFC 9112 request targets are printable ASCII; anything else (a raw byte
// of 0x80 or more, a control character) is refused before it is echoed.
bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

}  // namespace

bool ParseQuery(std::string_view query,
                std::map<std::string, std::string>* out) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), &key) || !IsValidUtf8(key)) {
      return false;
    }
    if (eq != std::string_view::npos &&
        (!PercentDecode(pair.substr(eq + 1), &value) || !IsValidUtf8(value))) {
      return false;
    }
    (*out)[key] = value;
  }
  return true;
}

void Router::Add(http::verb method, std::string pattern, Handler handler,
                 RouteOptions options) {
  AddRoute(
      method, std::move(pattern),
      [handler = std::move(handler)](
          const Request& request, const RouteParams& params, Respond respond) {
        respond(handler(request, params));
      },
      std::move(options));
}

void Router::Add(http::verb method, std::string pattern, AsyncHandler handler,
                 Access access) {
  RouteOptions options(access);
  options.quick = [](const Request&, const RouteParams&) { return true; };
  AddRoute(method, std::move(pattern), std::move(handler), std::move(options));
}

void Router::Add(http::verb method, std::string pattern, AsyncHandler handler,
                 RouteOptions options) {
  AddRoute(method, std::move(pattern), std::move(handler), std::move(options));
}

void Router::AddRoute(http::verb method, std::string pattern,
                      AsyncHandler handler, RouteOptions options) {
  auto segments = SplitPath(pattern);
  routes_.push_back({method, std::move(pattern), std::move(segments),
                     std::move(handler), std::move(options)});
}

void Router::AddUpload(http::verb method, std::string pattern,
                       OpenBodySink open, std::uint64_t body_limit) {
  // Run (Dispatch, in process) takes the body already read, in one piece.
  const std::size_t index = routes_.size();
  AsyncHandler whole = [this, index](const Request& request,
                                     const RouteParams& params,
                                     Respond respond) {
    const Route* route = &routes_[index];
    auto opened = route->open_sink(request, params);
    if (auto* refusal = std::get_if<Response>(&opened)) {
      return respond(std::move(*refusal));
    }
    auto& sink = std::get<std::unique_ptr<BodySink>>(opened);
    if (request.body().size() > route->upload_limit) {
      return respond(Problem(
          request, http::status::payload_too_large, "document_too_large",
          "the body is larger than " + std::to_string(route->upload_limit) +
              " bytes"));
    }
    if (Status written = sink->Write(request.body()); !written.ok()) {
      return respond(ProblemFromStatus(request, written));
    }
    sink->Finish(std::move(respond));
  };
  AddRoute(method, std::move(pattern), std::move(whole), RouteOptions());
  routes_.back().open_sink = std::move(open);
  routes_.back().upload_limit = body_limit;
}

std::uint64_t Router::UploadLimit(const Request& head) const {
  // Asked of every request: most are answered without splitting the path.
  std::string_view target(head.target().data(), head.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  for (const Route& route : routes_) {
    if (route.upload_limit == 0 || route.method != head.method()) continue;
    if (route.pattern.find('{') == std::string::npos) {
      if (route.pattern == path) return route.upload_limit;
      continue;
    }
    if (segments.empty()) segments = SplitPath(path);
    if (route.segments.size() != segments.size()) continue;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      match = IsParameter(route.segments[i]) ? !segments[i].empty()
                                             : route.segments[i] == segments[i];
    }
    if (match) return route.upload_limit;
  }
  return 0;
}

std::variant<std::unique_ptr<BodySink>, Response> Router::OpenUpload(
    const Request& head, Matched* matched) const {
  if (matched->refusal) return std::move(*matched->refusal);
  const Route& route = routes_[matched->route];
  if (!route.open_sink) {
    return Problem(head, http::status::internal_server_error, "internal",
                   "not an upload route");
  }
  if (guard_) {
    if (auto refusal = guard_(head, matched->params.context)) {
      return std::move(*refusal);
    }
  }
  return route.open_sink(head, matched->params);
}

void Router::SetGuard(Guard guard) { guard_ = std::move(guard); }

Reply Router::Dispatch(const Request& request, RequestContext* context) const {
  Matched matched = Match(request, context ? *context : RequestContext{});
  std::promise<Reply> answered;
  auto reply = answered.get_future();
  Run(request, &matched,
      [&answered](Reply answer) { answered.set_value(std::move(answer)); });
  if (context) *context = std::move(matched.params.context);
  return reply.get();
}

Router::Matched Router::Match(const Request& request,
                              RequestContext context) const {
  Matched matched;
  matched.params.context = std::move(context);
  std::string_view target(request.target().data(), request.target().size());
  if (!IsPrintableAscii(target)) {
    matched.refusal = Problem(
        request, http::status::bad_request, "malformed_path",
        "the request target may hold printable ASCII only; percent-encode "
        "anything else");
    return matched;
  }
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  if (question != std::string_view::npos &&
      !ParseQuery(target.substr(question + 1), &matched.params.query)) {
    matched.refusal =
        Problem(request, http::status::bad_request, "malformed_query",
                "the query string has a bad percent escape or is not UTF-8");
    return matched;
  }
  if (path.empty() || path.front() != '/') {
    matched.refusal =
        Problem(request, http::status::bad_request, "malformed_path",
                "the request target must be an absolute path");
    return matched;
  }
  auto segments = SplitPath(path);
  bool path_known = false;
  for (size_t index = 0; index < routes_.size(); ++index) {
    const Route& route = routes_[index];
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> values;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      if (IsParameter(route.segments[i])) {
        std::string decoded;
        match = !segments[i].empty() && PercentDecode(segments[i], &decoded);
        if (match && !IsValidUtf8(decoded)) {
          matched.refusal =
              Problem(request, http::status::bad_request, "malformed_path",
                      "a path segment decodes to bytes that are not UTF-8");
          return matched;
        }
        values[route.segments[i].substr(1, route.segments[i].size() - 2)] =
            decoded;
      } else {
        match = route.segments[i] == segments[i];
      }
    }
    if (!match) continue;
    path_known = true;
    if (route.method != request.method()) continue;
    matched.route = index;
    matched.params.path = std::move(values);
    matched.params.context.route = route.pattern;
    matched.quick =
        route.options.quick && route.options.quick(request, matched.params);
    return matched;
  }
  if (path_known) {
    matched.refusal = Problem(
        request, http::status::method_not_allowed, "method_not_allowed",
        "this path does not accept " + std::string(request.method_string()));
  } else {
    matched.refusal = Problem(request, http::status::not_found, "not_found",
                              "no route for " + std::string(path));
  }
  return matched;
}

void Router::Run(const Request& request, Matched* matched,
                 Respond respond) const {
  if (matched->refusal) return respond(std::move(*matched->refusal));
  const Route& route = routes_[matched->route];
  if (guard_ && route.options.access == Access::kAuthenticated) {
    if (auto refusal = guard_(request, matched->params.context)) {
      return respond(std::move(*refusal));
    }
  }
  route.handler(request, matched->params, std::move(respond));
}

std::vector<std::pair<http::verb, std::string>> Router::routes() const {
  std::vector<std::pair<http::verb, std::string>> list;
  for (const Route& route : routes_)
    list.emplace_back(route.method, route.pattern);
  return list;
}

}  // namespace exemplar::api
