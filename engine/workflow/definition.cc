#include "engine/workflow/definition.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine/workflow/definition_json.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

using definition_json::At;
using definition_json::Contains;
using definition_json::Each;
using definition_json::Fail;
using definition_json::Member;
using definition_json::Name;
using definition_json::Quoted;
using definition_json::ReadLabel;
using definition_json::UniqueNames;
using nlohmann::json;

constexpr std::pair<FieldType, const char*> kFieldTypeNames[] = {
    {FieldType::kString, "string"},
    {FieldType::kText, "text"},
    {FieldType::kInt, "int"},
    {FieldType::kNumber, "number"},
    {FieldType::kBool, "bool"},
    {FieldType::kDate, "date"},
    {FieldType::kEnum, "enum"},
    {FieldType::kStringList, "string_list"},
    {FieldType::kCriteriaResults, "criteria_results"},
    {FieldType::kDocuments, "documents"},
    {FieldType::kPeriod, "period"},
    {FieldType::kUser, "user"},
    {FieldType::kUnit, "unit"},
    {FieldType::kCampaign, "campaign"},
    {FieldType::kAwardForm, "award_form"},
    {FieldType::kExemplar, "exemplar"},
};

constexpr std::pair<RuleKind, const char*> kRuleKindNames[] = {
    {RuleKind::kSeparationOfDuties, "separation_of_duties"},
    {RuleKind::kNotAssignee, "not_assignee"},
    {RuleKind::kActorNotInSet, "actor_not_in_set"},
    {RuleKind::kFieldInSet, "field_in_set"},
    {RuleKind::kFieldNotInSet, "field_not_in_set"},
    {RuleKind::kCriteriaMet, "criteria_met"},
    {RuleKind::kCriteriaKnown, "criteria_known"},
    {RuleKind::kCriteriaSetConditions, "criteria_set_conditions"},
    {RuleKind::kPublicCommentPeriod, "public_comment_period"},
    {RuleKind::kCouncilVote, "council_vote"},
    {RuleKind::kAwardGrantingLevel, "award_granting_level"},
    {RuleKind::kSumAtMost, "sum_at_most"},
    {RuleKind::kDateNotAfterRecording, "date_not_after_recording"},
    {RuleKind::kDateNotBeforeAction, "date_not_before_action"},
    {RuleKind::kDateOnDayOfChoice, "date_on_day_of_choice"},
    {RuleKind::kDecidingBody, "deciding_body"},
    {RuleKind::kUnitWithinActor, "unit_within_actor"},
    {RuleKind::kCycleDefinitionVersion, "cycle_definition_version"},
};

// The spelling of `value` in one of the tables above.
template <typename Enum, std::size_t N>
const char* NameIn(const std::pair<Enum, const char*> (&table)[N], Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "unknown";
}

// "MM-DD", a day of the year.
Status ReadMonthDay(const std::string& text, const std::string& at,
                    unsigned* month, unsigned* day) {
  char dash = 0;
  std::istringstream in(text);
  if (!(in >> *month >> dash >> *day) || dash != '-' || *month < 1 ||
      *month > 12 || *day < 1 || *day > 31) {
    return Fail(at, "expected MM-DD, got " + Quoted(text));
  }
  return Status::Ok();
}

Status ReadThreshold(const json& obj, const std::string& at,
                     VoteThreshold* threshold) {
  auto it = obj.find("vote_threshold");
  if (it == obj.end()) return Status::Ok();
  std::string here = At(at, "vote_threshold");
  if (!it->is_object()) return Fail(here, "expected an object");
  EXEMPLAR_RETURN_IF_ERROR(
      Member(*it, here, "fraction", &threshold->fraction, true));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "strict", &threshold->strict));
  if (threshold->fraction <= 0 || threshold->fraction > 1) {
    return Fail(At(here, "fraction"), "must be in (0, 1]");
  }
  return Status::Ok();
}

// The list `key` of `j` (when present): objects {"value", "vi", "en"},
// each value once, into `values` and their `labels`.
Status ParseLabelledValues(const json& j, const std::string& at,
                           const char* key, bool required,
                           std::vector<std::string>* values,
                           std::vector<Label>* labels) {
  auto it = j.find(key);
  const std::string here = At(at, key);
  if (it == j.end()) return required ? Fail(here, "missing") : Status::Ok();
  if (!it->is_array()) return Fail(here, "expected an array");
  UniqueNames seen("value");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    const std::string where = At(here, i);
    if (!item.is_object()) {
      return Fail(where, "expected an object {\"value\", \"vi\", \"en\"}");
    }
    std::string value;
    Label label;
    EXEMPLAR_RETURN_IF_ERROR(Member(item, where, "value", &value, true));
    EXEMPLAR_RETURN_IF_ERROR(seen.Add(value, At(where, "value")));
    EXEMPLAR_RETURN_IF_ERROR(ReadLabel(item, where, &label));
    values->push_back(std::move(value));
    labels->push_back(std::move(label));
  }
  return Status::Ok();
}

constexpr std::pair<PersonalOf, const char*> kPersonalOfNames[] = {
    {PersonalOf::kSubject, "subject"},
    {PersonalOf::kCommenter, "commenter"},
    {PersonalOf::kActor, "actor"}};

// A field's `personal` mark: {"of": "subject" | "commenter" | "actor",
// "retention_class": name}.
Status ParsePersonal(const json& j, const std::string& at, FieldSpec* field) {
  auto it = j.find("personal");
  const std::string here = At(at, "personal");
  if (it == j.end() && field->type == FieldType::kDocuments) {
    // A document's key is sealed under its data subject's key: without a
    // subject, nothing could erase it.
    return Fail(here, "a documents field says whose personal data they are");
  }
  if (it == j.end()) return Status::Ok();
  if (!it->is_object()) return Fail(here, "expected an object");
  PersonalMark mark;
  std::string of;
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "of", &of, true));
  auto found =
      std::find_if(std::begin(kPersonalOfNames), std::end(kPersonalOfNames),
                   [&](const auto& p) { return of == p.second; });
  if (found == std::end(kPersonalOfNames)) {
    return Fail(At(here, "of"), "unknown data subject " + Quoted(of) +
                                    " (subject, commenter or actor)");
  }
  mark.of = found->first;
  EXEMPLAR_RETURN_IF_ERROR(
      Member(*it, here, "retention_class", &mark.retention_class, true));
  if (field->type != FieldType::kString && field->type != FieldType::kText &&
      field->type != FieldType::kStringList &&
      field->type != FieldType::kDocuments) {
    return Fail(here,
                "only a string, text, string list or documents field holds "
                "personal data");
  }
  field->personal = std::move(mark);
  return Status::Ok();
}

Status ParseRetentionClass(const json& j, const std::string& at,
                           RetentionClass* out) {
  EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &out->name));
  EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &out->label));
  if (auto kept = j.find("kept_because"); kept != j.end()) {
    if (!kept->is_object())
      return Fail(At(at, "kept_because"), "expected an object");
    EXEMPLAR_RETURN_IF_ERROR(
        ReadLabel(*kept, At(at, "kept_because"), &out->kept_because.emplace()));
  }
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "erase_after_years", &out->erase_after_years));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "after_actions", &out->after_actions));
  if (out->erase_after_years < 0 || out->erase_after_years > 100) {
    return Fail(At(at, "erase_after_years"), "must be within 0..100");
  }
  if (out->kept_because && out->erase_after_years > 0) {
    return Fail(At(at, "erase_after_years"),
                "a kept class is not erased after a time");
  }
  if ((out->erase_after_years > 0) == out->after_actions.empty()) {
    return Fail(At(at, "after_actions"),
                "erase_after_years and after_actions go together");
  }
  return Status::Ok();
}

Status ParseRetentionSchedule(const json& j, RetentionSchedule* out) {
  const std::string at = "retention_schedule";
  if (!j.is_object()) return Fail(at, "expected an object");
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "action", &out->action, true));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "role", &out->role, true));
  auto fields = j.find("fields");
  if (fields == j.end() || !fields->is_object()) {
    return Fail(At(at, "fields"), "expected an object of texts");
  }
  for (const auto& [name, value] : fields->items()) {
    EXEMPLAR_RETURN_IF_ERROR(definition_json::Read(
        value, At(At(at, "fields"), name), &out->fields[name]));
  }
  return Status::Ok();
}

Status ParseField(const json& j, const std::string& at, FieldSpec* field) {
  EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &field->name));
  EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &field->label));
  std::string type;
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "type", &type, true));
  auto found =
      std::find_if(std::begin(kFieldTypeNames), std::end(kFieldTypeNames),
                   [&](const auto& p) { return type == p.second; });
  if (found == std::end(kFieldTypeNames)) {
    return Fail(At(at, "type"), "unknown field type " + Quoted(type));
  }
  field->type = found->first;
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "required", &field->required));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "min", &field->min));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "max", &field->max));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "max_length", &field->max_length));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "max_items", &field->max_items));
  EXEMPLAR_RETURN_IF_ERROR(ParseLabelledValues(
      j, at, "values", false, &field->values, &field->value_labels));
  if (field->type == FieldType::kEnum && field->values.empty()) {
    return Fail(At(at, "values"), "an enum needs values");
  }
  EXEMPLAR_RETURN_IF_ERROR(ParsePersonal(j, at, field));
  if (field->min && field->max && *field->min > *field->max) {
    return Fail(At(at, "min"), "greater than max");
  }
  return Status::Ok();
}

Status ParseEffects(const json& j, const std::string& at, ActionSpec* action) {
  auto it = j.find("effects");
  if (it == j.end()) return Status::Ok();
  std::string here = At(at, "effects");
  if (!it->is_object()) return Fail(here, "expected an object");
  ActionEffects& e = action->effects;
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "set_slot", &e.set_slot));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "slot_field", &e.slot_field));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "clear_slot", &e.clear_slot));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "add_to_set", &e.add_to_set));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "set_field", &e.set_field));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "starts_cycle", &e.starts_cycle));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "add_to_map", &e.add_to_map));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, here, "adopts_definition_version",
                                  &e.adopts_definition_version));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(*it, here, "erasure_class_field", &e.erasure_class_field));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(*it, here, "erases_personal_data", &e.erases_personal_data));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(*it, here, "gives_subject_access", &e.gives_subject_access));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(*it, here, "map_key_field", &e.map_key_field));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(*it, here, "map_value_field", &e.map_value_field));
  if (!e.add_to_map.empty()) {
    if (action->FindField(e.map_key_field) == nullptr) {
      return Fail(At(here, "map_key_field"),
                  "names no field " + Quoted(e.map_key_field));
    }
    const FieldSpec* value = action->FindField(e.map_value_field);
    if (value == nullptr || value->type != FieldType::kUnit) {
      return Fail(At(here, "map_value_field"),
                  "names no unit field " + Quoted(e.map_value_field));
    }
  }
  if (!e.set_slot.empty()) {
    const FieldSpec* field = action->FindField(e.slot_field);
    if (field == nullptr || field->type != FieldType::kUser) {
      return Fail(At(here, "slot_field"),
                  "names no user field " + Quoted(e.slot_field));
    }
  }
  if (!e.erasure_class_field.empty() || e.erases_personal_data) {
    const FieldSpec* field = action->FindField(e.erasure_class_field);
    if (field == nullptr || !field->required ||
        (field->type != FieldType::kString &&
         field->type != FieldType::kEnum)) {
      return Fail(At(here, "erasure_class_field"),
                  "names no required string or enum field " +
                      Quoted(e.erasure_class_field));
    }
  }
  if (!e.add_to_set.empty() && action->FindField(e.set_field) == nullptr) {
    return Fail(At(here, "set_field"), "names no field " + Quoted(e.set_field));
  }
  return Status::Ok();
}

Status ParseAction(const json& j, const std::string& at, ActionSpec* action) {
  EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &action->name));
  EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &action->label));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "creates", &action->creates));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "from", &action->from));
  std::string to;
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "to", &to));
  if (!to.empty()) action->to = to;
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "event", &action->event, true));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "roles", &action->roles));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "on_behalf_of_subject", &action->on_behalf_of_subject));
  if (auto by = j.find("by_target_unit"); by != j.end()) {
    const std::string here = At(at, "by_target_unit");
    if (!by->is_object()) return Fail(here, "expected an object");
    TargetUnitAccess access;
    EXEMPLAR_RETURN_IF_ERROR(Member(*by, here, "map", &access.map, true));
    EXEMPLAR_RETURN_IF_ERROR(
        Member(*by, here, "key_field", &access.key_field, true));
    action->by_target_unit = access;
  }
  if (action->roles.empty()) {
    return Fail(At(at, "roles"),
                "action " + Quoted(action->name) + " has no role");
  }
  if (action->creates != action->from.empty()) {
    return Fail(At(at, "from"), action->creates
                                    ? "an action that creates has no from"
                                    : "an action needs states to start from");
  }
  if (action->creates && !action->to) {
    return Fail(At(at, "to"), "an action that creates needs a to state");
  }
  UniqueNames names("field");
  EXEMPLAR_RETURN_IF_ERROR(
      Each(j, "fields", false, [&](const json& f, const std::string& rel) {
        FieldSpec field;
        std::string where = At(at, rel);
        EXEMPLAR_RETURN_IF_ERROR(ParseField(f, where, &field));
        EXEMPLAR_RETURN_IF_ERROR(names.Add(field.name, At(where, "name")));
        action->fields.push_back(std::move(field));
        return Status::Ok();
      }));
  return ParseEffects(j, at, action);
}

Status ParseRule(const json& j, const std::string& at, Rule* rule) {
  std::string kind;
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "kind", &kind, true));
  auto found =
      std::find_if(std::begin(kRuleKindNames), std::end(kRuleKindNames),
                   [&](const auto& p) { return kind == p.second; });
  if (found == std::end(kRuleKindNames)) {
    return Fail(At(at, "kind"), "unknown rule kind " + Quoted(kind));
  }
  rule->kind = found->first;
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "reason", &rule->reason, true));
  EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &rule->label));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "actions", &rule->actions, true));
  if (rule->actions.empty()) return Fail(At(at, "actions"), "empty");
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "after", &rule->after));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "slot", &rule->slot));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "set", &rule->set));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "field", &rule->field));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "source", &rule->source));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "campaign_field", &rule->campaign_field));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "criteria_field", &rule->criteria_field));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "award_field", &rule->award_field));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "for_field", &rule->for_field));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "members_field", &rule->members_field));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "fields", &rule->fields));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "choice_field", &rule->choice_field));
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "choice", &rule->choice));
  std::string month_day;
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "month_day", &month_day,
                                  rule->kind == RuleKind::kDateOnDayOfChoice));
  if (!month_day.empty()) {
    EXEMPLAR_RETURN_IF_ERROR(
        ReadMonthDay(month_day, At(at, "month_day"), &rule->month, &rule->day));
  }
  return Member(j, at, "limit_field", &rule->limit_field);
}

Status ParseCriteriaSet(const json& j, const std::string& at,
                        CriteriaSet* set) {
  EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &set->name));
  EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &set->label));
  UniqueNames ids("criterion");
  auto criterion = [&](const json& c, const std::string& rel) {
    std::string where = At(at, rel);
    Criterion out;
    EXEMPLAR_RETURN_IF_ERROR(Member(c, where, "id", &out.id, true));
    EXEMPLAR_RETURN_IF_ERROR(ids.Add(out.id, At(where, "id")));
    EXEMPLAR_RETURN_IF_ERROR(ReadLabel(c, where, &out.label));
    EXEMPLAR_RETURN_IF_ERROR(Member(c, where, "mandatory", &out.mandatory));
    EXEMPLAR_RETURN_IF_ERROR(
        Member(c, where, "subject_kinds", &out.subject_kinds));
    set->criteria.push_back(std::move(out));
    return Status::Ok();
  };
  EXEMPLAR_RETURN_IF_ERROR(Each(j, "criteria", true, criterion));
  return Each(
      j, "conditions", false, [&](const json& c, const std::string& rel) {
        std::string where = At(at, rel);
        SubjectCondition out;
        EXEMPLAR_RETURN_IF_ERROR(
            Member(c, where, "subject_kind", &out.subject_kind, true));
        EXEMPLAR_RETURN_IF_ERROR(Member(c, where, "field", &out.field, true));
        EXEMPLAR_RETURN_IF_ERROR(Member(c, where, "min", &out.min));
        EXEMPLAR_RETURN_IF_ERROR(Member(c, where, "equals", &out.equals));
        EXEMPLAR_RETURN_IF_ERROR(Member(c, where, "reason", &out.reason, true));
        EXEMPLAR_RETURN_IF_ERROR(ReadLabel(c, where, &out.label));
        if (out.min.has_value() == out.equals.has_value()) {
          return Fail(where, "a condition needs exactly one of min and equals");
        }
        set->conditions.push_back(std::move(out));
        return Status::Ok();
      });
}

Status CheckLevel(const std::string& level, const std::string& at) {
  if (!Contains(UnitLevels(), level)) {
    return Fail(at, "unknown unit level " + Quoted(level));
  }
  return Status::Ok();
}

Status ParseAwardForm(const json& j, const std::string& at,
                      const Definition& def, AwardForm* form) {
  EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &form->name));
  EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &form->label));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "granted_by", &form->granted_by, true));
  if (form->granted_by.empty()) {
    return Fail(At(at, "granted_by"), "no unit level may grant it");
  }
  for (size_t i = 0; i < form->granted_by.size(); ++i) {
    EXEMPLAR_RETURN_IF_ERROR(
        CheckLevel(form->granted_by[i], At(At(at, "granted_by"), i)));
  }
  form->comment_working_days = def.comment_working_days;
  form->vote_threshold = def.vote_threshold;
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "requires_public_comment", &form->requires_public_comment));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "comment_working_days", &form->comment_working_days));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, at, "requires_council_vote", &form->requires_council_vote));
  return ReadThreshold(j, at, &form->vote_threshold);
}

Status ParseDeadlines(const json& root, Deadlines* deadlines) {
  auto it = root.find("deadlines");
  if (it == root.end()) return Status::Ok();
  if (!it->is_object()) return Fail("deadlines", "expected an object");
  const json& d = *it;
  int day = 5;
  EXEMPLAR_RETURN_IF_ERROR(
      Member(d, "deadlines", "quarterly_introduction_day", &day));
  if (day < 1 || day > 28) {
    return Fail("deadlines.quarterly_introduction_day", "must be 1..28");
  }
  deadlines->quarterly_introduction_day = static_cast<unsigned>(day);
  EXEMPLAR_RETURN_IF_ERROR(Each(
      d, "annual_registration", false,
      [&](const json& r, const std::string& rel) {
        std::string at = At("deadlines", rel);
        AnnualRegistration out;
        std::string due;
        EXEMPLAR_RETURN_IF_ERROR(
            Member(r, at, "unit_level", &out.unit_level, true));
        EXEMPLAR_RETURN_IF_ERROR(
            CheckLevel(out.unit_level, At(at, "unit_level")));
        EXEMPLAR_RETURN_IF_ERROR(Member(r, at, "min", &out.min, true));
        EXEMPLAR_RETURN_IF_ERROR(Member(r, at, "max", &out.max, true));
        EXEMPLAR_RETURN_IF_ERROR(Member(r, at, "due", &due, true));
        EXEMPLAR_RETURN_IF_ERROR(
            ReadMonthDay(due, At(at, "due"), &out.due_month, &out.due_day));
        if (out.min > out.max) return Fail(At(at, "min"), "greater than max");
        EXEMPLAR_RETURN_IF_ERROR(
            definition_json::ReadPeriod(r, at, &out.period, &out.takes_over));
        EXEMPLAR_RETURN_IF_ERROR(definition_json::ReadFunnelStep(r, at, &out));
        deadlines->annual_registration.push_back(out);
        return Status::Ok();
      }));
  return Each(
      d, "lead_bloc_rotation", false,
      [&](const json& r, const std::string& rel) {
        std::string at = At("deadlines", rel);
        LeadBlocRotation out;
        EXEMPLAR_RETURN_IF_ERROR(Member(r, at, "quarter", &out.quarter, true));
        if (out.quarter < 1 || out.quarter > 4) {
          return Fail(At(at, "quarter"), "must be 1..4");
        }
        EXEMPLAR_RETURN_IF_ERROR(ParseLabelledValues(
            r, at, "blocs", true, &out.blocs, &out.bloc_labels));
        deadlines->lead_bloc_rotation.push_back(std::move(out));
        return Status::Ok();
      });
}

// Parses every member; cross-references are checked afterwards.
Status ParseMembers(const json& root, Definition* def) {
  EXEMPLAR_RETURN_IF_ERROR(Name(root, "", &def->name));
  EXEMPLAR_RETURN_IF_ERROR(Member(root, "", "version", &def->version, true));
  if (def->version == 0) return Fail("version", "must be at least 1");
  EXEMPLAR_RETURN_IF_ERROR(ReadLabel(root, "", &def->label));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(root, "", "utc_offset_minutes", &def->utc_offset_minutes));
  if (def->utc_offset_minutes < -720 || def->utc_offset_minutes > 840) {
    return Fail("utc_offset_minutes", "must be within -720..840");
  }
  EXEMPLAR_RETURN_IF_ERROR(
      Member(root, "", "comment_working_days", &def->comment_working_days));
  EXEMPLAR_RETURN_IF_ERROR(ReadThreshold(root, "", &def->vote_threshold));
  if (auto it = root.find("subject"); it != root.end()) {
    if (!it->is_object()) return Fail("subject", "expected an object");
    EXEMPLAR_RETURN_IF_ERROR(
        Member(*it, "subject", "unit_field", &def->subject.unit_field));
    EXEMPLAR_RETURN_IF_ERROR(
        Member(*it, "subject", "kind_field", &def->subject.kind_field));
    EXEMPLAR_RETURN_IF_ERROR(
        Member(*it, "subject", "name_field", &def->subject.name_field));
    EXEMPLAR_RETURN_IF_ERROR(
        Member(*it, "subject", "domain_field", &def->subject.domain_field));
    EXEMPLAR_RETURN_IF_ERROR(
        Member(*it, "subject", "priority_field", &def->subject.priority_field));
  }
  UniqueNames states("state"), roles("role"), actions("action"),
      events("event"), sets("criteria set"), awards("award form");
  EXEMPLAR_RETURN_IF_ERROR(
      Each(root, "states", true, [&](const json& j, const std::string& at) {
        State state;
        EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &state.name));
        EXEMPLAR_RETURN_IF_ERROR(states.Add(state.name, At(at, "name")));
        EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &state.label));
        def->states.push_back(std::move(state));
        return Status::Ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(
      Each(root, "roles", true, [&](const json& j, const std::string& at) {
        Role role;
        EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &role.name));
        EXEMPLAR_RETURN_IF_ERROR(roles.Add(role.name, At(at, "name")));
        EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &role.label));
        def->roles.push_back(std::move(role));
        return Status::Ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(
      Each(root, "actions", true, [&](const json& j, const std::string& at) {
        ActionSpec action;
        EXEMPLAR_RETURN_IF_ERROR(ParseAction(j, at, &action));
        EXEMPLAR_RETURN_IF_ERROR(actions.Add(action.name, At(at, "name")));
        EXEMPLAR_RETURN_IF_ERROR(events.Add(action.event, At(at, "event")));
        if (Contains(SystemEventTypes(), action.event) ||
            Contains(TokenEventTypes(), action.event) ||
            Contains(CredentialEventTypes(), action.event) ||
            action.event == ExemplarTransferred::kType) {
          return Fail(At(at, "event"), "event " + Quoted(action.event) +
                                           " is a system event type");
        }
        def->actions.push_back(std::move(action));
        return Status::Ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(
      Each(root, "rules", false, [&](const json& j, const std::string& at) {
        Rule rule;
        EXEMPLAR_RETURN_IF_ERROR(ParseRule(j, at, &rule));
        def->rules.push_back(std::move(rule));
        return Status::Ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(Each(
      root, "criteria_sets", false, [&](const json& j, const std::string& at) {
        CriteriaSet set;
        EXEMPLAR_RETURN_IF_ERROR(ParseCriteriaSet(j, at, &set));
        EXEMPLAR_RETURN_IF_ERROR(sets.Add(set.name, At(at, "name")));
        def->criteria_sets.push_back(std::move(set));
        return Status::Ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(Each(
      root, "award_forms", false, [&](const json& j, const std::string& at) {
        AwardForm form;
        EXEMPLAR_RETURN_IF_ERROR(ParseAwardForm(j, at, *def, &form));
        EXEMPLAR_RETURN_IF_ERROR(awards.Add(form.name, At(at, "name")));
        def->award_forms.push_back(std::move(form));
        return Status::Ok();
      }));
  UniqueNames bodies("deciding body");
  EXEMPLAR_RETURN_IF_ERROR(Each(
      root, "deciding_bodies", false,
      [&](const json& j, const std::string& at) {
        DecidingBody body;
        EXEMPLAR_RETURN_IF_ERROR(Name(j, at, &body.name));
        EXEMPLAR_RETURN_IF_ERROR(bodies.Add(body.name, At(at, "name")));
        EXEMPLAR_RETURN_IF_ERROR(ReadLabel(j, at, &body.label));
        EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "roles", &body.roles, true));
        if (body.roles.empty()) return Fail(At(at, "roles"), "empty");
        def->deciding_bodies.push_back(std::move(body));
        return Status::Ok();
      }));
  UniqueNames retention("retention class");
  EXEMPLAR_RETURN_IF_ERROR(
      Each(root, "retention_classes", false,
           [&](const json& j, const std::string& at) {
             RetentionClass spec;
             EXEMPLAR_RETURN_IF_ERROR(ParseRetentionClass(j, at, &spec));
             EXEMPLAR_RETURN_IF_ERROR(retention.Add(spec.name, At(at, "name")));
             def->retention_classes.push_back(std::move(spec));
             return Status::Ok();
           }));
  if (auto schedule = root.find("retention_schedule"); schedule != root.end()) {
    EXEMPLAR_RETURN_IF_ERROR(
        ParseRetentionSchedule(*schedule, &def->retention_schedule.emplace()));
  }
  EXEMPLAR_RETURN_IF_ERROR(
      Each(root, "quotas", false, [&](const json& j, const std::string& at) {
        Quota quota;
        EXEMPLAR_RETURN_IF_ERROR(
            Member(j, at, "unit_level", &quota.unit_level, true));
        EXEMPLAR_RETURN_IF_ERROR(
            CheckLevel(quota.unit_level, At(at, "unit_level")));
        EXEMPLAR_RETURN_IF_ERROR(
            Member(j, at, "min_per_year", &quota.min_per_year, true));
        EXEMPLAR_RETURN_IF_ERROR(definition_json::ReadPeriod(
            j, at, &quota.period, &quota.takes_over));
        def->quotas.push_back(quota);
        return Status::Ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(definition_json::ReadPartYear(root, def));
  EXEMPLAR_RETURN_IF_ERROR(ParseDeadlines(root, &def->deadlines));
  EXEMPLAR_RETURN_IF_ERROR(
      definition_json::ParsePropagationAssessment(root, def));
  EXEMPLAR_RETURN_IF_ERROR(definition_json::CheckPeriods(*def));
  return definition_json::ParseReadSide(root, def);
}

}  // namespace

const char* FieldTypeName(FieldType type) {
  return NameIn(kFieldTypeNames, type);
}

const char* RuleKindName(RuleKind kind) { return NameIn(kRuleKindNames, kind); }

const FieldSpec* ActionSpec::FindField(const std::string& field) const {
  for (const FieldSpec& spec : fields) {
    if (spec.name == field) return &spec;
  }
  return nullptr;
}

const Label* FieldSpec::ValueLabel(const std::string& value) const {
  for (size_t i = 0; i < values.size() && i < value_labels.size(); ++i) {
    if (values[i] == value) return &value_labels[i];
  }
  return nullptr;
}

const ActionSpec* Definition::FindAction(const std::string& action) const {
  for (const ActionSpec& spec : actions) {
    if (spec.name == action) return &spec;
  }
  return nullptr;
}

const CriteriaSet* Definition::FindCriteriaSet(const std::string& set) const {
  for (const CriteriaSet& spec : criteria_sets) {
    if (spec.name == set) return &spec;
  }
  return nullptr;
}

const AwardForm* Definition::FindAwardForm(const std::string& form) const {
  for (const AwardForm& spec : award_forms) {
    if (spec.name == form) return &spec;
  }
  return nullptr;
}

const DecidingBody* Definition::FindDecidingBody(
    const std::string& body) const {
  if (body.empty()) {
    return deciding_bodies.empty() ? nullptr : &deciding_bodies.front();
  }
  for (const DecidingBody& spec : deciding_bodies) {
    if (spec.name == body) return &spec;
  }
  return nullptr;
}

const RetentionClass* Definition::FindRetentionClass(
    const std::string& name) const {
  for (const RetentionClass& spec : retention_classes) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

bool Definition::HasRole(const std::string& role) const {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const Role& r) { return r.name == role; });
}

Result<Definition> ParseDefinition(const std::string& json_text) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(std::string("not valid JSON: ") + e.what());
  }
  if (!root.is_object()) {
    return Status::InvalidArgument("a definition is a JSON object");
  }
  Definition def;
  EXEMPLAR_RETURN_IF_ERROR(ParseMembers(root, &def));
  EXEMPLAR_RETURN_IF_ERROR(definition_json::Validate(def));
  def.source = root.dump();
  return def;
}

Result<Definition> LoadDefinition(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read workflow definition " + path);
  std::ostringstream text;
  text << in.rdbuf();
  Result<Definition> def = ParseDefinition(text.str());
  if (!def.ok()) {
    return Status::InvalidArgument(path + ": " + def.status().message(),
                                   def.status().field());
  }
  return def;
}

}  // namespace exemplar
