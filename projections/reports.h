// The supervisors' reports, computed from a ReadModel: quotas per unit and
// year, quarterly introduction deadlines, and follow-up lists. Local dates
// use `utc_offset_minutes` (UTC+7 by default).
//
// Thread safety: pure functions of the model; the caller holds it still.
#pragma once

#include <string>
#include <vector>

#include "events/status.h"
#include "projections/queries.h"
#include "projections/read_model.h"

namespace exemplar::projections {

// Every report counts only the exemplars `visible` covers and lists only
// the units it covers.

// One row per unit within `unit_id` (every unit when empty) and the
// visible units, in being during `year`, whose level has a minimum for the
// year (Definition::MinimumForYear: the quotas in force, by the months the
// unit was in being) or an annual registration (the entry in force on its
// due date). Counts are of exemplars with the step in local calendar year
// `year`, each step counted for the unit the exemplar belonged to when it
// was taken and that unit's ancestors then, and for the units it became
// (open in the tree shown) and their ancestors: an ended unit's row shows
// its part, its successor's the year's total. Registrations are annual
// nominations for `year` made by the unit itself, on time when on or
// before the due date.
// kInvalidArgument for a year outside 1900..9999.
Result<QuotaReport> BuildQuotaReport(const ReadModel& model,
                                     const std::string& unit_id, int year,
                                     const ReadScope& visible,
                                     int utc_offset_minutes);

// One row per unit with a minimum in force on the due date (and any unit
// that introduced one, or whose predecessor did)
// within `unit_id` (every unit when empty) and the visible units, counting
// the introductions of exemplars within them: "on_time" when its first
// quarterly introduction for year-Qquarter was made before the definition's
// day (the 5th) of the quarter's last month, local time; "late" when made
// later; "missing" when none. kInvalidArgument for a quarter outside 1..4
// or a bad year.
Result<DeadlineReport> BuildDeadlineReport(const ReadModel& model,
                                           const std::string& unit_id, int year,
                                           int quarter,
                                           const ReadScope& visible,
                                           int utc_offset_minutes);

// The follow-up lists and the priority-group shares for exemplars within
// the query's scope, as of `query.as_of_us` (default: the last event).
FollowUpReport BuildFollowUpReport(const ReadModel& model,
                                   const FollowUpQuery& query,
                                   int utc_offset_minutes);

// The personal data due for erasure by `query.due_by` (default: the local
// date of `query.now_us`) within the query's scope: for each
// exemplar and retention class with erase_after_years whose data one of its
// events recorded, the period from the last of the class's after_actions,
// unless the class was erased after it.
// kInvalidArgument for a due_by that is not a date.
Result<RetentionReport> BuildRetentionReport(const ReadModel& model,
                                             const RetentionQuery& query,
                                             int utc_offset_minutes);

}  // namespace exemplar::projections
