// What the `exemplar bench` commands measure and print alike: percentiles
// of latencies, elapsed and CPU time, and peak memory.
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace exemplar::tools {

// The value at `fraction` (0.99 for p99) of sorted values; 0 when empty.
inline double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  size_t index = std::min(sorted.size() - 1,
                          static_cast<size_t>(fraction * sorted.size()));
  return sorted[index];
}

// The figures a bench prints of a set of latencies.
struct Spread {
  double p50 = 0;
  double p99 = 0;
  double p999 = 0;
  double max = 0;
};

// The spread of `values`, which it sorts.
inline Spread SpreadOf(std::vector<double>* values) {
  std::sort(values->begin(), values->end());
  return {Percentile(*values, 0.50), Percentile(*values, 0.99),
          Percentile(*values, 0.999), values->empty() ? 0 : values->back()};
}

// Microseconds from `since` to now.
inline double MicrosSince(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now() - since)
      .count();
}

// CPU seconds of every thread of the process so far, user and system,
// background RocksDB threads included.
inline double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds this thread has used: on a shared machine, wall time also
// counts the time others held the cores.
inline double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

// The process's peak resident memory so far.
inline long PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace exemplar::tools
