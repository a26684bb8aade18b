#include "api/workflow_json.h"

#include <cstdio>

#include "projections/queries.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

// `name`, `vi` and `en`, as the definition writes a labelled name.
json Labelled(const std::string& name, const Label& label) {
  return {{"name", name}, {"vi", label.vi}, {"en", label.en}};
}

}  // namespace

json Choices(const std::vector<std::string>& values,
             const std::vector<Label>& labels) {
  json choices = json::array();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Label* label = i < labels.size() ? &labels[i] : nullptr;
    choices.push_back({{"value", values[i]},
                       {"vi", label ? label->vi : values[i]},
                       {"en", label ? label->en : values[i]}});
  }
  return choices;
}

json FieldToJson(const FieldSpec& field) {
  json out = {{"name", field.name},
              {"type", FieldTypeName(field.type)},
              {"required", field.required},
              {"vi", field.label.vi},
              {"en", field.label.en}};
  if (field.min) out["min"] = *field.min;
  if (field.max) out["max"] = *field.max;
  if (field.max_length != 0) out["max_length"] = field.max_length;
  if (field.type == FieldType::kStringList ||
      field.type == FieldType::kCriteriaResults ||
      field.type == FieldType::kDocuments) {
    out["max_items"] = field.max_items;
  }
  if (!field.values.empty()) {
    out["values"] = field.values;
    out["choices"] = Choices(field.values, field.value_labels);
  }
  return out;
}

namespace {

json EffectsToJson(const ActionEffects& effects) {
  json out = json::object();
  for (const auto& [name, value] :
       {std::pair{"set_slot", &effects.set_slot},
        {"slot_field", &effects.slot_field},
        {"clear_slot", &effects.clear_slot},
        {"add_to_set", &effects.add_to_set},
        {"set_field", &effects.set_field},
        {"add_to_map", &effects.add_to_map},
        {"map_key_field", &effects.map_key_field},
        {"map_value_field", &effects.map_value_field},
        {"erasure_class_field", &effects.erasure_class_field}}) {
    if (!value->empty()) out[name] = *value;
  }
  if (effects.starts_cycle) out["starts_cycle"] = true;
  if (effects.adopts_definition_version) {
    out["adopts_definition_version"] = true;
  }
  if (effects.erases_personal_data) out["erases_personal_data"] = true;
  if (effects.gives_subject_access) out["gives_subject_access"] = true;
  return out;
}

json ActionToJson(const ActionSpec& action) {
  json out = Labelled(action.name, action.label);
  out["creates"] = action.creates;
  out["on_behalf_of_subject"] = action.on_behalf_of_subject;
  out["from"] = action.from;
  out["to"] = action.to ? json(*action.to) : json(nullptr);
  out["event"] = action.event;
  out["roles"] = action.roles;
  json fields = json::array();
  for (const FieldSpec& field : action.fields) {
    fields.push_back(FieldToJson(field));
  }
  out["fields"] = std::move(fields);
  out["effects"] = EffectsToJson(action.effects);
  if (action.by_target_unit) {
    out["by_target_unit"] = {{"map", action.by_target_unit->map},
                             {"key_field", action.by_target_unit->key_field}};
  }
  return out;
}

// The members of a rule its kind reads (definition.h, RuleKind).
json RuleToJson(const Rule& rule) {
  json out = {{"kind", RuleKindName(rule.kind)},
              {"reason", rule.reason},
              {"vi", rule.label.vi},
              {"en", rule.label.en},
              {"actions", rule.actions}};
  switch (rule.kind) {
    case RuleKind::kSeparationOfDuties:
      out["after"] = rule.after;
      break;
    case RuleKind::kNotAssignee:
      out["slot"] = rule.slot;
      break;
    case RuleKind::kActorNotInSet:
      out["set"] = rule.set;
      break;
    case RuleKind::kFieldInSet:
    case RuleKind::kFieldNotInSet:
      out["set"] = rule.set;
      out["field"] = rule.field;
      break;
    case RuleKind::kCriteriaMet:
    case RuleKind::kCriteriaKnown:
      out["campaign_field"] = rule.campaign_field;
      out["criteria_field"] = rule.criteria_field;
      break;
    case RuleKind::kCriteriaSetConditions:
      out["campaign_field"] = rule.campaign_field;
      break;
    case RuleKind::kPublicCommentPeriod:
      out["source"] = rule.source;
      out["award_field"] = rule.award_field;
      break;
    case RuleKind::kCouncilVote:
      out["award_field"] = rule.award_field;
      out["for_field"] = rule.for_field;
      out["members_field"] = rule.members_field;
      break;
    case RuleKind::kAwardGrantingLevel:
      out["award_field"] = rule.award_field;
      break;
    case RuleKind::kSumAtMost:
      out["fields"] = rule.fields;
      out["limit_field"] = rule.limit_field;
      break;
    case RuleKind::kDateNotBeforeAction:
      out["source"] = rule.source;
      [[fallthrough]];
    case RuleKind::kDateNotAfterRecording:
      out["field"] = rule.field;
      break;
    case RuleKind::kDateOnDayOfChoice:
      out["field"] = rule.field;
      out["choice_field"] = rule.choice_field;
      out["choice"] = rule.choice;
      out["month"] = rule.month;
      out["day"] = rule.day;
      break;
    case RuleKind::kDecidingBody:
      out["campaign_field"] = rule.campaign_field;
      break;
    case RuleKind::kUnitWithinActor:
      out["field"] = rule.field;
      break;
    case RuleKind::kCycleDefinitionVersion:
      break;
  }
  return out;
}

json BodyToJson(const DecidingBody& body) {
  json out = Labelled(body.name, body.label);
  out["roles"] = body.roles;
  return out;
}

json ThresholdToJson(const VoteThreshold& threshold) {
  return {{"fraction", threshold.fraction}, {"strict", threshold.strict}};
}

json AwardFormToJson(const AwardForm& form) {
  json out = Labelled(form.name, form.label);
  out["granted_by"] = form.granted_by;
  out["requires_public_comment"] = form.requires_public_comment;
  out["comment_working_days"] = form.comment_working_days;
  out["requires_council_vote"] = form.requires_council_vote;
  out["vote_threshold"] = ThresholdToJson(form.vote_threshold);
  return out;
}

// `from`/`until` and `takes_over` of a dated entry, when it has them.
void AddPeriod(const EffectivePeriod& period, const std::string& takes_over,
               json* out) {
  if (period.from) (*out)["from"] = period.from->ToString();
  if (period.until) (*out)["until"] = period.until->ToString();
  if (!takes_over.empty()) (*out)["takes_over"] = takes_over;
}

json DeadlinesToJson(const Deadlines& deadlines) {
  json registration = json::array();
  for (const AnnualRegistration& r : deadlines.annual_registration) {
    char due[8];
    std::snprintf(due, sizeof due, "%02u-%02u", r.due_month % 100,
                  r.due_day % 100);
    json entry = {{"unit_level", r.unit_level},
                  {"min", r.min},
                  {"max", r.max},
                  {"due", due}};
    AddPeriod(r.period, r.takes_over, &entry);
    registration.push_back(std::move(entry));
  }
  json rotation = json::array();
  for (const LeadBlocRotation& r : deadlines.lead_bloc_rotation) {
    rotation.push_back({{"quarter", r.quarter},
                        {"blocs", r.blocs},
                        {"choices", Choices(r.blocs, r.bloc_labels)}});
  }
  return {{"quarterly_introduction_day", deadlines.quarterly_introduction_day},
          {"annual_registration", std::move(registration)},
          {"lead_bloc_rotation", std::move(rotation)}};
}

template <typename T, typename ToJson>
json Each(const std::vector<T>& items, ToJson to_json) {
  json out = json::array();
  for (const T& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace

json CriteriaSetToJson(const CriteriaSet& set) {
  json out = Labelled(set.name, set.label);
  out["criteria"] = Each(set.criteria, [](const Criterion& criterion) {
    return json{{"id", criterion.id},
                {"vi", criterion.label.vi},
                {"en", criterion.label.en},
                {"mandatory", criterion.mandatory},
                {"subject_kinds", criterion.subject_kinds}};
  });
  out["conditions"] =
      Each(set.conditions, [](const SubjectCondition& condition) {
        json out = {{"subject_kind", condition.subject_kind},
                    {"field", condition.field},
                    {"reason", condition.reason},
                    {"vi", condition.label.vi},
                    {"en", condition.label.en}};
        if (condition.min) out["min"] = *condition.min;
        if (condition.equals) out["equals"] = *condition.equals;
        return out;
      });
  return out;
}

json WorkflowToJson(const Definition& definition) {
  const SubjectFields& subject = definition.subject;
  return {
      {"name", definition.name},
      {"version", definition.version},
      {"vi", definition.label.vi},
      {"en", definition.label.en},
      {"utc_offset_minutes", definition.utc_offset_minutes},
      {"comment_working_days", definition.comment_working_days},
      {"vote_threshold", ThresholdToJson(definition.vote_threshold)},
      {"subject",
       {{"unit_field", subject.unit_field},
        {"kind_field", subject.kind_field},
        {"name_field", subject.name_field},
        {"domain_field", subject.domain_field},
        {"priority_field", subject.priority_field}}},
      {"states",
       Each(definition.states,
            [](const State& s) { return Labelled(s.name, s.label); })},
      {"roles", Each(definition.roles,
                     [](const Role& r) { return Labelled(r.name, r.label); })},
      {"actions", Each(definition.actions, ActionToJson)},
      {"rules", Each(definition.rules, RuleToJson)},
      {"criteria_sets", Each(definition.criteria_sets, CriteriaSetToJson)},
      {"award_forms", Each(definition.award_forms, AwardFormToJson)},
      {"deciding_bodies", Each(definition.deciding_bodies, BodyToJson)},
      {"quotas", Each(definition.quotas,
                      [](const Quota& q) {
                        json out = {{"unit_level", q.unit_level},
                                    {"min_per_year", q.min_per_year}};
                        AddPeriod(q.period, q.takes_over, &out);
                        return out;
                      })},
      {"part_year", PartYearName(definition.part_year)},
      {"deadlines", DeadlinesToJson(definition.deadlines)}};
}

json CampaignToJson(const CampaignRecord& campaign, std::int64_t now_us,
                    int utc_offset_minutes, const DecidingBody* decided_by) {
  auto instant = [&](std::int64_t at_us) {
    return projections::FormatInstant(at_us, utc_offset_minutes);
  };
  return {{"campaign_id", campaign.id},
          {"name", campaign.name},
          {"unit_id", campaign.unit_id},
          {"period_start", campaign.period_start.ToString()},
          {"period_end", campaign.period_end.ToString()},
          {"criteria_set", campaign.criteria_set},
          {"launched_at", instant(campaign.launched_at_us)},
          {"closed_at", campaign.closed_at_us
                            ? json(instant(*campaign.closed_at_us))
                            : json(nullptr)},
          {"open", campaign.OpenAt(now_us)},
          {"deciding_body",
           decided_by == nullptr ? json(nullptr) : BodyToJson(*decided_by)}};
}

}  // namespace exemplar::api
