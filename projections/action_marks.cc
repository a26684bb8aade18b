#include "projections/action_marks.h"

#include <algorithm>

namespace exemplar::projections {

std::unordered_map<std::string, ActionMarks> MarksByAction(
    const Definition& definition) {
  const ReadSide& read = definition.read_side;
  std::unordered_map<std::string, ActionMarks> marks;
  for (const ActionSpec& action : definition.actions) {
    const std::string& name = action.name;
    ActionMarks& out = marks[name];
    out.spec = &action;
    out.ledger = std::find(read.ledger.begin(), read.ledger.end(), name) !=
                 read.ledger.end();
    // A definition built in code may have no read side: no slot is then
    // the mentor's.
    const bool has_slot = !read.mentor_slot.empty();
    out.fills_mentor = has_slot && action.effects.set_slot == read.mentor_slot;
    out.clears_mentor =
        has_slot && action.effects.clear_slot == read.mentor_slot;
    out.nominated = read.nominated.MarkedBy(name);
    out.approved = read.approved.MarkedBy(name);
    out.honoured = read.honoured.MarkedBy(name);
    out.propagated = read.propagated.MarkedBy(name);
    out.replication_planned = read.replication_planned.MarkedBy(name);
    out.replication_evaluated = read.replication_evaluated.MarkedBy(name);
    out.evaluated = read.evaluated.MarkedBy(name);
    for (const RetentionClass& kept : definition.retention_classes) {
      if (std::find(kept.after_actions.begin(), kept.after_actions.end(),
                    name) != kept.after_actions.end()) {
        out.starts_keeping.push_back(kept.name);
      }
    }
    for (const FieldSpec& field : action.fields) {
      if (!field.personal) continue;
      const RetentionClass* kept =
          definition.FindRetentionClass(field.personal->retention_class);
      if (kept != nullptr && kept->erase_after_years > 0) {
        out.timed_personal_fields.emplace_back(field.name, kept->name);
      }
    }
    const bool names_class = !action.effects.erasure_class_field.empty();
    out.erases = names_class && action.effects.erases_personal_data;
    out.requests_erasure = names_class && !out.erases;
    if (auto section = read.view.find(name); section != read.view.end()) {
      out.view_section = section->second;
    }
  }
  return marks;
}

}  // namespace exemplar::projections
