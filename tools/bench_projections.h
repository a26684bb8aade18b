// `exemplar bench projections`: rebuild throughput, restart-to-ready time,
// list-query latency and peak memory of the read models.
#pragma once

#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct BenchProjectionsOptions {
  int events = 1000000;              // workflow events in the generated log
  int exemplars = 0;                 // default events / 10
  int queries = 2000;                // list queries timed
  int live_queries = 200;            // each report timed live
  int past_queries = 50;             // each query timed as of the past
  std::string scratch_dir = "/tmp";  // where the bench store lives
  bool keep = false;  // leave the generated store there, for trials
  // Seal personal values as a server does, and open them in the read
  // models: the cost of encryption, against a run without.
  bool encrypt = false;
  std::string workflow_path = EXEMPLAR_DEFAULT_WORKFLOW;
};

// Generates the log, then prints the figures; returns the exit code.
int RunBenchProjections(const BenchProjectionsOptions& options);

// Registers `bench projections`.
void AddBenchProjectionsCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
