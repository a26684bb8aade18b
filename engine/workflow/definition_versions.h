// The workflow definitions a log was decided under. The server runs with
// one, the current; each version it ever ran with is recorded in the log
// (workflow_definition_recorded on "workflow-<name>", RecordOf), so that a
// nomination in flight goes on being judged under the version it began
// under, its criteria sets, fields and rules, until a person moves it to
// the current one with the definition's adopting action
// (ActionEffects::adopts_definition_version). Work started after a change
// is judged under the current version.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/exemplar_state.h"
#include "events/system_events.h"

namespace exemplar {

class DefinitionVersions {
 public:
  // `current` must outlive this.
  explicit DefinitionVersions(const Definition* current) : current_(current) {}

  const Definition& current() const { return *current_; }

  // The definition `action` on an exemplar in `state` is judged under: the
  // version of its nomination cycle when a nomination is in flight (a state
  // the adopting action may start from), the log recorded that version and
  // `action` is not the adopting one; the current otherwise.
  const Definition& For(const ExemplarState& state, const std::string& action,
                        const Authority& authority) const;

 private:
  const Definition* Earlier(const WorkflowDefinitionRecorded& recorded) const;

  const Definition* current_;
  mutable std::mutex mutex_;
  // Parsed once, by version.
  mutable std::map<std::uint32_t, std::unique_ptr<const Definition>> earlier_;
};

// The event recording `definition` (its source and digest).
WorkflowDefinitionRecorded RecordOf(const Definition& definition);

}  // namespace exemplar
