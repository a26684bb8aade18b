// An exemplar's row as it stood at an earlier position, told from the row
// as it stands: each row keeps one step per event it folded (rows.h,
// RowStep) and the values those events set, so time travel truncates the
// row instead of folding the log again.
//
// The creating event is the stream's first, and only the first: the
// decider refuses to create an exemplar that exists. The subject's fields
// set by it (name, kind, field, priority flags, detection time) are those
// of every earlier row that has the exemplar at all. A transfer names the
// unit it moves the exemplar from, which is the unit the exemplar had.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "projections/rows.h"

namespace exemplar::projections {

// How many of `row`'s events lie at or before `position`.
std::size_t StepsUpTo(const ExemplarRow& row, std::uint64_t position);

// Fills `*past` with the row the events of its stream up to `position`
// fold to, byte for byte; false (and `*past` untouched) when none does.
bool RowAsOf(const ExemplarRow& row, std::uint64_t position, ExemplarRow* past);

}  // namespace exemplar::projections
