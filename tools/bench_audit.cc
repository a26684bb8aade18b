// `exemplar bench audit`: what the audit trail costs and how fast it checks.
//
// Two stores, one keeping the Merkle tree and one not, take the same appends
// from the same clients in alternating rounds, so that drift in the disk's
// fsync latency falls on both alike. The store with the tree is then
// verified whole and asked for random proofs, as the API does.
#include "tools/bench_audit.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>

#include "engine/audit/audit_log.h"
#include "engine/audit/verify.h"
#include "engine/event_store.h"
#include "tools/bench_support.h"

namespace exemplar::tools {
namespace {

using Clock = std::chrono::steady_clock;

Result<std::unique_ptr<EventStore>> OpenStore(const std::string& path,
                                              bool merkle) {
  StoreOptions options;
  options.maintain_merkle_tree = merkle;
  return EventStore::Open(path, options);
}

Status BenchAppend(EventStore* with_tree, EventStore* without_tree,
                   const BenchAuditOptions& options) {
  double seconds[2] = {0, 0};
  double cpu[2] = {0, 0};
  EventStore* stores[2] = {with_tree, without_tree};
  for (int round = 0; round < options.rounds; ++round) {
    int count = options.events / options.rounds +
                (round < options.events % options.rounds ? 1 : 0);
    for (int s = 0; s < 2; ++s) {
      // Alternate which goes first, so neither always follows the other.
      int which = (round + s) % 2;
      double cpu_start = ProcessCpuSeconds();
      auto taken = AppendFromClients(stores[which], options.clients, count,
                                     options.payload_bytes);
      if (!taken.ok()) return taken.status();
      seconds[which] += taken->seconds;
      cpu[which] += ProcessCpuSeconds() - cpu_start;
    }
  }
  double with = options.events / seconds[0];
  double without = options.events / seconds[1];
  std::printf(
      "append       with tree %9.0f events/s   without %9.0f events/s   "
      "tree cost %.1f%%\n",
      with, without, 100.0 * (without - with) / without);
  double with_us = 1e6 * cpu[0] / options.events;
  double without_us = 1e6 * cpu[1] / options.events;
  std::printf(
      "append CPU   with tree %9.1f us/event   without %7.1f us/event   "
      "tree cost %.1f%%\n",
      with_us, without_us, 100.0 * (with_us - without_us) / without_us);
  return Status::Ok();
}

Status BenchVerify(const EventStore& store) {
  auto start = Clock::now();
  double cpu_start = ThreadCpuSeconds();
  auto report = audit::VerifyStore(store, std::nullopt);
  double cpu = ThreadCpuSeconds() - cpu_start;
  double seconds = MicrosSince(start) / 1e6;
  if (!report.ok()) return report.status();
  std::printf(
      "verify       %9.0f events/s   (%llu events in %.2f s; %.2f s of CPU, "
      "%.0f events per CPU second)\n",
      report->events / seconds, static_cast<unsigned long long>(report->events),
      seconds, cpu, report->events / cpu);
  return Status::Ok();
}

// Wall and CPU time of each call of one kind of proof.
struct Latencies {
  std::vector<double> wall_us;
  std::vector<double> cpu_us;

  template <typename Call>
  void Time(Call call) {
    auto start = Clock::now();
    double cpu_start = ThreadCpuSeconds();
    call();
    cpu_us.push_back(1e6 * (ThreadCpuSeconds() - cpu_start));
    wall_us.push_back(MicrosSince(start));
  }
};

void PrintLatencies(const char* name, Latencies latencies) {
  const Spread wall = SpreadOf(&latencies.wall_us);
  const Spread cpu = SpreadOf(&latencies.cpu_us);
  std::printf(
      "%-12s p50 %7.1f us   p99 %7.1f us   max %7.1f us   (CPU p50 %.1f us, "
      "p99 %.1f us; %zu proofs)\n",
      name, wall.p50, wall.p99, wall.max, cpu.p50, cpu.p99,
      latencies.wall_us.size());
}

// Random positions and sizes over the whole log, as clients holding heads
// of various ages would ask.
Status BenchProofs(const audit::AuditLog& log, std::uint64_t size, int proofs) {
  std::mt19937_64 random(42);
  Latencies inclusion, consistency;
  Status status = Status::Ok();
  for (int i = 0; i < proofs && status.ok(); ++i) {
    std::uint64_t tree_size = 1 + random() % size;
    std::uint64_t position = 1 + random() % tree_size;
    inclusion.Time(
        [&] { status = log.tree().Inclusion(position, tree_size).status(); });
  }
  for (int i = 0; i < proofs && status.ok(); ++i) {
    std::uint64_t to = 1 + random() % size;
    std::uint64_t from = 1 + random() % to;
    consistency.Time(
        [&] { status = log.tree().Consistency(from, to).status(); });
  }
  EXEMPLAR_RETURN_IF_ERROR(status);
  PrintLatencies("inclusion", std::move(inclusion));
  PrintLatencies("consistency", std::move(consistency));
  return Status::Ok();
}

Status RunAll(const BenchAuditOptions& options,
              const std::filesystem::path& root) {
  auto with_tree = OpenStore((root / "tree").string(), true);
  if (!with_tree.ok()) return with_tree.status();
  auto without_tree = OpenStore((root / "plain").string(), false);
  if (!without_tree.ok()) return without_tree.status();
  EXEMPLAR_RETURN_IF_ERROR(
      BenchAppend(with_tree->get(), without_tree->get(), options));
  (*without_tree)->Close();
  EXEMPLAR_RETURN_IF_ERROR(BenchVerify(**with_tree));
  auto signer = audit::HeadSigner::Open((root / "tree").string());
  if (!signer.ok()) return signer.status();
  auto log = audit::AuditLog::Open(with_tree->get(), std::move(*signer));
  if (!log.ok()) return log.status();
  return BenchProofs(**log, (*with_tree)->head().position, options.proofs);
}

}  // namespace

int RunBenchAudit(const BenchAuditOptions& options) {
  if (options.events < 1 || options.rounds < 1 || options.proofs < 1) {
    std::fprintf(stderr, "--events, --rounds and --proofs must be positive\n");
    return 1;
  }
  const std::filesystem::path root =
      ScratchFolder(options.scratch_dir, "exemplar-bench-audit");
  std::printf(
      "bench audit: %d events per store, %d clients, %zu-byte payloads, %d "
      "rounds, in %s\n",
      options.events, options.clients, options.payload_bytes, options.rounds,
      root.c_str());
  return FinishBench(root, RunAll(options, root));
}

void AddBenchAuditCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BenchAuditOptions>();
  CLI::App* audit = AddBenchCommand(
      app, "audit", "Merkle tree cost on append, verify and proof speed");
  audit->add_option("--events", options->events, "Events in each store")
      ->capture_default_str();
  audit->add_option("--clients", options->clients, "Concurrent appenders")
      ->capture_default_str();
  audit
      ->add_option("--payload", options->payload_bytes,
                   "Payload bytes per event")
      ->capture_default_str();
  audit
      ->add_option("--rounds", options->rounds,
                   "Alternations of the stores with and without the tree")
      ->capture_default_str();
  audit->add_option("--proofs", options->proofs, "Proofs of each kind timed")
      ->capture_default_str();
  AddScratchOption(audit, &options->scratch_dir);
  commands.push_back({audit, [options] { return RunBenchAudit(*options); }});
}

}  // namespace exemplar::tools
