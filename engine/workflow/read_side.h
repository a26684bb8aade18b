// The read side of a workflow definition: what the projections (the
// exemplar list, the approvals ledger, the exemplar view and the reports)
// need to know of the workflow's actions, fields and states. The
// projections never name an action or a state of a workflow; they read
// them here, so renaming one, or adding an action that marks a milestone,
// is a definition change only.
//
// In the definition's JSON, member "read_side":
//
//   "read_side": {
//     "mentor_slot": "mentor",
//     "ledger": ["appraise", "approve", ...],
//     "marks": {
//       "nominated": {"actions": ["nominate"], "period_field": "period",
//                     "campaign_field": "campaign_id",
//                     "kind_field": "nomination_kind",
//                     "quarterly": "quarterly", "annual": "annual"},
//       "approved": {"actions": ["approve"]},
//       "honoured": {"actions": ["honour"]},
//       "propagated": {"actions": ["record_propagation"],
//                      "channel_field": "channel", "reach_field": "reach"},
//       "replication_planned": {"actions": ["plan_replication"],
//                               "id_field": "replication_id"},
//       "replication_evaluated": {"actions": ["evaluate_replication"],
//                                 "id_field": "replication_id",
//                                 "outcome_field": "outcome",
//                                 "not_adopted": "not_replicated"},
//       "evaluated": {"actions": ["evaluate"], "period_field": "period"}
//     },
//     "view": {"appraisal": ["appraise"], "decision": ["approve", ...], ...},
//     "follow_up": {"closed_states": ["retired"],
//                   "replicable_states": ["honoured"],
//                   "evaluable_states": ["nurturing", "approved", ...]}
//   }
//
// Every mark is required (the list and the reports count each), with the
// fields listed for it, which each of its actions must record with a
// fitting type (a period, a campaign, an enum holding the values named, a
// string id). The loader refuses an unknown action, field, state, slot or
// view section, naming where.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace exemplar {

// A milestone of an exemplar, reached when one of `actions` is taken, and
// the fields of those actions the read side reads ("" when the mark has
// none).
struct Mark {
  std::vector<std::string> actions;
  std::string period_field;    // nominated, evaluated: a period
  std::string campaign_field;  // nominated: the campaign
  std::string kind_field;      // nominated: an enum with these values for
  std::string quarterly;       // a quarterly introduction and
  std::string annual;          // an annual registration
  std::string id_field;        // replication_*: the replication id
  std::string outcome_field;   // replication_evaluated: an enum with
  std::string not_adopted;     // this value when nobody adopted it
  std::string channel_field;   // propagated (optional): an enum channel
  std::string reach_field;     // propagated (optional): an int reach

  bool MarkedBy(const std::string& action) const;
};

// Where the exemplar view files a step (the section's JSON key). Steps of
// the mentor slot go to mentor_history, cycle starts to nominations, the
// replication marks to replications; actions no section names to
// nurturing. The cycle sections (appraisal .. decision) take a step only
// within a nomination cycle.
enum class ViewSection {
  kAppraisal,
  kCommentOpened,
  kComments,
  kVote,
  kDecision,
  kHonours,
  kHigherAwardRecommendations,
  kRevocations,
  kPropagation,
  kReplicationProgress,  // needs replication_planned's id_field
  kEmulationRegistrations,
  kEvaluations,
};

struct ReadSide {
  // The slot (effects.set_slot) whose holder is the exemplar's mentor.
  std::string mentor_slot;
  // The decisions the approvals ledger records.
  std::vector<std::string> ledger;
  Mark nominated, approved, honoured, propagated;
  Mark replication_planned, replication_evaluated, evaluated;
  // Action -> the section of the exemplar view that shows it.
  std::map<std::string, ViewSection> view;
  // Follow-up report: exemplars in these states are no longer followed;
  // "honoured, not replicated" is reported only in replicable states, "no
  // evaluation this year" only in evaluable ones.
  std::vector<std::string> closed_states;
  std::vector<std::string> replicable_states;
  std::vector<std::string> evaluable_states;
};

}  // namespace exemplar
