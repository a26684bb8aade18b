// The one named exception to "a user acts on and reads what lies in the
// subtrees of their grants' units" (api/read_scope.h, SeesUnit): a
// replication is followed where it happens (seed 000, "Thường xuyên theo
// dõi, hỗ trợ việc nhân rộng điển hình"). An action the definition marks
// `by_target_unit` may be taken by an officer who sees the unit that the
// exemplar's map (e.g. "replication_targets", filled by plan_replication)
// names for the command's key (the replication id), though they do not see
// the exemplar's own unit; and such an officer may read the exemplar's view
// to do so. Nothing else of the exemplar opens to them.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/exemplar_state.h"

namespace exemplar {

// The unit whose grant lets `user` take `action` on the exemplar at
// `at_us`: the exemplar's unit when they see it; else, for an action taken
// by the target unit, the unit the map names for the key in `fields` (null:
// no fields yet, any target the user sees); "" when there is none, and the
// exemplar is then unknown to them.
std::string ActingScopeUnit(const ExemplarState& state,
                            const ActionSpec& action,
                            const nlohmann::json* fields,
                            const Authority& authority, const std::string& user,
                            std::int64_t at_us);

// Whether `sees` holds for a unit that a map read by an action taken by the
// target unit names: the reader then may read the exemplar's view.
bool SeesATargetUnit(const ExemplarState& state, const Definition& definition,
                     const std::function<bool(const std::string&)>& sees);

}  // namespace exemplar
