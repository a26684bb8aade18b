// Whether an event's unit lies in a subtree of the organisation, for the
// unit filter and the read scope of the live event stream (sse.h). Private
// to api/.
//
// An event's unit is the engine's (engine/workflow/event_unit.h): its
// exemplar's for an exemplar's stream, the unit's for a unit's stream, its
// actor's otherwise. An event with no unit lies in no subtree. Otherwise it
// lies in the
// subtree of unit R when its unit is R or a descendant of R:
//   - for the unit filter, in the tree as it was at the event's recorded
//     time (an event recorded before a commune moved belongs to its old
//     district), R's lineage followed: once a reorganisation ended R, the
//     events of the units R became (CurrentSuccessorsAt) lie in R's
//     subtree too, so a subscriber filtering on a merged commune keeps
//     receiving its successor's events;
//   - for the read scope, in the tree as it is now, whenever the event
//     happened (api/read_scope.h): replaying history shows a reader no
//     more than they may read today.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/event_unit.h"
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
  // Folds unit events up to and including `position` into the tree.
  Status CatchUp(std::uint64_t position);
  // The first catch-up: folds the unit and reorganisation streams up to
  // the head.
  Status LoadUnitStreams();

  const EventStore& store_;
  EventUnitResolver units_;
  UnitTree tree_;
  std::uint64_t next_fold_ = 1;  // first position not yet folded
};

}  // namespace exemplar::api
