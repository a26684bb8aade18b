// `exemplar bench relay`: see bench_relay.cc.
#pragma once

#include <cstddef>
#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct BenchRelayOptions {
  // A running NATS server with JetStream (nats-server -js).
  std::string url = "nats://127.0.0.1:4222";
  int events = 100000;               // backlog relayed in the throughput run
  size_t payload_bytes = 400;        // bytes of payload per event
  int rate = 5000;                   // events/s appended in the lag run
  int seconds = 10;                  // length of the lag run
  int appenders = 32;                // threads appending in the lag run
  size_t max_in_flight = 1000;       // RelayOptions::max_in_flight
  std::string scratch_dir = "/tmp";  // where the bench stores live
};

// Prints relay throughput and end-to-end lag; returns the exit code.
int RunBenchRelay(const BenchRelayOptions& options);

// Registers `bench relay`.
void AddBenchRelayCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
