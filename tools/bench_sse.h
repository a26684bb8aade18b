// `exemplar bench sse`: see bench_sse.cc.
#pragma once

#include <cstddef>
#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct BenchSseOptions {
  int subscribers = 1000;            // concurrent SSE connections
  int rate = 1000;                   // events appended per second
  int seconds = 10;                  // length of the load
  int appenders = 16;                // threads sharing the paced load
  size_t payload_bytes = 100;        // bytes of payload per event
  int poll_ms = 10;                  // SseOptions::poll_interval
  std::string scratch_dir = "/tmp";  // where the bench store lives
};

// Prints delivery latency and memory figures; returns the process exit
// code (1 when a subscriber missed an event or the setup failed).
int RunBenchSse(const BenchSseOptions& options);

// Registers `bench sse`.
void AddBenchSseCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
