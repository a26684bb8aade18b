// The annual registration funnel (seed 004) and the propagation assessment
// (seed 001) as commands: records a unit keeps beside its exemplars'
// streams, so an exemplar on a unit's annual list keeps its nomination
// cycle for the quarterly introduction.
//
// - RegisterList: a unit registers exemplars of its own subtree for a year,
//   when the definition's annual registration in force for its level that
//   year has step "register" (and, for an entry with leads_campaign, the
//   unit launched a campaign open that year).
// - SelectList: a unit whose step is "select" lists exemplars its children
//   registered that year.
// - SubmitList: the selected list is sent to a unit of the entry's
//   submit_to_level (the provincial Home Affairs department).
// - ScorePropagation: a reviewer scores a unit's propagation work for a
//   period, within the definition's bounds.
//
// Counts: more than the entry's max is refused; fewer than its min is
// recorded and reported short (a commune with fewer exemplars still sends
// what it has). Dates: a list or submission after the due date is recorded
// `late`, not refused, so the record says what happened; the reports show
// it. One list per unit and year: a second is refused (already_registered).
//
// Who may: the actor's role is among the entry's `roles` (the assessment's
// for a score) and held at the unit or above it (Authority::HeldRole).
//
// Pure apart from the reads it is given (FunnelReads), which load other
// streams of the log: the exemplars named and the children's lists.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

struct RegisterList {
  std::string unit_id;
  int year = 0;
  std::vector<std::string> exemplar_ids;
  std::string note;
};

struct SelectList {
  std::string unit_id;
  int year = 0;
  std::vector<std::string> exemplar_ids;
  std::string note;
};

struct SubmitList {
  std::string unit_id;
  int year = 0;
  std::string recipient_unit_id;
};

struct ScorePropagation {
  std::string unit_id;
  std::string period;  // "YYYY", "YYYY-Hn" or "YYYY-Qn"
  double score = 0;
  std::string comment;
};

using FunnelAction =
    std::variant<RegisterList, SelectList, SubmitList, ScorePropagation>;

struct FunnelCommand {
  FunnelAction action;
  Actor actor;
  std::int64_t at_us = 0;
  std::string request_id;
  std::string remote_address;
};

// "<year>-<unit id>" and "<period>-<unit id>".
std::string RegistrationId(const std::string& unit_id, int year);
std::string AssessmentId(const std::string& unit_id, const std::string& period);
std::string RegistrationStreamId(const std::string& registration_id);
std::string AssessmentStreamId(const std::string& assessment_id);

// The stream the command appends to.
std::string FunnelStreamId(const FunnelCommand& command);

// The unit the command is about and the roles that may take it (empty when
// the definition has no step for the unit's level that year).
std::string FunnelUnit(const FunnelCommand& command);
std::vector<std::string> FunnelRoles(const FunnelCommand& command,
                                     const Authority& authority,
                                     const Definition& definition);

// Whether `unit` launched a campaign open some day of `year` (an agency
// leading a movement, for an entry with leads_campaign).
bool LeadsCampaignIn(const Authority& authority, const std::string& unit,
                     int year);

// True for "YYYY", "YYYY-H1", "YYYY-H2" and "YYYY-Q1".."YYYY-Q4".
bool IsReviewPeriod(const std::string& period);

// What a decision reads of the log beyond its own stream.
struct FunnelReads {
  // The unit of exemplar `id` now; nullopt when no such exemplar.
  std::function<Result<std::optional<std::string>>(const std::string& id)>
      exemplar_unit;
  // The events of a stream (none when it does not exist).
  std::function<Result<std::vector<EventRecord>>(const std::string& stream)>
      stream;
};

// validation_failed naming the field when the command's ids cannot make
// its stream's id (a unit id, a period).
Status CheckFunnelIds(const FunnelCommand& command);

// The events to append, or a rejection (kRejected) with one of these
// reasons: "validation_failed" (with the field), "unknown_unit",
// "unit_closed", "no_registration_step", "wrong_registration_step",
// "not_authorised", "not_in_scope", "user_inactive", "already_registered",
// "registration_over_max", "exemplar_not_found" (also an exemplar out of
// the actor's sight), "exemplar_not_of_unit", "not_registered_by_child",
// "registration_not_found", "already_submitted", "invalid_recipient".
// `stream` is the events of FunnelStreamId(command).
Result<std::vector<NewEvent>> DecideFunnel(
    const FunnelCommand& command, const std::vector<EventRecord>& stream,
    const FunnelReads& reads, const Authority& authority,
    const Definition& definition);

}  // namespace exemplar
