#include "engine/workflow/exemplar_state.h"

#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

std::string StringField(const WorkflowEvent& event, const std::string& name) {
  auto it = event.fields.find(name);
  if (it == event.fields.end()) return {};
  const std::string* value = std::get_if<std::string>(&it->second);
  return value == nullptr ? std::string() : *value;
}

void ApplyEffects(const ActionEffects& effects, const WorkflowEvent& event,
                  ExemplarState* state) {
  if (!effects.set_slot.empty()) {
    const std::string holder = StringField(event, effects.slot_field);
    state->slots[effects.set_slot] = holder;
    state->slot_holders[effects.set_slot].insert(holder);
  }
  if (!effects.clear_slot.empty()) state->slots.erase(effects.clear_slot);
  if (!effects.add_to_set.empty()) {
    state->sets[effects.add_to_set].insert(
        StringField(event, effects.set_field));
  }
  if (!effects.add_to_map.empty()) {
    state->maps[effects.add_to_map][StringField(event, effects.map_key_field)] =
        StringField(event, effects.map_value_field);
  }
}

}  // namespace

Result<ExemplarState> Apply(const Definition& definition, ExemplarState state,
                            const EventRecord& record) {
  if (record.type == ExemplarTransferred::kType) {
    Result<ExemplarTransferred> moved =
        DecodeRecordPayload<ExemplarTransferred>(record);
    if (!moved.ok()) return moved.status();
    state.unit_id = moved->to_unit_id;
    ++state.event_count;
    return state;
  }
  Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
  if (!event.ok()) return event.status();
  if (event->definition_name != definition.name) {
    return Status::Corruption("event of definition \"" +
                                  event->definition_name + "\", not \"" +
                                  definition.name + "\"",
                              record.position);
  }
  const ActionSpec* action = definition.FindAction(event->action);
  if (action == nullptr) {
    return Status::Corruption("unknown action \"" + event->action + "\"",
                              record.position);
  }
  if (action->creates) {
    state.id =
        record.stream_id.substr(StreamPrefix(StreamKind::kExemplar).size());
    state.unit_id = StringField(*event, definition.subject.unit_field);
    state.subject_kind = StringField(*event, definition.subject.kind_field);
  }
  if (action->effects.starts_cycle) {
    state.cycle = NominationCycle{
        state.cycle.number + 1, {}, {}, {}, event->definition_version};
  }
  if (action->effects.adopts_definition_version) {
    state.cycle.definition_version = event->definition_version;
  }
  for (const auto& [name, value] : event->fields) {
    state.facts[name] = value;
    state.cycle.facts[name] = value;
  }
  state.cycle.actors[action->name].insert(record.actor.user_id);
  state.cycle.last_taken_us[action->name] = record.recorded_at_us;
  ApplyEffects(action->effects, *event, &state);
  if (action->to) state.state = *action->to;
  ++state.event_count;
  return state;
}

}  // namespace exemplar
