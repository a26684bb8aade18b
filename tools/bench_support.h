// What the `exemplar bench` commands share: running appends from many
// client threads and reading percentiles off the latencies.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace exemplar::tools {

struct RunFigures {
  double seconds = 0;
  std::vector<double> latencies_us;  // sorted
};

// The value at `fraction` (0.99 for p99) of sorted values; 0 when empty.
inline double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  size_t index = std::min(sorted.size() - 1,
                          static_cast<size_t>(fraction * sorted.size()));
  return sorted[index];
}

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

}  // namespace exemplar::tools
