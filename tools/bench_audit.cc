// `exemplar bench audit`: what the audit trail costs and how fast it checks.
//
// Two stores, one keeping the Merkle tree and one not, take the same appends
// from the same clients in alternating rounds, so that drift in the disk's
// fsync latency falls on both alike. The store with the tree is then
// verified whole and asked for random proofs, as the API does.
#include "tools/bench_audit.h"

#include <sys/resource.h>
#include <time.h>

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

double MicrosSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start)
      .count();
}

Result<std::unique_ptr<EventStore>> OpenStore(const std::string& path,
                                              bool merkle) {
  StoreOptions options;
  options.maintain_merkle_tree = merkle;
  return EventStore::Open(path, options);
}

// Appends `count` one-event appends to `store`; returns the seconds taken.
Result<double> AppendRound(EventStore* store, const BenchAuditOptions& options,
                           int count) {
  std::string payload(options.payload_bytes, 'x');
  std::atomic<bool> failed{false};
  RunFigures figures =
      RunClients(options.clients, count, [&](int client, int i) {
        AppendRequest request;
        request.stream_id = "exemplar-" + std::to_string(i % 10000);
        NewEvent event;
        event.type = "bench_recorded";
        event.payload = payload;
        event.actor = {"user-" + std::to_string(client), "reporter", "unit-1"};
        request.events.push_back(std::move(event));
        if (!store->Append(std::move(request)).ok()) failed = true;
      });
  if (failed) return Status::Internal("an append failed during the bench");
  return figures.seconds;
}

// CPU seconds the whole process has used, background RocksDB threads
// included.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
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
      auto taken = AppendRound(stores[which], options, count);
      if (!taken.ok()) return taken.status();
      seconds[which] += *taken;
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

// CPU seconds this thread has used: on a shared machine, wall time also
// counts the time others held the cores.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
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
  std::sort(latencies.wall_us.begin(), latencies.wall_us.end());
  std::sort(latencies.cpu_us.begin(), latencies.cpu_us.end());
  std::printf(
      "%-12s p50 %7.1f us   p99 %7.1f us   max %7.1f us   (CPU p50 %.1f us, "
      "p99 %.1f us; %zu proofs)\n",
      name, Percentile(latencies.wall_us, 0.50),
      Percentile(latencies.wall_us, 0.99), latencies.wall_us.back(),
      Percentile(latencies.cpu_us, 0.50), Percentile(latencies.cpu_us, 0.99),
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
  namespace fs = std::filesystem;
  if (options.events < 1 || options.rounds < 1 || options.proofs < 1) {
    std::fprintf(stderr, "--events, --rounds and --proofs must be positive\n");
    return 1;
  }
  fs::path root = fs::path(options.scratch_dir) /
                  ("exemplar-bench-audit-" + std::to_string(getpid()));
  fs::remove_all(root);
  std::printf(
      "bench audit: %d events per store, %d clients, %zu-byte payloads, %d "
      "rounds, in %s\n",
      options.events, options.clients, options.payload_bytes, options.rounds,
      root.c_str());
  Status status = RunAll(options, root);
  fs::remove_all(root);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}

void AddBenchAuditCommand(CLI::App& app, Commands& commands) {
  CLI::App* bench = CommandGroup(app, "bench", "Print performance figures");
  auto options = std::make_shared<BenchAuditOptions>();
  CLI::App* audit = bench->add_subcommand(
      "audit", "Merkle tree cost on append, verify and proof speed");
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
  audit
      ->add_option("--dir", options->scratch_dir,
                   "Scratch folder for the bench stores")
      ->capture_default_str();
  commands.push_back({audit, [options] { return RunBenchAudit(*options); }});
}

}  // namespace exemplar::tools
