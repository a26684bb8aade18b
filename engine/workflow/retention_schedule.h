// The commands of the retention schedule (Definition::retention_schedule):
// what it takes to propose the erasure of personal data whose keeping
// period has ended, for a person to approve.
#pragma once

#include <cstdint>
#include <string>

#include "engine/workflow/decide.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/organisation.h"

namespace exemplar {

// The system user the schedule acts as; made with its grant the first time
// a proposal is due (RetentionScheduleUser).
inline constexpr char kRetentionScheduleUserId[] = "retention-schedule";

// The user and the grant of `schedule.role` at `root_unit_id` the schedule
// acts with, made by `admin` at `at_us`.
std::vector<SystemAction> RetentionScheduleUser(
    const RetentionSchedule& schedule, const std::string& root_unit_id,
    std::int64_t at_us);

// The command proposing the erasure of `retention_class` of `exemplar_id`,
// due on `due_on` ("YYYY-MM-DD"): the schedule's action with its fields
// filled in, as kRetentionScheduleUserId in the schedule's role at
// `root_unit_id`.
WorkflowCommand ProposeErasure(const RetentionSchedule& schedule,
                               const Definition& definition,
                               const std::string& exemplar_id,
                               const std::string& retention_class,
                               const std::string& due_on,
                               const std::string& root_unit_id,
                               std::int64_t at_us);

}  // namespace exemplar
