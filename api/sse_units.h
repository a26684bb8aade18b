// Which unit an event belongs to, and whether that unit lies in a subtree of
// the organisation, for the unit filter and the read scope of the live
// event stream (sse.h). Private to api/.
//
// An event's unit:
//   - an event of an exemplar's stream ("exemplar-<id>"): the exemplar's
//     unit, the unit field of the action that created it (the definition's
//     subject.unit_field), whichever event of the stream this is;
//   - an event of a unit's stream ("unit-<id>"): that unit;
//   - any other event: the unit its actor acted for (envelope actor.unit_id).
// An event with no unit lies in no subtree. Otherwise it lies in the
// subtree of unit R when its unit is R or a descendant of R:
//   - for the unit filter, in the tree as it was at the event's recorded
//     time (an event recorded before a commune moved belongs to its old
//     district);
//   - for the read scope, in the tree as it is now, whenever the event
//     happened (api/read_scope.h): replaying history shows a reader no
//     more than they may read today.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/unit_tree.h"

namespace exemplar::api {

class EventUnits {
 public:
  // `store` and `definition` must outlive this object.
  EventUnits(const EventStore& store, const Definition& definition);

  // True when `event`'s unit lies in the subtree of any of `roots` in the
  // tree as it was at the event. Folds the unit tree from the log up to the
  // event first. Errors come from reading the store (kIoError,
  // kCorruption).
  // Thread safety (both methods): none; one caller at a time.
  Result<bool> WithinAny(const EventRecord& event,
                         const std::vector<std::string>& roots);
  // The same in the tree as it is now: folded up to `head` (how far the
  // caller has seen the log; at least the event's position) and read at
  // the wall clock's time.
  Result<bool> WithinAnyNow(const EventRecord& event,
                            const std::vector<std::string>& roots,
                            std::uint64_t head);

 private:
  // Whether `event`'s unit lies within one of `roots` at `tree_at_us`, once
  // the tree is folded up to `fold_to`.
  Result<bool> Within(const EventRecord& event,
                      const std::vector<std::string>& roots,
                      std::uint64_t fold_to, std::int64_t tree_at_us);
  Result<std::string> UnitOf(const EventRecord& event);
  // Folds unit events up to and including `position` into the tree.
  Status CatchUp(std::uint64_t position);
  // The first catch-up: folds the unit streams up to the head.
  Status LoadUnitStreams();

  const EventStore& store_;
  const Definition& definition_;
  UnitTree tree_;
  std::uint64_t next_fold_ = 1;  // first position not yet folded
  std::map<std::string, std::string> exemplar_units_;  // stream -> unit
};

}  // namespace exemplar::api
