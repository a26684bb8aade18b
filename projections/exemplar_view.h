// The exemplar view: everything known about one exemplar, folded from its
// stream "exemplar-<id>". Folding a prefix of the stream gives the exemplar
// as it was (time travel).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/workflow/definition.h"
#include "engine/workflow/personal_data.h"
#include "events/envelope.h"
#include "events/status.h"
#include "events/workflow_event.h"

namespace exemplar::projections {

// One event of the stream, as a step of the exemplar's life.
struct Step {
  std::uint64_t position = 0;
  std::int64_t at_us = 0;
  std::string action;
  std::string event_type;
  Actor actor;
  std::string reason;
  std::map<std::string, FieldValue> fields;
  // The exemplar whose own words the step records, typed by the actor;
  // empty: the actor's own.
  std::string on_behalf_of = {};
  // A transfer's reorganisation: id, kind, effective_at and legal_basis,
  // filled by the caller that knows the unit tree; null for other steps.
  nlohmann::json reorganisation;
};

// One nomination cycle and what was decided on it.
struct NominationView {
  std::uint64_t number = 0;  // 1-based
  Step nominated;
  std::optional<Step> appraisal;  // with the criteria results
  std::optional<Step> comment_opened;
  std::vector<Step> comments;
  std::optional<Step> vote;
  // The decision on it: an action of the read side's view section
  // "decision" (approve, reject, ... in workflows/exemplar.json).
  std::optional<Step> decision;
};

struct ReplicationView {
  std::string id;
  Step planned;
  std::vector<Step> progress;
  std::optional<Step> evaluation;  // with the outcome
};

struct ExemplarView {
  std::string id;
  std::string state;
  std::string name;
  std::string subject_kind;
  std::string unit_id;
  // (id, name) from the root down to the exemplar's unit; filled by the
  // caller that knows the unit tree.
  std::vector<std::pair<std::string, std::string>> unit_path;
  std::string field;
  std::vector<std::string> priority_flags;
  std::string mentor_id;
  std::vector<Step> mentor_history;  // assign, reassign, release
  std::vector<Step> nurturing;       // visits, informing, experience, plans
  std::vector<NominationView> nominations;
  std::vector<Step> honours;
  std::vector<Step> higher_award_recommendations;
  std::vector<Step> revocations;
  std::vector<Step> propagation;
  std::vector<ReplicationView> replications;
  std::vector<Step> emulation_registrations;
  std::vector<Step> evaluations;
  // Moves to a reorganisation's successor unit (fields reorganisation_id,
  // from_unit_id, to_unit_id), also in the timeline.
  std::vector<Step> transfers;
  std::vector<Step> timeline;  // every step in order
  std::uint64_t position = 0;  // of the last event folded
  // The stream version of the last event folded: what a command's If-Match
  // expects.
  std::uint64_t version = 0;
};

// Folds `records` (one exemplar's stream, in order). kNotFound when there
// are none; kCorruption naming the position when one does not decode or
// names an action the definition lacks.
// Personal values are opened with `personal` (kWithheldValue without it).
Result<ExemplarView> FoldExemplarView(const Definition& definition,
                                      const std::vector<EventRecord>& records,
                                      const PersonalData* personal = nullptr);

nlohmann::json ToJson(const Step& step, int utc_offset_minutes);
nlohmann::json ToJson(const ExemplarView& view, int utc_offset_minutes);

}  // namespace exemplar::projections
