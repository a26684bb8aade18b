// The rules about a decision itself, beside Decide's other rules: its dates
// (not after it is recorded, not before the step it follows, a fixed day
// for an occasion) and the body whose members may take it. Private to
// engine/workflow/.
#pragma once

#include <cstdint>
#include <string>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/exemplar_state.h"
#include "engine/workflow/field_check.h"
#include "events/status.h"

namespace exemplar {

// The refusal of `rule`: its reason, `message`, `field`, and the rule's own
// words.
Status RuleRefusal(const Rule& rule, const std::string& message,
                   const std::string& field = {});

// A date rule (kDateNotAfterRecording, kDateNotBeforeAction,
// kDateOnDayOfChoice) on the command's `fields` taken at `at_us`; `choice`
// is the value of the rule's choice_field (command, else cycle), or null.
Status CheckDateRule(const Rule& rule, const Fields& fields,
                     const std::string* choice, const NominationCycle& cycle,
                     std::int64_t at_us, int utc_offset_minutes);

// kDecidingBody: `actor`'s role is one of the roles of the body that
// decides `campaign` (its own, else the definition's first). A nomination
// without a campaign is not this rule's to judge.
Status CheckDecidingBody(const Rule& rule, const Definition& definition,
                         const CampaignRecord* campaign, const Actor& actor);

}  // namespace exemplar
