// The Vietnamese label columns of the CSV exports: beside each coded column
// (state, action, role, subject kind, field, priority groups; and the
// reports' unit level, deadline status and follow-up category) a column
// "<key>_vi" holding the Vietnamese label of each code, so that a sheet
// opened in Excel reads "Đã phê duyệt", not `approved`. The workflow's
// labels are the definition's data: the read side names no action or state.
// JSON Lines keeps the codes only.
#pragma once

#include <map>
#include <string>

#include "engine/workflow/definition.h"
#include "projections/export.h"

namespace exemplar::projections {

// The Vietnamese label of each code, by the key of the column showing it.
using CodeLabels = std::map<std::string, std::map<std::string, std::string>>;

// The coded columns of the exports and their labels in `definition`:
// "state" (its states), "action" (its actions), "role" (its roles) and
// "subject_kind", "field", "priority_flags" (the values of the creating
// action's subject fields, SubjectFields); and the reports' own codes:
// "level", "status" (a deadline's), "category" (a follow-up item's), and
// "lead_blocs" (the definition's emulation blocs).
CodeLabels VietnameseLabels(const Definition& definition);

// `table` with a column "<key>_vi" right after each column `labels` covers
// (header "<key>_vi (<the header's Vietnamese term>)"): each row's code, or
// each code of a list, as its label; a code without one as it is.
Table WithLabelColumns(Table table, const CodeLabels& labels);

}  // namespace exemplar::projections
