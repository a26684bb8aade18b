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
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  Observe(kBuckets, latency.count() / 1e6, &latency_);
}

void Metrics::RecordSyncedBatch(const SyncedBatch& batch) {
  const double seconds =
      std::chrono::duration<double>(batch.write_time).count();
  std::lock_guard<std::mutex> lock(mutex_);
  appended_events_ += batch.events;
  Observe(kBatchBuckets, static_cast<double>(batch.events), &batches_);
  Observe(kFsyncBuckets, seconds, &fsyncs_);
}

void Metrics::Observe(const std::array<double, 12>& bounds, double value,
                      Histogram* histogram) {
  ++histogram->count;
  histogram->sum += value;
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (value <= bounds[i]) ++histogram->buckets[i];
  }
}

void Metrics::RenderHistogram(const std::string& name, const std::string& help,
                              const std::array<double, 12>& bounds,
                              const Histogram& histogram, std::string* out) {
  *out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name, help, name);
  for (size_t i = 0; i < bounds.size(); ++i) {
    *out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, bounds[i],
                        histogram.buckets[i]);
  }
  *out +=
      fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n{}_sum {}\n{}_count {}\n", name,
                  histogram.count, name, histogram.sum, name, histogram.count);
}

void Metrics::Register(const std::string& name, const std::string& type,
                       const std::string& help, std::function<double()> read) {
  RegisterFamily(name, type, help, "", [read = std::move(read)] {
    return std::vector<LabelledValue>{{"", read()}};
  });
}

void Metrics::RegisterFamily(const std::string& name, const std::string& type,
                             const std::string& help, const std::string& label,
                             std::function<std::vector<LabelledValue>()> read) {
  std::lock_guard<std::mutex> lock(mutex_);
  registered_[name] = Registered{type, help, label, std::move(read)};
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
  RenderHistogram("exemplar_http_request_duration_seconds",
                  "Time from a complete request to its response.", kBuckets,
                  latency_, &out);
  out += fmt::format(
      "# HELP exemplar_store_appended_events_total Events appended by this "
      "process, counted when their group commit is durable.\n"
      "# TYPE exemplar_store_appended_events_total counter\n"
      "exemplar_store_appended_events_total {}\n",
      appended_events_);
  RenderHistogram("exemplar_store_batch_events",
                  "Events per synced group commit (one fsync each).",
                  kBatchBuckets, batches_, &out);
  RenderHistogram("exemplar_fsync_seconds",
                  "Time of each group commit's synced write (the write-ahead "
                  "log's append and fsync).",
                  kFsyncBuckets, fsyncs_, &out);
  for (const auto& [name, metric] : registered_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, metric.help, name,
                       metric.type);
    for (const LabelledValue& sample : metric.read()) {
      if (metric.label.empty()) {
        out += fmt::format("{} {}\n", name, sample.value);
      } else {
        out += fmt::format("{}{{{}=\"{}\"}} {}\n", name, metric.label,
                           Escape(sample.label_value), sample.value);
      }
    }
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
