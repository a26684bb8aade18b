#include "engine/workflow/event_unit.h"

#include <algorithm>

#include "engine/workflow/exemplar_state.h"
#include "engine/workflow/stream_ids.h"
#include "events/funnel_events.h"
#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

// The unit an annual list or a propagation score is about, from its
// payload; "" when it does not decode.
std::string FunnelUnit(const EventRecord& event) {
  if (event.type == AnnualListRegistered::kType) {
    auto list = DecodeRecordPayload<AnnualListRegistered>(event);
    return list.ok() ? list->unit_id : "";
  }
  if (event.type == AnnualListSubmitted::kType) {
    auto submitted = DecodeRecordPayload<AnnualListSubmitted>(event);
    return submitted.ok() ? submitted->unit_id : "";
  }
  auto scored = DecodeRecordPayload<PropagationScored>(event);
  return scored.ok() ? scored->unit_id : "";
}

}  // namespace

EventUnitResolver::EventUnitResolver(const EventStore& store,
                                     const Definition& definition)
    : store_(store), definition_(definition) {}

Result<std::string> EventUnitResolver::UnitOf(const EventRecord& event) {
  std::optional<StreamName> stream = ParseStreamId(event.stream_id);
  if (stream && stream->kind == StreamKind::kUnit) {
    return std::string(stream->id);
  }
  if (stream && (stream->kind == StreamKind::kRegistration ||
                 stream->kind == StreamKind::kAssessment)) {
    return FunnelUnit(event);
  }
  if (!stream || stream->kind != StreamKind::kExemplar) {
    return event.actor.unit_id;
  }
  ExemplarUnits& known = exemplar_units_[event.stream_id];
  const std::uint64_t version = event.stream_version;
  while (known.next_version < version) {
    auto page = store_.ReadStream(
        event.stream_id, known.next_version, Direction::kForward,
        std::min<std::uint64_t>(version - known.next_version, 256));
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    for (const EventRecord& earlier : *page) Fold(earlier, &known);
  }
  if (known.next_version == version) Fold(event, &known);
  std::string unit;
  for (const auto& [from, named] : known.units) {
    if (from > version) break;
    unit = named;
  }
  return unit;
}

void EventUnitResolver::Fold(const EventRecord& event,
                             ExemplarUnits* units) const {
  units->next_version = event.stream_version + 1;
  if (event.stream_version == 0) {
    Result<ExemplarState> state = Apply(definition_, ExemplarState{}, event);
    if (state.ok()) units->units.emplace_back(0, state->unit_id);
  } else if (event.type == ExemplarTransferred::kType) {
    auto moved = DecodeRecordPayload<ExemplarTransferred>(event);
    if (moved.ok()) {
      units->units.emplace_back(event.stream_version, moved->to_unit_id);
    }
  }
}

}  // namespace exemplar
