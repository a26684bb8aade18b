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
    if (auto section = read.view.find(name); section != read.view.end()) {
      out.view_section = section->second;
    }
  }
  return marks;
}

}  // namespace exemplar::projections
