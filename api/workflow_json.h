// The JSON a client reads of the workflow definition and of campaigns, for
// the reference routes (reference_routes.h). Members are spelled as in the
// definition file (README, "A definition of your own"), so the same words
// describe both. Private to api/.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"

namespace exemplar::api {

// What a client or a console needs of `definition`: its name and version,
// local time offset, subject fields, states, roles, actions with their
// fields (with their texts and their values' texts) and effects, rules
// (kind, reason, the refusal's texts, the actions they govern and what they
// read), criteria sets, award forms, quotas and deadlines. The read
// side's wiring is left out: it concerns the server only.
nlohmann::json WorkflowToJson(const Definition& definition);

// `values` as a list of {"value", "vi", "en"}, each with its label in
// `labels` (the same order), or the value itself for both texts.
nlohmann::json Choices(const std::vector<std::string>& values,
                       const std::vector<Label>& labels);

// One field of an action: name, type, required, `vi`/`en`, its limits
// (min, max, max_length, max_items) and, for a field with values, `values`
// and `choices` ({"value", "vi", "en"} each).
nlohmann::json FieldToJson(const FieldSpec& field);

// One criteria set: name, labels, criteria, subject conditions.
nlohmann::json CriteriaSetToJson(const CriteriaSet& set);

// One campaign as the log knows it: id, name, launching unit, period,
// criteria set name, launch and close times (RFC 3339 at
// `utc_offset_minutes`), whether it is open at `now_us`, and the body that
// decides it (`decided_by`: its own, else the definition's first; null when
// the definition has none).
nlohmann::json CampaignToJson(const CampaignRecord& campaign,
                              std::int64_t now_us, int utc_offset_minutes,
                              const DecidingBody* decided_by);

}  // namespace exemplar::api
