#include "engine/workflow/event_unit.h"

#include "engine/workflow/exemplar_state.h"
#include "engine/workflow/stream_ids.h"

namespace exemplar {

EventUnitResolver::EventUnitResolver(const EventStore& store,
                                     const Definition& definition)
    : store_(store), definition_(definition) {}

Result<std::string> EventUnitResolver::UnitOf(const EventRecord& event) {
  std::optional<StreamName> stream = ParseStreamId(event.stream_id);
  if (stream && stream->kind == StreamKind::kUnit) {
    return std::string(stream->id);
  }
  if (!stream || stream->kind != StreamKind::kExemplar) {
    return event.actor.unit_id;
  }
  if (auto it = exemplar_units_.find(event.stream_id);
      it != exemplar_units_.end()) {
    return it->second;
  }
  std::string unit;
  if (event.stream_version == 0) {
    unit = UnitCreatedBy(event);
  } else {
    auto first = store_.ReadStream(event.stream_id, 0, Direction::kForward, 1);
    if (!first.ok()) return first.status();
    if (!first->empty()) unit = UnitCreatedBy(first->front());
  }
  exemplar_units_.emplace(event.stream_id, unit);
  return unit;
}

std::string EventUnitResolver::UnitCreatedBy(const EventRecord& first) const {
  Result<ExemplarState> state = Apply(definition_, ExemplarState{}, first);
  return state.ok() ? state->unit_id : std::string();
}

}  // namespace exemplar
