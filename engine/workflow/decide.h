// Decide: the pure decision of the exemplar workflow. Given the exemplar's
// state, a command, the definition and the authority read model, it returns
// the events to append or a typed rejection. No clock, no I/O: the time and
// the actor come with the command, so replay is deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/exemplar_state.h"
#include "events/envelope.h"
#include "events/status.h"
#include "events/workflow_event.h"

namespace exemplar {

struct WorkflowCommand {
  std::string exemplar_id;
  std::string action;      // an action of the definition, e.g. "nominate"
  nlohmann::json fields;   // object of field name -> value (null: none)
  Actor actor;             // user, role used, unit acted for
  std::int64_t at_us = 0;  // time of the action, UTC microseconds
  std::string request_id;
  std::string remote_address;  // the client's IP address; empty: no request
  std::string correlation_id;
  // The exemplar id when the command records what the exemplar themselves
  // wrote, typed by the actor (ActionSpec::on_behalf_of_subject); empty:
  // the actor's own.
  std::string on_behalf_of = {};
  // The unit of each exemplar an exemplar field of the command names, as
  // the command handler found them (absent: no such exemplar).
  std::map<std::string, std::string> exemplar_units = {};
  // The uploaded documents its documents fields name, by hash, as the
  // command handler claimed them for the actor (absent: none waiting).
  std::map<std::string, DocumentRef> documents = {};
};

// Returns one event (type: the action's event; payload: a WorkflowEvent with
// the validated, typed fields; actor and time from the command; reason from
// a "reason" field when present), or Status kRejected with a stable reason,
// checked in this order, so that who may act is settled before anything
// about the exemplar is told:
//   "unknown_action"       the definition has no such action (field action)
//   "exemplar_not_found"   the exemplar does not exist, or the user may not
//                          see it (SeesUnit, organisation.h): one answer
//   "role_not_permitted"   the actor's role may not take the action
//   "user_inactive", "not_authorised", "not_in_scope"   see Authority (for
//                          a creating action, after the fields, which hold
//                          the unit)
//   "invalid_transition"   the action is not allowed from the current state
//                          (or creates an exemplar that exists)
//   "on_behalf_of_not_allowed"   on_behalf_of given for an action that
//                          does not record the exemplar's own words
//   "validation_failed"    on_behalf_of is not the exemplar's id, or a
//                          field is missing, unknown, mistyped, out of
//                          limits, not NFC UTF-8, holds a control character
//                          (free text may hold LF and tab), blank, or names
//                          an unknown user, unit, campaign, award form or
//                          exemplar (one the actor may not see is unknown)
//                          (field named)
//   any reason a definition rule names, e.g. "four_eyes_violation",
//   "conflict_of_interest", "criteria_not_met", "comment_period_open",
//   "vote_threshold_not_met", "award_level_not_allowed",
//   "women_ratio_below_minimum", "cultured_family_required".
// The rejection of a command on an exemplar that does not exist or that the
// user may not see: "exemplar_not_found", "no exemplar <id>", field
// exemplar_id. One answer for both, so that a command never tells whether
// an exemplar out of the user's sight exists, nor its state.
Status ExemplarNotFound(const std::string& exemplar_id);

// Whether `actor` may take `action` on the exemplar now, as far as that is
// told before any field: Ok, or the rejection Decide gives whatever fields
// come. It runs Decide's own checks, in Decide's order, short of the
// fields: the exemplar seen (exemplar_not_found), the role, the grant over
// the exemplar's unit (for a creating action, over the unit the actor acts
// for), the transition, then every rule governing the action that reads
// none of its fields (separation of duties, a slot's holders, a set of
// actors, criteria met, the comment period, the vote: they read the
// exemplar's history). A rule reading a field the action takes, and the
// fields themselves, are judged when the command comes. Pure, like Decide.
Status CheckActionOpen(const ExemplarState& state,
                       const std::string& exemplar_id, const ActionSpec& action,
                       const Actor& actor, std::int64_t at_us,
                       const Definition& definition,
                       const Authority& authority);

// A decided workflow event: its envelope, whose payload is still empty,
// and the payload itself, so that its personal values can be sealed
// before it is encoded (PersonalData::SealWorkflowEvent).
struct DecidedEvent {
  NewEvent event;
  WorkflowEvent payload;
};

Result<DecidedEvent> DecideEvent(const ExemplarState& state,
                                 const WorkflowCommand& command,
                                 const Definition& definition,
                                 const Authority& authority);

// DecideEvent's event with its payload encoded, as the only event.
Result<std::vector<NewEvent>> Decide(const ExemplarState& state,
                                     const WorkflowCommand& command,
                                     const Definition& definition,
                                     const Authority& authority);

}  // namespace exemplar
