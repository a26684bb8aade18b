#include "engine/workflow/target_scope.h"

#include "engine/workflow/organisation.h"

namespace exemplar {
namespace {

// The target units of the exemplar's `map`; one entry when `key` is given.
std::vector<std::string> Targets(const ExemplarState& state,
                                 const std::string& map,
                                 const std::string* key) {
  std::vector<std::string> units;
  auto entries = state.maps.find(map);
  if (entries == state.maps.end()) return units;
  for (const auto& [entry, unit] : entries->second) {
    if (key == nullptr || entry == *key) units.push_back(unit);
  }
  return units;
}

}  // namespace

std::string ActingScopeUnit(const ExemplarState& state,
                            const ActionSpec& action,
                            const nlohmann::json* fields,
                            const Authority& authority, const std::string& user,
                            std::int64_t at_us) {
  if (!state.exists()) return "";
  if (SeesUnit(authority, user, state.unit_id, at_us)) return state.unit_id;
  if (!action.by_target_unit) return "";
  std::string key;
  if (fields != nullptr) {
    auto given = fields->is_object()
                     ? fields->find(action.by_target_unit->key_field)
                     : fields->end();
    if (!fields->is_object() || given == fields->end() || !given->is_string()) {
      return "";
    }
    key = given->get<std::string>();
  }
  for (const std::string& unit : Targets(state, action.by_target_unit->map,
                                         fields == nullptr ? nullptr : &key)) {
    if (SeesUnit(authority, user, unit, at_us)) return unit;
  }
  return "";
}

bool SeesATargetUnit(const ExemplarState& state, const Definition& definition,
                     const std::function<bool(const std::string&)>& sees) {
  for (const ActionSpec& action : definition.actions) {
    if (!action.by_target_unit) continue;
    for (const std::string& unit :
         Targets(state, action.by_target_unit->map, nullptr)) {
      if (sees(unit)) return true;
    }
  }
  return false;
}

}  // namespace exemplar
