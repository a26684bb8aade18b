// The in-memory read models the projections keep: the authority (units,
// users, grants), one row per exemplar with its list and sort indexes, and
// optionally the approvals ledger. Apply folds one event and reports what
// changed so the runner can persist exactly that; the same class, fed a
// prefix of the log, is the scratch copy time travel uses.
//
// Thread safety: the owner serialises Apply against queries; queries may
// run together (the reports' tallies have a lock of their own).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/personal_data.h"
#include "events/envelope.h"
#include "events/status.h"
#include "events/workflow_event.h"
#include "projections/action_marks.h"
#include "projections/funnel_model.h"
#include "projections/queries.h"
#include "projections/quota_tally.h"
#include "projections/row_decoder.h"
#include "projections/rows.h"

namespace exemplar::projections {

// The latest time recorded up to a position: the log's timeline keeps
// one where an event was recorded later than every event before it.
struct TimePoint {
  std::uint64_t position = 0;
  std::int64_t at_us = 0;
};

// What one Apply changed, for persisting.
struct ModelChanges {
  std::vector<const ExemplarRow*> exemplars;     // rows to (re)write
  std::vector<LedgerRow> ledger;                 // rows to add
  std::vector<const EventRecord*> system;        // system events folded
  std::vector<const EventRecord*> unit_records;  // funnel events folded
  std::vector<PropagationRow> propagation;       // rows to add
  std::vector<TimePoint> timeline;               // points to add
  // An erasure was folded: the rows it rewrote must not survive in older
  // files (SideStore::Purge).
  bool erased = false;
  void Clear() {
    erased = false;
    exemplars.clear();
    ledger.clear();
    system.clear();
    unit_records.clear();
    propagation.clear();
    timeline.clear();
  }
};

struct ReadModelOptions {
  // Hold ledger rows in memory (a model folded where it may not write);
  // the live model persists them instead. Default false.
  bool keep_ledger = false;
  // Keep the indexes queries read: the list's sort indexes (by name, by
  // detection time) and the reports' (see ReadModel::ForEachQuotaSum).
  // Default true; a rebuild, which only persists rows, turns them off, and
  // so does AsOf.
  bool query_indexes = true;
  // The instant at which the unit tree is read for subtree filters, UTC
  // microseconds. Default: the latest tree (the live model).
  std::int64_t tree_at_us = std::numeric_limits<std::int64_t>::max();
  // Opens the personal values the rows keep (the name, the priority
  // flags); must outlive the model. Default: none, they read as
  // kWithheldValue. A decision's reason stays sealed in the ledger's rows
  // and is opened when they are read (Projections::Ledger).
  const PersonalData* personal_data = nullptr;
};

// Decodes into `*event` the workflow payload Apply would decode for
// `record`, ahead on another thread, with `decoder` (one per thread). False
// for an event of another stream and for a payload that does not decode
// (Apply then reports it, in order).
bool DecodeAhead(const EventRecord& record, WorkflowEventDecoder* decoder,
                 WorkflowEvent* event);

// Opens in place the values the fold of `event`, a decoded workflow event
// recorded on `stream_id`, would open (a creating action's name and
// priority flags), so that the fold finds them plain: a rebuild's reading
// thread does this while the fold goes on. Every other personal value
// stays sealed. Nothing without `personal`. Thread-safe.
void OpenAhead(const Definition& definition, const PersonalData* personal,
               std::string_view stream_id, WorkflowEvent* event);

using LedgerVisit = std::function<bool(const LedgerRow&)>;

class ReadModel {
 public:
  // `definition` must outlive the model.
  ReadModel(const Definition* definition, ReadModelOptions options = {});
  ReadModel(const ReadModel&) = delete;
  ReadModel& operator=(const ReadModel&) = delete;

  // Folds one event of the log, in position order. `changes`, if set,
  // receives what changed (pointers valid until the next Apply). Errors:
  // kCorruption naming the position when the event cannot be folded; the
  // model is then unchanged.
  Status Apply(const EventRecord& record, ModelChanges* changes);
  // The same with the workflow payload of an exemplar stream's event
  // already decoded (DecodeAhead); null: Apply decodes it.
  Status Apply(const EventRecord& record, const WorkflowEvent* decoded,
               ModelChanges* changes);

  // The model as it stood at `position` (at most position()), with the
  // unit tree read at `tree_at_us`: the authority and the funnel folded
  // again from the system and funnel events this model keeps, and the
  // exemplars told from this model's rows as of `position`
  // (row_history.h), so that it costs the system events and the rows
  // visited, not the log. It reads this model, which must stay unchanged
  // and alive while it is used. Errors: those of folding a system event.
  Result<std::unique_ptr<ReadModel>> AsOf(std::uint64_t position,
                                          std::int64_t tree_at_us) const;
  // The position the model showed at `time_us`: before the first event
  // recorded later (the longest prefix of the log recorded at or before
  // it), at most position().
  std::uint64_t PositionAt(std::int64_t time_us) const;

  // Loading persisted state at start: the system events, in position
  // order, then each exemplar's row once (in constant time when in id
  // order, as they are stored), then FinishLoading, which builds the sort
  // indexes over all the rows at once.
  Status LoadSystemEvent(const EventRecord& record);
  void LoadExemplarRow(ExemplarRow row);
  // The funnel's persisted events and propagation rows, in position order.
  Status LoadUnitRecord(const EventRecord& record);
  void LoadPropagationRow(PropagationRow row) {
    funnel_.AddPropagation(std::move(row));
  }
  // The timeline's points, in position order.
  void LoadTimePoint(TimePoint point) { timeline_.push_back(point); }
  void FinishLoading();
  void SetPosition(std::uint64_t position, std::int64_t last_event_us);

  std::uint64_t position() const { return position_; }
  std::int64_t last_event_us() const { return last_event_us_; }
  const Definition& definition() const { return *definition_; }
  const Authority& authority() const { return authority_; }
  // The registration funnel and propagation work (funnel_model.h).
  const FunnelModel& funnel() const { return funnel_; }

  // Queries; see queries.h for what each returns. kInvalidArgument for a
  // bad limit or cursor.
  Result<ExemplarListPage> List(const ExemplarListQuery& query) const;
  // Visits the ledger rows held in memory (keep_ledger) as
  // ScanStoredLedger (stored_model.h) visits the stored ones.
  void ScanLedger(std::uint64_t past, LedgerOrder order,
                  const LedgerVisit& visit) const;
  // The tree as the model has it, with only the units `visible` covers and
  // their ancestors (in_scope false).
  std::vector<UnitNode> Units(const ReadScope& visible) const;
  std::vector<UserInfo> Users(std::int64_t now_us) const;

  // The row of exemplar `id`; nullptr when unknown.
  const ExemplarRow* FindExemplar(const std::string& id) const;

  // Calls `visit` for every exemplar row in id order.
  template <typename Visit>
  void ForEachExemplar(Visit visit) const {
    if (rows_of_ == nullptr) {
      for (const auto& [id, entry] : entries_) visit(entry.row);
      return;
    }
    ExemplarRow scratch;
    for (const auto& [id, entry] : rows_of_->entries_) {
      if (const ExemplarRow* row = RowOf(entry, &scratch)) visit(*row);
    }
  }

  class UnitScope;
  // Calls `visit` for every exemplar row whose unit `scope` (a scope of
  // this model) contains, in no particular order: the reports' hot loop.
  // The live model walks the rows of the units in scope only when they are
  // fewer than half (walking the buckets of many units reads memory in a
  // worse order than the rows' own), else every row, each judged by its
  // unit's index rather than by hashing the unit's id.
  template <typename Visit>
  void ForEachExemplarIn(const UnitScope& scope, Visit visit) const {
    if (rows_of_ != nullptr) {
      ForEachExemplar([&](const ExemplarRow& row) {
        if (scope.Contains(row.unit_id)) visit(row);
      });
      return;
    }
    std::size_t in_scope = 0;
    for (std::size_t unit = 0; unit < by_unit_.size(); ++unit) {
      if (scope.ContainsIndex(unit)) in_scope += by_unit_[unit].size();
    }
    if (2 * in_scope >= entries_.size()) {
      for (const auto& [id, entry] : entries_) {
        if (scope.ContainsIndex(entry.unit_index)) visit(entry.row);
      }
      return;
    }
    for (std::size_t unit = 0; unit < by_unit_.size(); ++unit) {
      if (!scope.ContainsIndex(unit)) continue;
      for (const Entry* entry : by_unit_[unit]) visit(entry->row);
    }
  }

  // The reports' indexes. A model with query_indexes (the live one) keeps
  // them as it folds, so that a report reads the rows that can count, not
  // every row; one without (AsOf's) answers from every row in scope, a
  // superset the report narrows by the same rule.
  //
  // Calls `visit` for every exemplar row in `scope` with a quarterly
  // nomination for `period`, in no particular order.
  void ForEachNominatedFor(
      const UnitScope& scope, const std::string& period,
      const std::function<void(const ExemplarRow&)>& visit) const;
  // Calls `visit`, in id order, for every exemplar row in `scope` that
  // belongs now to one of `units`, plans a replication in one of them, or
  // is mentored now by one of `mentors`.
  void ForEachExemplarTouching(
      const UnitScope& scope, const std::vector<std::string>& units,
      const std::vector<std::string>& mentors,
      const std::function<void(const ExemplarRow&)>& visit) const;
  // Calls `visit(unit_id, counts)` with what the exemplars whose unit
  // `seen` contains add to `year`'s quota report, summed per unit credited
  // (quota_tally.h). The live model keeps a tally per year asked for and
  // brings it up to date with the rows changed since it was last read; a
  // change to the organisation starts them afresh.
  void ForEachQuotaSum(
      int year, int utc_offset_minutes, const UnitScope& seen,
      const std::function<void(const std::string&, const QuotaCounts&)>& visit)
      const;

  // A scope predicate: true for units within `unit_id` (all when empty) in
  // the model's tree (of the moment the model shows), and covered by
  // `visible` (on its own tree: the reader's scope now).
  class UnitScope {
   public:
    bool Contains(const std::string& unit_id) const;
    bool ContainsIndex(std::uint32_t index) const {
      return all_ || (index < allowed_.size() && allowed_[index]);
    }

   private:
    friend class ReadModel;
    bool all_ = true;
    std::vector<char> allowed_;
    const std::unordered_map<std::string, std::uint32_t>* index_ = nullptr;
  };
  UnitScope Scope(const std::string& unit_id, const ReadScope& visible) const;

  // The units, in creation order, with the level of each.
  const std::vector<std::string>& unit_ids() const { return unit_ids_; }
  // The users in registration order, and the ids of each one's grants.
  const std::vector<std::string>& user_ids() const { return user_ids_; }
  const std::map<std::string, std::vector<std::string>>& grants_by_user()
      const {
    return grants_by_user_;
  }
  std::int64_t tree_at_us() const { return options_.tree_at_us; }

 private:
  struct Entry {
    ExemplarRow row;
    std::uint32_t unit_index = 0;
  };
  struct NameLess {
    bool operator()(const Entry* a, const Entry* b) const;
  };
  struct DetectedLess {
    bool operator()(const Entry* a, const Entry* b) const;
  };

  // What the reports' indexes hold of a row, taken before a fold changes
  // it.
  struct ReportKeys {
    std::string mentor;
    std::size_t nominations = 0;
    std::size_t targets = 0;
  };
  static ReportKeys ReportKeysOf(const ExemplarRow& row);
  // Brings the reports' indexes up to date with `entry`, which held
  // `before` (query_indexes only).
  void Reindex(const Entry& entry, const ReportKeys& before);
  // The live tally of `year`, up to date (tallies_mutex_ held).
  QuotaTally& TallyOf(int year, int utc_offset_minutes) const;

  Status ApplySystem(const EventRecord& record);
  // The entry's row as this model shows it: itself, or as of position_
  // for a model AsOf made (in `*scratch` when it changed since); nullptr
  // when it did not exist yet.
  const ExemplarRow* RowOf(const Entry& entry, ExemplarRow* scratch) const;
  // The entry of exemplar `id`, added empty when new (`*inserted`).
  Entry& FindOrAddEntry(const std::string& id, bool* inserted);
  Status ApplyWorkflow(const EventRecord& record, const WorkflowEvent& event,
                       ModelChanges* changes);
  // Moves the exemplar to a reorganisation's successor unit.
  Status ApplyTransfer(const EventRecord& record, ModelChanges* changes);
  std::uint32_t UnitIndex(const std::string& unit_id);
  void AddToUnitBucket(Entry* entry);
  void RemoveFromUnitBucket(Entry* entry);
  void Index(Entry* entry);
  // Answers a query whose unit scope holds few exemplars from the unit
  // buckets; false (page untouched) when walking a sort index is cheaper.
  bool ListFromUnitBuckets(const ExemplarListQuery& query,
                           const std::string& folded_search,
                           const UnitScope& scope, const Entry& probe,
                           bool has_cursor, ExemplarListPage* page) const;
  void Unindex(Entry* entry);
  bool Matches(const ExemplarRow& row, bool in_scope,
               const ExemplarListQuery& query,
               const std::string& folded_search) const;

  const Definition* definition_;
  ReadModelOptions options_;
  // The definition's actions by name, looked up once per event.
  std::unordered_map<std::string, ActionMarks> actions_;
  Authority authority_;
  FunnelModel funnel_;
  std::vector<std::string> unit_ids_;
  std::vector<std::string> user_ids_;
  std::map<std::string, std::vector<std::string>> grants_by_user_;
  std::unordered_map<std::string, std::uint32_t> unit_index_;
  std::map<std::string, Entry> entries_;  // in id order, for lists
  // The same entries by id, for the lookups of every fold.
  std::unordered_map<std::string, Entry*> entry_by_id_;
  std::set<Entry*, NameLess> by_name_;
  std::set<Entry*, DetectedLess> by_detected_;
  std::vector<Entry*> loaded_;  // rows loaded, not yet in the sort indexes
  std::vector<std::vector<const Entry*>> by_unit_;  // by unit index
  std::vector<LedgerRow> ledger_;                   // with keep_ledger
  // The reports' indexes (query_indexes): rows by period of their
  // quarterly nominations, by mentor now, by unit a replication targets.
  std::unordered_map<std::string, std::vector<const Entry*>> by_period_;
  std::unordered_map<std::string, std::set<const Entry*>> by_mentor_;
  std::unordered_map<std::string, std::set<const Entry*>> by_target_;
  // The quota tallies asked for, and the rows changed since the first,
  // which each tally has read up to `read`.
  struct KeptTally {
    std::unique_ptr<QuotaTally> tally;
    std::size_t read = 0;
  };
  mutable std::mutex tallies_mutex_;
  mutable std::vector<KeptTally> tallies_;
  mutable std::vector<const ExemplarRow*> changed_rows_;
  // The system and funnel events folded, which AsOf folds again.
  std::vector<EventRecord> system_records_;
  std::vector<EventRecord> unit_records_;
  std::vector<TimePoint> timeline_;
  // Set in a model AsOf made: the model whose rows it tells as of
  // position_.
  const ReadModel* rows_of_ = nullptr;
  // Rows of exemplars FindExemplar told as of position_ (rows_of_ set).
  mutable std::map<std::string, ExemplarRow> past_rows_;
  std::uint64_t position_ = 0;
  std::int64_t last_event_us_ = 0;
  // The payload Apply decodes when none came decoded, reused so that its
  // storage is too.
  WorkflowEventDecoder payload_decoder_;
  WorkflowEvent payload_;
};

// Fills `page` from ledger rows visited in `query.order` past
// `query.after_position`; `scan(past, visit)` calls visit for each row, in
// that order, until it returns false. A row is kept when its exemplar's unit is
// in `units` (the query's unit filter and the reader's scope, from
// ReadModel::Scope). Shared by the in-memory and the stored ledger.
using LedgerScan =
    std::function<Status(std::uint64_t past, const LedgerVisit& visit)>;
Result<LedgerPage> QueryLedger(const LedgerQuery& query,
                               const ReadModel::UnitScope& units,
                               const LedgerScan& scan);

}  // namespace exemplar::projections
