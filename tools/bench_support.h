// What the `exemplar bench` commands share: their place on the command
// line, a scratch folder for their stores, and running appends from many
// client threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "engine/event_store.h"
#include "tools/bench_report.h"
#include "tools/command.h"

namespace exemplar::tools {

// Adds `bench <name>` to `app`.
CLI::App* AddBenchCommand(CLI::App& app, const std::string& name,
                          const std::string& description);

// Registers `--dir`, the scratch folder for the bench's stores.
void AddScratchOption(CLI::App* bench, std::string* scratch_dir);

// A folder of this process under `scratch_dir` named `prefix-<pid>`, left
// empty (absent).
std::filesystem::path ScratchFolder(const std::string& scratch_dir,
                                    const std::string& prefix);

// Removes `root`, prints `status` when it is a failure, and returns the
// process exit code.
int FinishBench(const std::filesystem::path& root, const Status& status);

// One event of `payload`, as the benches append it.
NewEvent BenchEvent(const std::string& payload, int client);

struct RunFigures {
  double seconds = 0;
  std::vector<double> latencies_us;  // sorted
};

// Runs `append_one(client, i)` for i in [0, count) split over `clients`
// threads, and gathers every call's latency.
template <typename AppendOne>
RunFigures RunClients(int clients, int count, AppendOne append_one) {
  using Clock = std::chrono::steady_clock;
  std::vector<std::vector<double>> per_client(clients);
  std::atomic<int> next{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int i = next++; i < count; i = next++) {
        auto begin = Clock::now();
        append_one(c, i);
        per_client[c].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - begin)
                .count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  RunFigures figures;
  figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& list : per_client) {
    figures.latencies_us.insert(figures.latencies_us.end(), list.begin(),
                                list.end());
  }
  std::sort(figures.latencies_us.begin(), figures.latencies_us.end());
  return figures;
}

// `count` appends of one event with a `payload_bytes` payload, to streams
// exemplar-0 … exemplar-9999, from `clients` threads; kInternal when one
// failed.
Result<RunFigures> AppendFromClients(EventStore* store, int clients, int count,
                                     std::size_t payload_bytes);

}  // namespace exemplar::tools
