// `exemplar bench append`: durable append throughput and latency of the
// store, against a baseline that writes the same bytes straight to RocksDB
// in synced WriteBatches from the same number of clients.
#include "tools/bench_append.h"

#include <rocksdb/db.h>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "engine/event_store.h"
#include "engine/internal/layout.h"
#include "tools/bench_support.h"

namespace exemplar::tools {
namespace {

long PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

void Print(const char* name, int events, const RunFigures& figures) {
  std::printf(
      "%-9s %9.0f events/s   p50 %7.0f us   p99 %7.0f us   p999 %7.0f us\n",
      name, events / figures.seconds, Percentile(figures.latencies_us, 0.50),
      Percentile(figures.latencies_us, 0.99),
      Percentile(figures.latencies_us, 0.999));
}

Result<RunFigures> RunStore(const BenchAppendOptions& options,
                            const std::string& path) {
  auto store = EventStore::Open(path);
  if (!store.ok()) return store.status();
  std::string payload(options.payload_bytes, 'x');
  std::atomic<bool> failed{false};
  RunFigures figures =
      RunClients(options.clients, options.events, [&](int client, int i) {
        AppendRequest request;
        request.stream_id = "exemplar-" + std::to_string(i % 10000);
        NewEvent event;
        event.type = "bench_recorded";
        event.payload = payload;
        event.actor = {"user-" + std::to_string(client), "reporter", "unit-1"};
        request.events.push_back(std::move(event));
        if (!(*store)->Append(std::move(request)).ok()) failed = true;
      });
  if (failed) return Status::Internal("an append failed during the bench");
  return figures;
}

Result<RunFigures> RunBaseline(const BenchAppendOptions& options,
                               const std::string& path, size_t record_bytes) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, &raw);
  if (!s.ok()) return Status::IoError(s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string record(record_bytes, 'x');
  std::atomic<std::uint64_t> position{0};
  rocksdb::WriteOptions sync;
  sync.sync = true;
  RunFigures figures =
      RunClients(options.clients, options.events, [&](int, int) {
        rocksdb::WriteBatch batch;
        batch.Put(layout::PositionKey(++position), record);
        db->Write(sync, &batch).PermitUncheckedError();
      });
  db->Close().PermitUncheckedError();
  return figures;
}

}  // namespace

int RunBenchAppend(const BenchAppendOptions& options) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(options.scratch_dir) /
                  ("exemplar-bench-" + std::to_string(getpid()));
  fs::remove_all(root);
  std::printf("bench append: %d clients, %d events, %zu-byte payloads, in %s\n",
              options.clients, options.events, options.payload_bytes,
              root.c_str());

  auto store = RunStore(options, (root / "store").string());
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  long store_rss = PeakRssMiB();
  // The baseline writes records as large as the store's stored records.
  size_t record_bytes = options.payload_bytes + 120;
  auto baseline = RunBaseline(options, (root / "raw").string(), record_bytes);
  if (!baseline.ok()) {
    std::fprintf(stderr, "%s\n", baseline.status().ToString().c_str());
    return 1;
  }
  Print("store", options.events, *store);
  Print("raw", options.events, *baseline);
  std::printf("ratio     %.2f of raw batched-sync RocksDB\n",
              baseline->seconds / store->seconds);
  std::printf("peak RSS  %ld MiB after the store run\n", store_rss);
  fs::remove_all(root);
  return 0;
}

void AddBenchAppendCommand(CLI::App& app, Commands& commands) {
  CLI::App* bench = CommandGroup(app, "bench", "Print performance figures");
  auto options = std::make_shared<BenchAppendOptions>();
  CLI::App* append = bench->add_subcommand(
      "append", "Durable append throughput against raw RocksDB");
  append->add_option("--clients", options->clients, "Concurrent appenders");
  append->add_option("--events", options->events, "Events in all");
  append->add_option("--payload", options->payload_bytes,
                     "Payload bytes per event");
  append->add_option("--dir", options->scratch_dir,
                     "Scratch folder for the bench stores");
  commands.push_back({append, [options] { return RunBenchAppend(*options); }});
}

}  // namespace exemplar::tools
