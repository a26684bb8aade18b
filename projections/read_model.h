// The in-memory read models the projections keep: the authority (units,
// users, grants), one row per exemplar with its list and sort indexes, and
// optionally the approvals ledger. Apply folds one event and reports what
// changed so the runner can persist exactly that; the same class, fed a
// prefix of the log, is the scratch copy time travel uses.
//
// Thread safety: none; the owner serialises Apply against queries.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "events/envelope.h"
#include "events/status.h"
#include "events/workflow_event.h"
#include "projections/action_marks.h"
#include "projections/funnel_model.h"
#include "projections/queries.h"
#include "projections/row_decoder.h"
#include "projections/rows.h"

namespace exemplar::projections {

// What one Apply changed, for persisting.
struct ModelChanges {
  std::vector<const ExemplarRow*> exemplars;     // rows to (re)write
  std::vector<LedgerRow> ledger;                 // rows to add
  std::vector<const EventRecord*> system;        // system events folded
  std::vector<const EventRecord*> unit_records;  // funnel events folded
  std::vector<PropagationRow> propagation;       // rows to add
  void Clear() {
    exemplars.clear();
    ledger.clear();
    system.clear();
    unit_records.clear();
    propagation.clear();
  }
};

struct ReadModelOptions {
  // Hold ledger rows in memory (scratch copies for time travel); the live
  // model persists them instead. Default false.
  bool keep_ledger = false;
  // Keep the list's sort indexes (by name, by detection time), which List
  // needs. Default true; a rebuild, which only persists rows, turns them
  // off.
  bool sort_indexes = true;
  // The instant at which the unit tree is read for subtree filters, UTC
  // microseconds. Default: the latest tree (the live model).
  std::int64_t tree_at_us = std::numeric_limits<std::int64_t>::max();
};

// Decodes into `*event` the workflow payload Apply would decode for
// `record`, ahead on another thread, with `decoder` (one per thread). False
// for an event of another stream and for a payload that does not decode
// (Apply then reports it, in order).
bool DecodeAhead(const EventRecord& record, WorkflowEventDecoder* decoder,
                 WorkflowEvent* event);

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

  // Loading persisted state at start: the system events, in position
  // order, then each exemplar's row once (in constant time when in id
  // order, as they are stored), then FinishLoading, which builds the sort
  // indexes over all the rows at once.
  Status LoadSystemEvent(const EventRecord& record);
  void LoadExemplarRow(ExemplarRow row);
  // The funnel's persisted events and propagation rows, in position order.
  Status LoadUnitRecord(const EventRecord& record) {
    return funnel_.ApplyRecord(record);
  }
  void LoadPropagationRow(PropagationRow row) {
    funnel_.AddPropagation(std::move(row));
  }
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
  // Only with keep_ledger.
  Result<LedgerPage> Ledger(const LedgerQuery& query) const;
  // The tree as the model has it, with only the units `visible` covers and
  // their ancestors (in_scope false).
  std::vector<UnitNode> Units(const ReadScope& visible) const;
  std::vector<UserInfo> Users(std::int64_t now_us) const;

  // The row of exemplar `id`; nullptr when unknown.
  const ExemplarRow* FindExemplar(const std::string& id) const {
    auto found = entry_by_id_.find(id);
    return found == entry_by_id_.end() ? nullptr : &found->second->row;
  }

  // Calls `visit` for every exemplar row in id order.
  template <typename Visit>
  void ForEachExemplar(Visit visit) const {
    for (const auto& [id, entry] : entries_) visit(entry.row);
  }

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

  Status ApplySystem(const EventRecord& record);
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
  bool Matches(const Entry& entry, const ExemplarListQuery& query,
               const std::string& folded_search, const UnitScope& scope) const;

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
  std::vector<LedgerRow> ledger_;
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
using LedgerVisit = std::function<bool(const LedgerRow&)>;
using LedgerScan =
    std::function<Status(std::uint64_t past, const LedgerVisit& visit)>;
Result<LedgerPage> QueryLedger(const LedgerQuery& query,
                               const ReadModel::UnitScope& units,
                               const LedgerScan& scan);

}  // namespace exemplar::projections
