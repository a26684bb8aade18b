// The read side: projections that tail the event log into read models, and
// the queries supervisors, auditors and the HTTP API ask of them.
//
// A runner thread follows the log from the persisted checkpoint; each batch
// of events changes the in-memory models and writes the changed rows with
// the checkpoints in one RocksDB batch (projections/stored_model.h). Start
// loads those rows instead of replaying the log, so a restart is ready at
// once. Queries read the in-memory models; "as of" queries (time travel)
// fold one stream for an exemplar, and read lists and reports from a model
// as of the point told from the live ones (ReadModel::AsOf), at a cost
// that does not grow with the log.
//
// Usage (serve):
//   auto projections = Projections::Open(store, &definition, {});
//   (*projections)->Start();            // before serving queries
//   ... (*projections)->WaitForPosition(reply.last_position, 2s) ...
//   (*projections)->Stop();             // before closing the store
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "events/status.h"
#include "projections/exemplar_view.h"
#include "projections/queries.h"
#include "projections/reorganisation_report.h"
#include "projections/unit_lineage.h"

namespace exemplar::projections {

class ReadModel;

struct ProjectionsOptions {
  // Local time for deadlines, years and JSON times: minutes east of UTC.
  // Default 420 (UTC+7, Asia/Ho_Chi_Minh).
  int utc_offset_minutes = 420;
  // Longest WaitForPosition may wait, whatever the caller asks. Default 10 s.
  std::chrono::milliseconds max_wait{10000};
  // Most events the runner applies and writes as one batch while following
  // the log. Default 1,000 (keeps each write-lock hold short for queries).
  std::size_t batch_events = 1000;
  // How long events the runner folded may wait before it persists them
  // with their checkpoint, in one write. Queries see them at once; a crash
  // loses at most this much of the models, which the runner folds again on
  // start. Fewer, larger writes cost the server less under a steady load.
  // Default 100 ms; 0 persists every batch.
  std::chrono::milliseconds persist_interval{100};
  // Events per batch when rebuilding. Default 20,000.
  std::size_t rebuild_batch_events = 20000;
  // Fold the whole log into memory at Open, ledger included, and never
  // write: for a reader beside a serving process, which may not write
  // (`exemplar replay`). Not to be started. Default false.
  bool in_memory = false;
  // Opens the personal values the models keep and exemplar views show
  // (engine/workflow/personal_data.h); must outlive the projections.
  // Default: none, they read as kWithheldValue.
  const PersonalData* personal_data = nullptr;
};

// The state of one projection, for /metrics and /readyz.
struct ProjectionStatus {
  std::string name;
  // Last event folded, which queries see; persisted up to
  // ProjectionsOptions::persist_interval later.
  std::uint64_t position = 0;
  std::uint64_t lag = 0;  // the log's head minus position
  // Set when the projection stopped on an event it could not fold; it does
  // not skip it and stays at failed_position - 1.
  std::string error;
  std::uint64_t failed_position = 0;
};

// "As of" for queries: both 0 means now (the live models). A position
// folds events up to it; a time folds the longest prefix of the log whose
// events were all recorded at or before it (the state the live models
// showed at that moment). The reader's scope (ReadScope) is not part of
// that state: it is applied on its own tree, the tree as it is now.
struct AsOf {
  std::uint64_t position = 0;
  std::int64_t time_us = 0;
  bool live() const { return position == 0 && time_us == 0; }
};

// Progress of a rebuild: events folded so far of `total`.
using RebuildProgress =
    std::function<void(std::uint64_t done, std::uint64_t total)>;

class Projections {
 public:
  // Loads the persisted read models of `store` (which, with `definition`,
  // must outlive the result). When the checkpoints disagree (an interrupted
  // rebuild) it rebuilds them first. Errors: kCorruption, kIoError.
  static Result<std::unique_ptr<Projections>> Open(
      EventStore* store, const Definition* definition,
      ProjectionsOptions options = {});
  ~Projections();  // Stops.

  // Drops the named projections (all when `names` is empty) and folds the
  // whole log again, writing their rows; byte-identical to what following
  // the log builds. Run it with no Projections open on the store. Errors:
  // kInvalidArgument for an unknown name, kCorruption naming the event a
  // model cannot fold, kIoError.
  static Status Rebuild(EventStore* store, const Definition* definition,
                        const std::vector<std::string>& names,
                        const ProjectionsOptions& options = {},
                        const RebuildProgress& progress = nullptr);

  // Drops every projection's rows and checkpoint, and purges their files
  // (SideStore::Purge), so that no file keeps the plain values the models
  // hold; the next Open folds the whole log again. For a copy of the store
  // that leaves without its keys (a backup), and for a store whose keys
  // were loaded (its models showed the values as erased). Run it with no
  // Projections open on the store. Errors: kIoError.
  static Status Drop(EventStore* store);

  // The bytes each projection's rows take in `store` (keys and values,
  // before RocksDB's compression), by projection name.
  static Result<std::map<std::string, std::uint64_t>> StoredBytes(
      const EventStore& store);

  // Starts following the log on a thread of its own. Idempotent.
  void Start();
  // Stops the thread after the batch in flight is written. Idempotent.
  void Stop();

  // One entry per projection ("authority", "exemplars", "ledger").
  std::vector<ProjectionStatus> statuses() const;
  // The position all projections have reached.
  std::uint64_t position() const;

  // Read-your-writes: returns OK once the projections have reached
  // `position`; kUnavailable after min(timeout, max_wait) or when a
  // projection failed before reaching it.
  Status WaitForPosition(std::uint64_t position,
                         std::chrono::milliseconds timeout) const;

  // The exemplar now or as of a point. kNotFound when it did not exist.
  Result<ExemplarView> Exemplar(const std::string& exemplar_id,
                                AsOf as_of = {}) const;
  // The exemplar's stream events, now or as of a point, for its history.
  Result<std::vector<EventRecord>> ExemplarHistory(
      const std::string& exemplar_id, AsOf as_of = {}) const;
  Result<ExemplarListPage> ListExemplars(const ExemplarListQuery& query,
                                         AsOf as_of = {}) const;
  Result<LedgerPage> Ledger(const LedgerQuery& query, AsOf as_of = {}) const;
  // Every page of the list or the ledger from the query's cursor on (its
  // `limit` is the page size), given to `visit` in order until it returns
  // false or the last page: for an export of every row. Each page is read
  // on its own, so `visit` may take its time without holding up the
  // projections: live, the cursors neither repeat nor skip a row meanwhile;
  // as of a point, every page shows the position the first resolved. Errors:
  // those of the page queries; none once `visit` has stopped.
  Status ExemplarPages(
      ExemplarListQuery query, AsOf as_of,
      const std::function<bool(const ExemplarListPage&)>& visit) const;
  Status LedgerPages(LedgerQuery query, AsOf as_of,
                     const std::function<bool(const LedgerPage&)>& visit) const;
  Result<QuotaReport> Quotas(const std::string& unit_id, int year,
                             const ReadScope& visible, AsOf as_of = {}) const;
  Result<DeadlineReport> Deadlines(const std::string& unit_id, int year,
                                   int quarter, const ReadScope& visible,
                                   AsOf as_of = {}) const;
  Result<FollowUpReport> FollowUp(const FollowUpQuery& query,
                                  AsOf as_of = {}) const;
  Result<RetentionReport> Retention(const RetentionQuery& query,
                                    AsOf as_of = {}) const;
  // What still points at an ended unit (reorganisation_report.h); grants
  // judged now, or at the as-of time (the last event's for a position).
  Result<ReorganisationReport> Reorganisation(ReorganisationQuery query,
                                              AsOf as_of = {}) const;
  // The unit tree (roots first, children in creation order), pruned to the
  // units `visible` covers and their ancestors.
  Result<std::vector<UnitNode>> Units(const ReadScope& visible = {},
                                      AsOf as_of = {}) const;
  // A unit's lineage in the tree of the moment (unit_lineage.h); rejected
  // "unknown_unit" for a unit unknown then or not covered by `visible`.
  Result<UnitLineage> Lineage(const std::string& unit_id,
                              const ReadScope& visible = {},
                              AsOf as_of = {}) const;
  // The units whose present or former name, or a predecessor's, contains
  // `query` (unit_lineage.h, SearchUnits).
  Result<std::vector<UnitMatch>> SearchUnits(const std::string& query,
                                             const ReadScope& visible = {},
                                             AsOf as_of = {}) const;
  // Users with their grants; `valid_now`/`active` at the as-of time (now:
  // the last event's time).
  Result<std::vector<UserInfo>> Users(AsOf as_of = {}) const;

  const ProjectionsOptions& options() const;

  // Runs `read` on the model now or as of a point, for reports built beside
  // the facade (funnel_reports.h). `now_us` is the instant the answer
  // shows: the clock live, else the as-of time or the last event's.
  Status Read(AsOf as_of,
              const std::function<Status(const ReadModel& model,
                                         std::int64_t now_us)>& read) const;

 private:
  class Impl;
  explicit Projections(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace exemplar::projections
