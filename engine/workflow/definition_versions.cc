#include "engine/workflow/definition_versions.h"

#include <algorithm>

#include "events/sha256.h"

namespace exemplar {
namespace {

// The definition's action that moves a nomination to the current version.
const ActionSpec* AdoptingAction(const Definition& definition) {
  for (const ActionSpec& action : definition.actions) {
    if (action.effects.adopts_definition_version) return &action;
  }
  return nullptr;
}

bool NominationInFlight(const ExemplarState& state,
                        const ActionSpec& adopting) {
  return state.cycle.number > 0 &&
         std::find(adopting.from.begin(), adopting.from.end(), state.state) !=
             adopting.from.end();
}

}  // namespace

const Definition& DefinitionVersions::For(const ExemplarState& state,
                                          const std::string& action,
                                          const Authority& authority) const {
  const std::uint32_t began = state.cycle.definition_version;
  const ActionSpec* adopting = AdoptingAction(*current_);
  if (began == current_->version || adopting == nullptr ||
      adopting->name == action || !NominationInFlight(state, *adopting)) {
    return *current_;
  }
  const WorkflowDefinitionRecorded* recorded =
      authority.FindDefinition(current_->name, began);
  if (recorded == nullptr) return *current_;
  const Definition* earlier = Earlier(*recorded);
  return earlier != nullptr ? *earlier : *current_;
}

const Definition* DefinitionVersions::Earlier(
    const WorkflowDefinitionRecorded& recorded) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = earlier_.find(recorded.version);
  if (found != earlier_.end()) return found->second.get();
  // The log accepted it only after parsing it (organisation.cc), so it
  // parses; a definition that does not is judged as the current one.
  Result<Definition> parsed = ParseDefinition(recorded.source);
  if (!parsed.ok()) return nullptr;
  auto& slot = earlier_[recorded.version];
  slot = std::make_unique<const Definition>(std::move(*parsed));
  return slot.get();
}

WorkflowDefinitionRecorded RecordOf(const Definition& definition) {
  return WorkflowDefinitionRecorded{definition.name, definition.version,
                                    ToHex(Sha256({definition.source})),
                                    definition.source};
}

}  // namespace exemplar
