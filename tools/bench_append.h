// `exemplar bench append`: see bench_append.cc.
#pragma once

#include <cstddef>
#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct BenchAppendOptions {
  int clients = 32;                  // concurrent appenders
  int events = 200000;               // events in all, one per append
  size_t payload_bytes = 400;        // bytes of payload per event
  std::string scratch_dir = "/tmp";  // where the bench stores live
};

// Prints figures for the store and the raw RocksDB baseline; returns the
// process exit code.
int RunBenchAppend(const BenchAppendOptions& options);

// Registers `bench append`.
void AddBenchAppendCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
