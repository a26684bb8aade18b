#include "api/process_metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace exemplar::api {
namespace {

// The fields of /proc/self/stat after the command name, so that index 0 is
// field 3 of proc(5) (the state).
std::optional<std::vector<std::string>> StatFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // The command name is in parentheses and may itself hold spaces or ')'.
  const std::size_t name_end = line.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(name_end + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// Seconds since the epoch at which the machine booted (/proc/stat "btime").
std::optional<double> BootTime() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double seconds = 0;
      if (in >> seconds) return seconds;
      return std::nullopt;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

// A figure of `read`, as a family of one unlabelled sample or none.
std::function<std::vector<Metrics::LabelledValue>()> Sample(
    std::function<std::optional<double>()> read) {
  return [read = std::move(read)] {
    std::optional<double> value = read();
    if (!value) return std::vector<Metrics::LabelledValue>();
    return std::vector<Metrics::LabelledValue>{{"", *value}};
  };
}

}  // namespace

std::optional<ProcessStats> ReadProcessStats() {
  // proc(5): utime 14, stime 15, starttime 22 (clock ticks), rss 24 (pages).
  constexpr std::size_t kUtime = 14 - 3, kStime = 15 - 3, kStart = 22 - 3,
                        kRss = 24 - 3;
  auto fields = StatFields();
  auto boot = BootTime();
  if (!fields || fields->size() <= kRss || !boot) return std::nullopt;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  try {
    ProcessStats stats;
    stats.cpu_seconds =
        (std::stod((*fields)[kUtime]) + std::stod((*fields)[kStime])) / ticks;
    stats.resident_bytes = std::stod((*fields)[kRss]) * page;
    stats.start_time_seconds = *boot + std::stod((*fields)[kStart]) / ticks;
    return stats;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> CountOpenFds() {
  std::error_code error;
  std::filesystem::directory_iterator fds("/proc/self/fd", error);
  if (error) return std::nullopt;
  double count = 0;
  for (auto it = begin(fds); it != end(fds); it.increment(error)) {
    if (error) return std::nullopt;
    ++count;
  }
  return count;
}

void RegisterProcessMetrics(Metrics& metrics) {
  auto stat = [](double ProcessStats::*figure) {
    return Sample([figure]() -> std::optional<double> {
      auto stats = ReadProcessStats();
      if (!stats) return std::nullopt;
      return (*stats).*figure;
    });
  };
  metrics.RegisterFamily("process_cpu_seconds_total", "counter",
                         "User and system CPU time spent, in seconds.", "",
                         stat(&ProcessStats::cpu_seconds));
  metrics.RegisterFamily("process_resident_memory_bytes", "gauge",
                         "Resident memory size, in bytes.", "",
                         stat(&ProcessStats::resident_bytes));
  metrics.RegisterFamily("process_start_time_seconds", "gauge",
                         "Start time of the process since the Unix epoch, "
                         "in seconds.",
                         "", stat(&ProcessStats::start_time_seconds));
  metrics.RegisterFamily("process_open_fds", "gauge", "Open file descriptors.",
                         "", Sample(&CountOpenFds));
}

}  // namespace exemplar::api
