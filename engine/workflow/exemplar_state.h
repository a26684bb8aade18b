// The state of one exemplar, folded from its stream "exemplar-<id>", and
// Apply, the pure fold step. The state is generic: what an action does to
// it (the state it leads to, slots such as the mentor, sets such as the
// recused users, the start of a nomination cycle) comes from the definition.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "engine/workflow/definition.h"
#include "engine/workflow/stream_ids.h"
#include "events/envelope.h"
#include "events/status.h"
#include "events/workflow_event.h"

namespace exemplar {

// What happened since the current nomination cycle began (the last action
// with effects.starts_cycle, e.g. nominate). Four-eyes, criteria, comment
// and vote rules read it.
struct NominationCycle {
  std::uint64_t number = 0;                 // 0 before the first nomination
  std::map<std::string, FieldValue> facts;  // latest per field
  std::map<std::string, std::set<std::string>> actors;  // action -> users
  std::map<std::string, std::int64_t> last_taken_us;    // action -> time
  // The definition version it began under, or was last moved to.
  std::uint32_t definition_version = 0;

  bool operator==(const NominationCycle&) const = default;
};

struct ExemplarState {
  std::string id;
  std::string state;  // empty: the exemplar does not exist yet
  std::uint64_t event_count = 0;
  // From the creating action's unit field, then the to_unit_id of each
  // exemplar_transferred (a reorganisation moved the exemplar).
  std::string unit_id;
  std::string subject_kind;  // from the creating action's kind field
  std::map<std::string, FieldValue> facts;   // latest value of every field
  std::map<std::string, std::string> slots;  // e.g. "mentor" -> user id
  // Everyone who ever held each slot, the present holder included: rules
  // about who did what read this history, which releasing or replacing the
  // holder does not erase.
  std::map<std::string, std::set<std::string>> slot_holders;
  std::map<std::string, std::set<std::string>> sets;  // e.g. "recused"
  // e.g. "replication_targets": replication id -> target unit
  std::map<std::string, std::map<std::string, std::string>> maps;
  NominationCycle cycle;

  bool exists() const { return !state.empty(); }
  bool operator==(const ExemplarState&) const = default;
};

// Folds one event of the exemplar's stream into `state` and returns the new
// state. An exemplar_transferred changes only its unit: state, facts,
// slots, sets and the nomination cycle carry over unchanged. The actor and time
// come from the record. kCorruption (naming the position) when the payload does
// not decode, names an action the definition does not have, or belongs to
// another definition.
Result<ExemplarState> Apply(const Definition& definition, ExemplarState state,
                            const EventRecord& record);

}  // namespace exemplar
