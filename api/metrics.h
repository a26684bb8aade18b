// Prometheus metrics in the text exposition format, served at GET /metrics:
// requests by route and status, a request latency histogram, the store's
// group commits (events appended, batch sizes, synced write latency), and
// values that other modules register (log head, subscribers, projection
// lag, the process, ...) which are read at scrape time, so no number is
// ever made up. Counters end in `_total`; one family holds what differs by
// a label only (`exemplar_projection_lag_events{projection="ledger"}`).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "api/router.h"
#include "engine/event_store.h"

namespace exemplar::api {

class Metrics {
 public:
  // Counts one answered request under its route pattern ("" when no route
  // matched) and status, and its latency.
  void RecordRequest(const std::string& route, int status,
                     std::chrono::microseconds latency);

  // Counts one synced group commit (wire to StoreOptions::on_batch_synced):
  // the counter exemplar_store_appended_events_total and the histograms
  // exemplar_store_batch_events and exemplar_fsync_seconds.
  void RecordSyncedBatch(const SyncedBatch& batch);

  // Registers a value read at each scrape: `name` (e.g.
  // "exemplar_log_head_position"), `type` "gauge" or "counter" (whose name
  // ends in "_total"), and the help line. Registering a name again replaces
  // it.
  void Register(const std::string& name, const std::string& type,
                const std::string& help, std::function<double()> read);

  // One sample of a labelled family: the label's value and the number.
  struct LabelledValue {
    std::string label_value;
    double value = 0;
  };
  // Registers a family whose samples differ by one label, read at each
  // scrape: `name{<label>="<label_value>"} <value>` for each value `read`
  // returns.
  void RegisterFamily(const std::string& name, const std::string& type,
                      const std::string& help, const std::string& label,
                      std::function<std::vector<LabelledValue>()> read);

  // The exposition text.
  std::string Render() const;

 private:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  // Upper bounds of the batch size buckets, in events.
  static constexpr std::array<double, 12> kBatchBuckets = {
      1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};
  // Upper bounds of the synced write buckets, in seconds: an SSD's fsync
  // takes well under a millisecond, a disk's or a loaded host's tens.
  static constexpr std::array<double, 12> kFsyncBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
      0.01,   0.025,   0.05,   0.1,   0.25,   1};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  static void Observe(const std::array<double, 12>& bounds, double value,
                      Histogram* histogram);
  static void RenderHistogram(const std::string& name, const std::string& help,
                              const std::array<double, 12>& bounds,
                              const Histogram& histogram, std::string* out);
  struct Registered {
    std::string type;
    std::string help;
    std::string label;  // empty: one unlabelled sample
    std::function<std::vector<LabelledValue>()> read;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  Histogram latency_;
  Histogram batches_;
  Histogram fsyncs_;
  std::uint64_t appended_events_ = 0;
  std::map<std::string, Registered> registered_;
};

// GET /metrics. `metrics` must outlive the router.
void AddMetricsRoute(Router& router, const Metrics& metrics);

}  // namespace exemplar::api
