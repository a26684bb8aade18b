// The unit tree as history, folded from the log's unit events
// (unit_created, unit_renamed, unit_moved, unit_closed, units_reorganised):
// every unit keeps its parents and names with the instant each took effect,
// and its lineage (the units it succeeded and those that succeeded it), so
// the tree can be asked how it stood at any moment. The one fold of the tree:
// authority, the SSE unit filter and the relay's subjects all read it.
//
// Thread safety: const methods may be called concurrently; Apply needs
// exclusive access.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/envelope.h"
#include "events/status.h"
#include "events/system_events.h"

namespace exemplar {

struct UnitRecord {
  std::string id;
  std::string name;
  std::string level;
  // (effective from, parent id) in time order; parent "" is a root.
  std::vector<std::pair<std::int64_t, std::string>> parents;
  std::int64_t created_at_us = 0;
  std::optional<std::int64_t> closed_at_us;
  // (effective from, name): every name it bore, the present one last.
  std::vector<std::pair<std::int64_t, std::string>> names;
  std::vector<std::string> predecessors;  // units it succeeded (direct)
  std::vector<std::string> successors;    // units that succeeded it (direct)
  std::string ended_by;  // the reorganisation that ended it; "" if none

  // The parent at instant `at_us` ("" for a root).
  const std::string& ParentAt(std::int64_t at_us) const;
  bool OpenAt(std::int64_t at_us) const;
};

// A reorganisation as the log recorded it.
struct ReorganisationRecord {
  UnitsReorganised event;
  std::int64_t at_us = 0;  // when it took effect (its recorded time)
  std::uint64_t position = 0;
  Actor actor;
};

class UnitTree {
 public:
  // The event types Apply folds.
  static const std::vector<std::string>& EventTypes();

  // Folds one unit event, taking effect at its recorded_at_us; ignores
  // every other event. kCorruption (naming the position) when the payload
  // does not decode or names a unit the log never created.
  Status Apply(const EventRecord& record);

  // nullptr when unknown.
  const UnitRecord* Find(const std::string& id) const;

  // True when `unit` is `ancestor` or lies below it as the tree stood at
  // `at_us`. A unit a reorganisation ended lies, from then on, where its
  // open successors lie (so what belonged to it belongs to them).
  bool IsWithin(const std::string& unit, const std::string& ancestor,
                std::int64_t at_us) const;

  // The units `id` became, transitively, that are open at `at_us`: {id}
  // itself while it is open; none for a unit unknown, not yet created, or
  // closed without successors.
  std::vector<std::string> CurrentSuccessorsAt(const std::string& id,
                                               std::int64_t at_us) const;

  // Every unit `id` succeeded, transitively (not itself), nearest first.
  std::vector<std::string> AncestorsInLineage(const std::string& id) const;

  // True when an open unit has `unit` as its parent at `at_us`.
  bool HasOpenChild(const std::string& unit, std::int64_t at_us) const;
  // The open units whose parent is `unit` at `at_us`, by id.
  std::vector<std::string> OpenChildrenAt(const std::string& unit,
                                          std::int64_t at_us) const;

  // Unit ids from the root down to `unit_id` (inclusive) as the tree stood
  // at `at_us`; just {unit_id} when the unit is unknown. At most
  // kMaxDepth ids, so a malformed tree cannot loop.
  std::vector<std::string> PathAt(const std::string& unit_id,
                                  std::int64_t at_us) const;
  static constexpr std::size_t kMaxDepth = 64;

  std::size_t size() const { return units_.size(); }

  // nullptr when the log has no reorganisation of that id.
  const ReorganisationRecord* FindReorganisation(const std::string& id) const;
  // Every reorganisation, by id.
  const std::map<std::string, ReorganisationRecord>& reorganisations() const {
    return reorganisations_;
  }

 private:
  Status ApplyReorganised(const EventRecord& record);
  // Follows successors of units ended at `at_us`, at most kMaxDepth deep.
  void CollectSuccessors(const std::string& id, std::int64_t at_us,
                         std::size_t depth,
                         std::vector<std::string>* open) const;
  bool IsWithinAtDepth(const std::string& unit, const std::string& ancestor,
                       std::int64_t at_us, std::size_t depth) const;

  std::map<std::string, UnitRecord> units_;
  std::map<std::string, ReorganisationRecord> reorganisations_;
};

}  // namespace exemplar
