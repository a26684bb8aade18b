// What the read side does with each action of a workflow, resolved once
// from the definition's read side (engine/workflow/read_side.h): the
// projections look actions up here and never by name.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/workflow/definition.h"

namespace exemplar::projections {

struct ActionMarks {
  const ActionSpec* spec = nullptr;
  bool ledger = false;         // a decision the approvals ledger records
  bool fills_mentor = false;   // sets the mentor slot
  bool clears_mentor = false;  // empties it
  // The milestones taking the action marks (ReadSide's marks).
  bool nominated = false;
  bool approved = false;
  bool honoured = false;
  bool propagated = false;
  bool replication_planned = false;
  bool replication_evaluated = false;
  bool evaluated = false;
  // The retention classes whose keeping period taking it starts.
  std::vector<std::string> starts_keeping;
  // Its personal fields whose class is kept for a time, with the class.
  std::vector<std::pair<std::string, std::string>> timed_personal_fields;
  // Whether it requests, or does, the erasure of the retention class its
  // field effects.erasure_class_field names.
  bool requests_erasure = false;
  bool erases = false;
  // Where the exemplar view files it, when a section names it.
  std::optional<ViewSection> view_section;
};

// Every action of `definition` by name. Pointers into `definition`.
std::unordered_map<std::string, ActionMarks> MarksByAction(
    const Definition& definition);

}  // namespace exemplar::projections
