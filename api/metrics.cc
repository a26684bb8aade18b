#include "api/metrics.h"

#include <fmt/format.h>

namespace exemplar::api {
namespace {

// A label value with backslash, quote and newline escaped.
std::string Escape(const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == '"') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped.push_back(c);
  }
  return escaped;
}

}  // namespace

void Metrics::RecordRequest(const std::string& route, int status,
                            std::chrono::microseconds latency) {
  const double seconds = latency.count() / 1e6;
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  ++latency_.count;
  latency_.sum_seconds += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++latency_.buckets[i];
  }
}

void Metrics::Register(const std::string& name, const std::string& type,
                       const std::string& help, std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mutex_);
  registered_[name] = Registered{type, help, std::move(read)};
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mutex_);
  out +=
      "# HELP exemplar_http_requests_total HTTP requests answered, by route "
      "pattern and status.\n# TYPE exemplar_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += fmt::format(
        "exemplar_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
        Escape(key.first.empty() ? "unmatched" : key.first), key.second, count);
  }
  out +=
      "# HELP exemplar_http_request_duration_seconds Time from a complete "
      "request to its response.\n# TYPE exemplar_http_request_duration_seconds "
      "histogram\n";
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    out += fmt::format(
        "exemplar_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
        kBuckets[i], latency_.buckets[i]);
  }
  out += fmt::format(
      "exemplar_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n"
      "exemplar_http_request_duration_seconds_sum {}\n"
      "exemplar_http_request_duration_seconds_count {}\n",
      latency_.count, latency_.sum_seconds, latency_.count);
  for (const auto& [name, metric] : registered_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, metric.help,
                       name, metric.type, name, metric.read());
  }
  return out;
}

void AddMetricsRoute(Router& router, const Metrics& metrics) {
  router.Add(http::verb::get, "/metrics",
             [&metrics](const Request& request, const RouteParams&) {
               Response response{http::status::ok, request.version()};
               response.set(http::field::content_type,
                            "text/plain; version=0.0.4");
               response.keep_alive(request.keep_alive());
               response.body() = metrics.Render();
               response.prepare_payload();
               return response;
             });
}

}  // namespace exemplar::api
