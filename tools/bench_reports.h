// The reports' part of `exemplar bench projections`: each report live (on
// a still log, then with an exemplar's events folded before each query),
// and lists, ledger pages and reports as of random past positions and
// dates, with their latency percentiles.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "engine/workflow/authority.h"
#include "events/status.h"
#include "projections/projections.h"

namespace exemplar::tools {

struct ReportBenchOptions {
  int live_queries = 200;                  // per report, live
  int past_queries = 50;                   // per query kind, as of the past
  std::uint64_t head = 0;                  // the log's last position
  std::int64_t first_us = 0, last_us = 0;  // the span of the log's times
  // Appends one more exemplar's events and waits until the projections
  // have folded them: between the live reports timed while the log grows.
  std::function<Status()> write;
};

// Prints one line per report and kind of query; false when one failed.
bool BenchReports(const projections::Projections& projections,
                  const std::shared_ptr<const Authority>& tree,
                  const ReportBenchOptions& options);

}  // namespace exemplar::tools
