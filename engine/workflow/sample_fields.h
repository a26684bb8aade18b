// Sample fields for any action of a definition: a payload that passes field
// validation and the definition's rules, filled from the action's field
// specs and the rule kinds that read them. One generator for the tests, the
// demo and the benches, so that a field renamed or added in a definition
// is filled without code change.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/workflow/definition.h"
#include "events/status.h"
#include "events/workflow_event.h"

namespace exemplar {

// What a sample draws on beyond the definition: the references that must
// exist in the organisation, the time, and the values a caller cares about.
struct SampleContext {
  std::int64_t at_us = 0;       // date fields: its local date; periods: quarter
  std::string unit_id;          // unit fields (the subject's unit)
  std::string user_id;          // user fields (e.g. the mentor)
  std::string campaign_id;      // campaign fields
  std::string criteria_set;     // the campaign's criteria set; empty: the first
  std::string award_form;       // award form fields; empty: the first form
  std::string subject_kind;     // empty: the first of the creating action's
  std::string set_entry = "1";  // fields a set rule reads (replication id)
  std::string exemplar_id = "1";     // exemplar fields (a partner)
  std::int64_t council_members = 9;  // a vote's members field
  // Members taken as given after the sample is filled; a null removes one.
  nlohmann::json overrides = nlohmann::json::object();
};

// Fields for `action` that pass ValidateFields and, taken from a state the
// action may start from along the standard path, Decide:
//   - every required field, from its type: the context's references, date
//     and quarter; an enum's first value; an int or number of 1 within its
//     limits; true; text from the action's label within max_length;
//   - the criteria results of the context's criteria set that apply to the
//     subject kind (the mandatory ones), all met;
//   - the fields a criteria set condition names for the subject kind, at
//     its minimum or value, optional or not;
//   - a council vote that reaches the award form's threshold, with the
//     other fields of a sum rule at 0;
//   - fields a set rule reads (kFieldInSet, kFieldNotInSet): set_entry, or
//     an enum's first value.
// Optional fields are left out unless a rule reads them.
nlohmann::json SampleFields(const Definition& definition,
                            const ActionSpec& action,
                            const SampleContext& context);

// The sample as the typed fields of the event it records
// (WorkflowEvent::fields), for writers that append without Decide (the
// benches): checked as Decide checks fields, but for user, unit and
// campaign ids, which need the organisation.
Result<std::map<std::string, FieldValue>> SampleEventFields(
    const Definition& definition, const ActionSpec& action,
    const SampleContext& context);

}  // namespace exemplar
