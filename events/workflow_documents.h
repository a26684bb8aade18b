// The evidence documents a workflow event recorded (DocumentRef), whatever
// fields hold them: what erasure, reading and verifying documents walk.
#pragma once

#include <variant>
#include <vector>

#include "events/workflow_event.h"

namespace exemplar {

// The documents of `event`, in the order of its fields; they point into it.
inline std::vector<const DocumentRef*> DocumentsOf(const WorkflowEvent& event) {
  std::vector<const DocumentRef*> documents;
  for (const auto& [name, value] : event.fields) {
    if (const auto* held = std::get_if<std::vector<DocumentRef>>(&value)) {
      for (const DocumentRef& document : *held) documents.push_back(&document);
    }
  }
  return documents;
}

}  // namespace exemplar
