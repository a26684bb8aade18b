// How the read models sit in the store's side store (engine/side_store.h;
// docs/architecture.md, "Storage layout"): rows in the kProjectionRows
// space keyed "name\0key", one checkpoint per projection in
// kProjectionCheckpoints keyed by its name, and the rows a batch of events
// changed written together with the checkpoints in ONE batch, so a crash
// never leaves a model ahead of or behind its checkpoint.
//
// Projections: "authority" (the system events, key: position), "exemplars"
// (one row per exemplar, key: id), "ledger" (one row per decision, key:
// position), "unit_records" (the registration funnel's and propagation
// scores' events, key: position), "propagation" (one row per propagation
// step, key: position) and "timeline" (the log's TimePoints, key: position,
// value: the time). Positions in keys are 8-byte big-endian.
//
// Thread safety: the functions may be called from any thread; writes of
// one projection must come from one writer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/event_store.h"
#include "events/status.h"
#include "projections/read_model.h"

namespace exemplar::projections {

// "authority", "exemplars", "ledger", "unit_records", "propagation",
// "timeline".
const std::vector<std::string>& ProjectionNames();

// Beside the checkpoints, the layout of the stored exemplar rows: a store
// whose rows are of another layout (or none, before there was one) is
// rebuilt when opened.
inline constexpr char kRowsFormatKey[] = "exemplar_rows_format";

// The checkpoint of each projection (0 when never run).
Result<std::map<std::string, std::uint64_t>> ReadCheckpoints(
    const EventStore& store);

// Rows changed by a run of events, gathered until written.
class PendingWrites {
 public:
  // Records what one Apply changed, up to `position`, taking the ledger
  // rows out of `changes`. The exemplar rows are read at Write, so they
  // must not change meanwhile except through later Adds.
  void Add(ModelChanges* changes, std::uint64_t position);
  bool empty() const { return position_ == 0; }
  // Whether approvals-ledger rows wait: the ledger is queried from the
  // stored rows, so they may not wait.
  bool has_ledger_rows() const { return !ledger_.empty(); }
  std::uint64_t position() const { return position_; }

  // Writes the rows of the projections in `names` and their checkpoints
  // (the last position added) in one batch, then clears. kIoError on a
  // storage failure.
  Status Write(const EventStore& store, const std::set<std::string>& names);

 private:
  std::unordered_set<const ExemplarRow*> exemplars_;
  std::vector<const ExemplarRow*> exemplar_order_;
  std::vector<LedgerRow> ledger_;
  std::vector<EventRecord> system_;
  std::vector<EventRecord> unit_records_;
  std::vector<PropagationRow> propagation_;
  std::vector<TimePoint> timeline_;
  std::uint64_t position_ = 0;
  std::optional<SideStore::Batch> batch_;  // reused, made at the first Write
};

// Deletes every row and the checkpoint of projection `name`.
Status DropProjection(const EventStore& store, const std::string& name);

// Loads the persisted projections into `model` (which must be fresh, with
// no rows) and sets its position to their common checkpoint.
// kCorruption when a row does not decode; kInternal when the checkpoints
// differ (an interrupted rebuild: rebuild again).
Status LoadModel(const EventStore& store, ReadModel* model);

// Flushes the projections and meta families' memtables to their files, so
// the write-ahead log they pin can be recycled and the next open does not
// replay it. kIoError on failure.
Status FlushProjections(const EventStore& store);

// Visits stored ledger rows past position `past` (0: from the start) in
// `order`, until `visit` returns false: after it in position order, or
// before it from the latest back.
Status ScanStoredLedger(const EventStore& store, std::uint64_t past,
                        LedgerOrder order, const LedgerVisit& visit);

// The bytes (keys and values) of each projection's rows.
Result<std::map<std::string, std::uint64_t>> ProjectionBytes(
    const EventStore& store);

// Every projection row and checkpoint, "projections/key" and
// "checkpoints/name" -> stored value, for comparing two stores byte for
// byte.
Result<std::map<std::string, std::string>> DumpProjections(
    const EventStore& store);

}  // namespace exemplar::projections
