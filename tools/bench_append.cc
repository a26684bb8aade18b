// `exemplar bench append`: durable append throughput and latency of the
// store, against a baseline that writes the same bytes straight to RocksDB
// in synced WriteBatches from the same number of clients.
#include "tools/bench_append.h"

#include <rocksdb/db.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "engine/event_store.h"
#include "engine/internal/layout.h"
#include "tools/bench_support.h"

namespace exemplar::tools {
namespace {

void Print(const char* name, int events, RunFigures figures) {
  const Spread spread = SpreadOf(&figures.latencies_us);
  std::printf(
      "%-9s %9.0f events/s   p50 %7.0f us   p99 %7.0f us   p999 %7.0f us\n",
      name, events / figures.seconds, spread.p50, spread.p99, spread.p999);
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

// The store's run; it is closed before the baseline starts.
Result<RunFigures> RunStore(const BenchAppendOptions& options,
                            const std::string& path) {
  auto store = EventStore::Open(path);
  if (!store.ok()) return store.status();
  return AppendFromClients(store->get(), options.clients, options.events,
                           options.payload_bytes);
}

Status RunBoth(const BenchAppendOptions& options,
               const std::filesystem::path& root) {
  auto appended = RunStore(options, (root / "store").string());
  if (!appended.ok()) return appended.status();
  long store_rss = PeakRssMiB();
  // The baseline writes records as large as the store's stored records.
  size_t record_bytes = options.payload_bytes + 120;
  auto baseline = RunBaseline(options, (root / "raw").string(), record_bytes);
  if (!baseline.ok()) return baseline.status();
  Print("store", options.events, *appended);
  Print("raw", options.events, *baseline);
  std::printf("ratio     %.2f of raw batched-sync RocksDB\n",
              baseline->seconds / appended->seconds);
  std::printf("peak RSS  %ld MiB after the store run\n", store_rss);
  return Status::Ok();
}

}  // namespace

int RunBenchAppend(const BenchAppendOptions& options) {
  const std::filesystem::path root =
      ScratchFolder(options.scratch_dir, "exemplar-bench");
  std::printf("bench append: %d clients, %d events, %zu-byte payloads, in %s\n",
              options.clients, options.events, options.payload_bytes,
              root.c_str());
  return FinishBench(root, RunBoth(options, root));
}

void AddBenchAppendCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BenchAppendOptions>();
  CLI::App* append = AddBenchCommand(
      app, "append", "Durable append throughput against raw RocksDB");
  append->add_option("--clients", options->clients, "Concurrent appenders");
  append->add_option("--events", options->events, "Events in all");
  append->add_option("--payload", options->payload_bytes,
                     "Payload bytes per event");
  AddScratchOption(append, &options->scratch_dir);
  commands.push_back({append, [options] { return RunBenchAppend(*options); }});
}

}  // namespace exemplar::tools
