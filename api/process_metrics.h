// The standard process metrics of Prometheus client libraries, read from
// /proc/self at each scrape: CPU time, resident memory, open file
// descriptors and the start time.
#pragma once

#include <optional>

#include "api/metrics.h"

namespace exemplar::api {

struct ProcessStats {
  double cpu_seconds = 0;         // user and system, every thread
  double resident_bytes = 0;      // resident set size
  double start_time_seconds = 0;  // since the Unix epoch
};

// This process's figures from /proc/self/stat and /proc/stat; nullopt when
// they cannot be read or parsed (not Linux, /proc not mounted).
std::optional<ProcessStats> ReadProcessStats();

// File descriptors this process holds open (entries of /proc/self/fd);
// nullopt when it cannot be read.
std::optional<double> CountOpenFds();

// Registers process_cpu_seconds_total, process_resident_memory_bytes,
// process_open_fds and process_start_time_seconds. A figure that cannot be
// read is left out of the scrape rather than reported as 0.
void RegisterProcessMetrics(Metrics& metrics);

}  // namespace exemplar::api
