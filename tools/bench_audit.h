// `exemplar bench audit`: see bench_audit.cc.
#pragma once

#include <cstddef>
#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct BenchAuditOptions {
  int events = 1000000;              // events in each of the two stores
  int clients = 32;                  // concurrent appenders
  size_t payload_bytes = 400;        // bytes of payload per event
  int rounds = 4;                    // alternations of tree on and off
  int proofs = 10000;                // proofs of each kind timed
  std::string scratch_dir = "/tmp";  // where the bench stores live
};

// Prints append throughput with and without the Merkle tree and the tree's
// cost, whole-store verify throughput, and inclusion and consistency proof
// latencies; returns the process exit code.
int RunBenchAudit(const BenchAuditOptions& options);

// Registers `bench audit`.
void AddBenchAuditCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
