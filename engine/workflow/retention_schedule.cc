#include "engine/workflow/retention_schedule.h"

namespace exemplar {
namespace {

// `text` with every `name` replaced by `value`.
std::string Replace(std::string text, const std::string& name,
                    const std::string& value) {
  for (std::size_t at = text.find(name); at != std::string::npos;
       at = text.find(name, at + value.size())) {
    text.replace(at, name.size(), value);
  }
  return text;
}

}  // namespace

std::vector<SystemAction> RetentionScheduleUser(
    const RetentionSchedule& schedule, const std::string& root_unit_id,
    std::int64_t at_us) {
  const std::string user = kRetentionScheduleUserId;
  return {
      UserRegistered{user, "Lịch lưu giữ dữ liệu cá nhân (tự động)",
                     root_unit_id},
      RoleGranted{"g-" + user, user, schedule.role, root_unit_id, at_us, 0}};
}

WorkflowCommand ProposeErasure(const RetentionSchedule& schedule,
                               const Definition& definition,
                               const std::string& exemplar_id,
                               const std::string& retention_class,
                               const std::string& due_on,
                               const std::string& root_unit_id,
                               std::int64_t at_us) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, value] : schedule.fields) {
    fields[name] = Replace(Replace(value, "{retention_class}", retention_class),
                           "{due_on}", due_on);
  }
  const ActionSpec* action = definition.FindAction(schedule.action);
  fields[action->effects.erasure_class_field] = retention_class;
  WorkflowCommand command;
  command.exemplar_id = exemplar_id;
  command.action = schedule.action;
  command.fields = std::move(fields);
  command.actor = Actor{kRetentionScheduleUserId, schedule.role, root_unit_id};
  command.at_us = at_us;
  command.request_id = "retention-schedule";
  return command;
}

}  // namespace exemplar
