// The 2025 reform's commands: merge units, split a unit, dissolve a level
// (each one units_reorganised on the stream "reorganisation-<id>"), and the
// carry-over of an ended unit's exemplars to its successors (one
// exemplar_transferred on each exemplar's stream). Pure: no clock, no I/O.
//
// A reorganisation takes effect when it is recorded (the command's time):
// an office records it on the day it takes effect. A request may state
// that day (`effective_date`); any other day is refused
// (effective_date_not_today), since recording an effect in the past or the
// future would rewrite what the system showed then.
//
//   merge: `units` end and become `into`, an existing unit (one of `units`,
//     which then stays open, or one beside them) or a new one. Their open
//     children move under `into`; all must be of one level.
//   split: `unit_id` ends and becomes the units of `into` (new or
//     existing). Its open children move under the default successor, as do
//     its exemplars unless `assignments` names another successor for one.
//   dissolve_level: every open unit of `level` directly under `parent_id`
//     ends; its children move under `parent_id`, its successor.
//
// Who may: an admin at (or above) the common ancestor of every unit the
// command names (a new unit's parent included); bootstrap as for every
// system command. Refusals (Status kRejected with the field): "not_authorised",
// "not_in_scope", "unknown_unit", "unit_closed" (a unit already ended or
// named twice), "unit_cycle" (a successor under a unit that ends, such as
// merging a unit into its own descendant), "already_exists" (the
// reorganisation or a new unit's id), "invalid_unit_level",
// "nothing_to_dissolve", "effective_date_not_today", "validation_failed".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/exemplar_state.h"
#include "events/civil_date.h"
#include "events/envelope.h"
#include "events/system_events.h"

namespace exemplar {

struct MergeUnits {
  std::string reorganisation_id;
  std::vector<std::string> units;
  // An existing unit: just its id. A new unit: its id, name, level and
  // parent (level and parent default to those of the first of `units`).
  UnitSpec into;
  LegalBasis legal_basis;
  std::optional<CivilDate> effective_date;
};

struct SplitUnit {
  std::string reorganisation_id;
  std::string unit_id;
  // Existing units (just the id) or new ones (with a name; level and parent
  // default to those of `unit_id`).
  std::vector<UnitSpec> into;
  std::map<std::string, std::string> assignments;  // exemplar id -> unit
  std::string default_successor;  // one of `into`; "" for the first
  LegalBasis legal_basis;
  std::optional<CivilDate> effective_date;
};

struct DissolveLevel {
  std::string reorganisation_id;
  std::string parent_id;
  std::string level;
  LegalBasis legal_basis;
  std::optional<CivilDate> effective_date;
};

using ReorganisationAction = std::variant<MergeUnits, SplitUnit, DissolveLevel>;

struct ReorganisationCommand {
  ReorganisationAction action;
  Actor actor;
  std::int64_t at_us = 0;  // when it is recorded, and so takes effect
  std::string request_id;
  std::string remote_address;
};

// "reorganisation-<id>".
std::string ReorganisationStreamId(const ReorganisationCommand& command);

// The one units_reorganised event, or a refusal (see above).
Result<std::vector<NewEvent>> DecideSystem(const ReorganisationCommand& command,
                                           const Authority& authority,
                                           const Definition& definition);

// The event a command proposes, without who and when: for tests and tools.
Result<UnitsReorganised> ReorganisationOf(const ReorganisationCommand& command,
                                          const Authority& authority,
                                          const Definition& definition);

// Where the carry-over of `reorganisation` takes an exemplar of unit
// `from_unit` with id `exemplar_id`: its assignment when the split assigned
// it to a successor of `from_unit`, else the first successor of
// `from_unit`; "" when the reorganisation did not end `from_unit`.
std::string CarryOverTarget(const UnitsReorganised& reorganisation,
                            const std::string& exemplar_id,
                            const std::string& from_unit);

// Moving one exemplar to a successor of its ended unit (the carry-over).
struct TransferCommand {
  ExemplarTransferred transfer;
  Actor actor;
  std::int64_t at_us = 0;
  std::string request_id;
  std::string remote_address;
};

// The exemplar_transferred event, or a refusal: "unknown_exemplar" (the
// exemplar does not exist), "unknown_reorganisation", "not_transferable"
// (the exemplar's unit is not `from_unit_id`, or the reorganisation did not
// end it, or `to_unit_id` is not one of its successors), and the admin
// rule of the reorganisation (an admin over the ended unit).
Result<std::vector<NewEvent>> DecideTransfer(const ExemplarState& exemplar,
                                             const TransferCommand& command,
                                             const Authority& authority);

}  // namespace exemplar
