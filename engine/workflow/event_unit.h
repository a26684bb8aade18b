// Which unit an event belongs to, decided here once for every reader that
// asks: the event stream's unit filter and read scope (api/sse_units.h),
// the relay's subjects (relay/subjects.h), and the ledger's unit filter (a
// decision is an event of its exemplar's stream, so it is the exemplar's).
//
//   - an event of an exemplar's stream ("exemplar-<id>"): the exemplar's
//     unit when the event was appended, whoever acted (a district's approval
//     of a commune's exemplar is the commune's): the unit field of the
//     action that created it (the definition's subject.unit_field), until an
//     exemplar_transferred names another (a reorganisation ended its unit);
//     the transfer itself and every event after it belong to that one;
//   - an event of a unit's stream ("unit-<id>"): that unit;
//   - any other event: the unit its actor acted for (actor.unit_id).
//
// "" when there is none (an exemplar stream whose first event is not a
// creation the definition knows). Where that unit sits in the tree is for
// each reader to ask the unit tree (unit_tree.h) as it needs.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

class EventUnitResolver {
 public:
  // `store` and `definition` must outlive the resolver.
  EventUnitResolver(const EventStore& store, const Definition& definition);

  // The unit `event` belongs to (see above). The events of an exemplar's
  // stream before `event` that were not asked about yet are read from the
  // store once, and the units the stream had kept. Errors: those of
  // reading the store (kIoError, kCorruption).
  // Thread safety: none; one caller at a time.
  Result<std::string> UnitOf(const EventRecord& event);

 private:
  // The units an exemplar's stream had: (from stream version, unit).
  struct ExemplarUnits {
    std::vector<std::pair<std::uint64_t, std::string>> units;
    std::uint64_t next_version = 0;  // the first version not yet folded
  };
  // Folds the event of version `next_version` into `units`.
  void Fold(const EventRecord& event, ExemplarUnits* units) const;

  const EventStore& store_;
  const Definition& definition_;
  std::unordered_map<std::string, ExemplarUnits> exemplar_units_;  // by stream
};

}  // namespace exemplar
