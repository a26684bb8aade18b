#include "tools/serve_sse.h"

namespace exemplar::tools {
namespace {

void AddMillisecondsFlag(CLI::App& serve, const std::string& name,
                         std::chrono::milliseconds& value,
                         const std::string& description) {
  serve
      .add_option_function<std::int64_t>(
          name,
          [&value](std::int64_t ms) { value = std::chrono::milliseconds(ms); },
          description + " (default " + std::to_string(value.count()) + ")")
      ->check(CLI::PositiveNumber);
}

}  // namespace

void AddSseFlags(CLI::App& serve, api::SseOptions& options) {
  AddMillisecondsFlag(serve, "--sse-heartbeat-ms", options.heartbeat_interval,
                      "Event stream heartbeat interval in ms");
  AddMillisecondsFlag(serve, "--sse-stall-ms", options.stall_timeout,
                      "Drop an event stream whose write queue stays full "
                      "this long, in ms");
  AddMillisecondsFlag(serve, "--sse-final-write-ms",
                      options.final_write_timeout,
                      "Time allowed for an event stream's final event, in ms");
  serve
      .add_option("--sse-max-subscribers", options.max_subscribers,
                  "Most open event streams")
      ->capture_default_str();
  serve
      .add_option("--sse-queue-bytes", options.max_queued_bytes,
                  "Bytes queued per event stream before it waits")
      ->capture_default_str();
}

}  // namespace exemplar::tools
