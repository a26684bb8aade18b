// Which unit an event belongs to, decided here once for every reader that
// asks: the event stream's unit filter and read scope (api/sse_units.h),
// the relay's subjects (relay/subjects.h), and the ledger's unit filter (a
// decision is an event of its exemplar's stream, so it is the exemplar's).
//
//   - an event of an exemplar's stream ("exemplar-<id>"): the exemplar's
//     unit, the unit field of the action that created it (the definition's
//     subject.unit_field), whichever event of the stream it is and whoever
//     acted (a district's approval of a commune's exemplar is the
//     commune's);
//   - an event of a unit's stream ("unit-<id>"): that unit;
//   - any other event: the unit its actor acted for (actor.unit_id).
//
// "" when there is none (an exemplar stream whose first event is not a
// creation the definition knows). Where that unit sits in the tree is for
// each reader to ask the unit tree (unit_tree.h) as it needs.
#pragma once

#include <string>
#include <unordered_map>

#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

class EventUnitResolver {
 public:
  // `store` and `definition` must outlive the resolver.
  EventUnitResolver(const EventStore& store, const Definition& definition);

  // The unit `event` belongs to (see above). The first time an exemplar's
  // stream is asked about, its first event is read from the store (the
  // event itself when it is that one) and its unit kept. Errors: those of
  // reading the store (kIoError, kCorruption).
  // Thread safety: none; one caller at a time.
  Result<std::string> UnitOf(const EventRecord& event);

 private:
  // The unit the creating event `first` names; "" when it names none.
  std::string UnitCreatedBy(const EventRecord& first) const;

  const EventStore& store_;
  const Definition& definition_;
  std::unordered_map<std::string, std::string> exemplar_units_;  // by stream
};

}  // namespace exemplar
