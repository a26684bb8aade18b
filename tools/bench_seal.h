// `exemplar bench seal`: what sealing personal data costs a command, and
// opening it a reader, measured alone on one thread.
#pragma once

#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct BenchSealOptions {
  int commands = 200000;             // detections sealed, each a new exemplar
  std::string scratch_dir = "/tmp";  // where the bench store (its vault) lives
  std::string workflow_path = EXEMPLAR_DEFAULT_WORKFLOW;
};

// Prints the figures; returns the process exit code.
int RunBenchSeal(const BenchSealOptions& options);

// Registers `bench seal`.
void AddBenchSealCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
