#include "engine/workflow/decision_rules.h"

#include <cstdio>

namespace exemplar {
namespace {

const CivilDate* DateOf(const Fields& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? nullptr : std::get_if<CivilDate>(&it->second);
}

Status CheckDayOfChoice(const Rule& rule, const CivilDate* date,
                        const std::string* choice) {
  if (choice == nullptr || *choice != rule.choice) return Status::Ok();
  char day[8];
  std::snprintf(day, sizeof day, "%02u-%02u", rule.month % 100u,
                rule.day % 100u);
  if (date == nullptr || date->ToString().substr(5) != day) {
    return RuleRefusal(rule,
                       rule.field + " must fall on " + day + " when " +
                           rule.choice_field + " is \"" + rule.choice + "\"",
                       rule.field);
  }
  return Status::Ok();
}

}  // namespace

Status RuleRefusal(const Rule& rule, const std::string& message,
                   const std::string& field) {
  return Status::Rejected(rule.reason, message, field)
      .WithTexts(rule.label.vi, rule.label.en);
}

Status CheckDateRule(const Rule& rule, const Fields& fields,
                     const std::string* choice, const NominationCycle& cycle,
                     std::int64_t at_us, int utc_offset_minutes) {
  const CivilDate* date = DateOf(fields, rule.field);
  if (rule.kind == RuleKind::kDateOnDayOfChoice) {
    return CheckDayOfChoice(rule, date, choice);
  }
  if (date == nullptr) return Status::Ok();
  if (rule.kind == RuleKind::kDateNotAfterRecording) {
    const CivilDate today = CivilDate::AtInstant(at_us, utc_offset_minutes);
    if (*date > today) {
      return RuleRefusal(rule,
                         rule.field + " " + date->ToString() +
                             " is after the day it is recorded, " +
                             today.ToString(),
                         rule.field);
    }
    return Status::Ok();
  }
  auto taken = cycle.last_taken_us.find(rule.source);
  if (taken == cycle.last_taken_us.end()) return Status::Ok();
  const CivilDate bound =
      CivilDate::AtInstant(taken->second, utc_offset_minutes);
  if (*date < bound) {
    return RuleRefusal(rule,
                       rule.field + " " + date->ToString() + " is before \"" +
                           rule.source + "\" on " + bound.ToString(),
                       rule.field);
  }
  return Status::Ok();
}

Status CheckDecidingBody(const Rule& rule, const Definition& definition,
                         const CampaignRecord* campaign, const Actor& actor) {
  if (campaign == nullptr) return Status::Ok();
  const DecidingBody* body =
      definition.FindDecidingBody(campaign->deciding_body);
  if (body == nullptr || Contains(body->roles, actor.role)) {
    return Status::Ok();
  }
  return RuleRefusal(rule, "campaign \"" + campaign->id + "\" is decided by " +
                               body->label.en + " (" + body->name +
                               "), not by the "
                               "role \"" +
                               actor.role + "\"");
}

}  // namespace exemplar
