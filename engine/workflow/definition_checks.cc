// The cross-references of a parsed definition: states, roles, actions and
// fields that other parts name must exist (definition.h, ParseDefinition).
#include <algorithm>
#include <set>

#include "engine/workflow/definition.h"
#include "engine/workflow/definition_json.h"

namespace exemplar::definition_json {
namespace {

bool HasState(const Definition& def, const std::string& state) {
  return std::any_of(def.states.begin(), def.states.end(),
                     [&](const State& s) { return s.name == state; });
}

// An action taken by a target unit reads its key field and a map some
// action fills.
Status CheckTargetAccess(const Definition& def, const ActionSpec& action,
                         const std::string& at) {
  if (!action.by_target_unit) return Status::Ok();
  const TargetUnitAccess& access = *action.by_target_unit;
  const std::string here = At(at, "by_target_unit");
  if (action.FindField(access.key_field) == nullptr) {
    return Fail(At(here, "key_field"),
                "names no field " + Quoted(access.key_field));
  }
  const bool filled = std::any_of(
      def.actions.begin(), def.actions.end(),
      [&](const ActionSpec& a) { return a.effects.add_to_map == access.map; });
  if (!filled) {
    return Fail(At(here, "map"), "no action fills map " + Quoted(access.map));
  }
  return Status::Ok();
}

Status CheckActionReferences(const Definition& def) {
  for (size_t i = 0; i < def.actions.size(); ++i) {
    const ActionSpec& action = def.actions[i];
    std::string at = At("actions", i);
    EXEMPLAR_RETURN_IF_ERROR(CheckTargetAccess(def, action, at));
    for (size_t k = 0; k < action.from.size(); ++k) {
      if (!HasState(def, action.from[k])) {
        return Fail(At(At(at, "from"), k),
                    "unknown state " + Quoted(action.from[k]));
      }
    }
    if (action.to && !HasState(def, *action.to)) {
      return Fail(At(at, "to"), "unknown state " + Quoted(*action.to));
    }
    for (size_t k = 0; k < action.roles.size(); ++k) {
      if (!def.HasRole(action.roles[k])) {
        return Fail(At(At(at, "roles"), k),
                    "unknown role " + Quoted(action.roles[k]));
      }
    }
  }
  return Status::Ok();
}

// Every state must be reachable from a creating action's target.
Status CheckReachable(const Definition& def) {
  std::set<std::string> reached;
  for (const ActionSpec& action : def.actions) {
    if (action.creates) reached.insert(*action.to);
  }
  if (reached.empty()) return Fail("actions", "no action creates an exemplar");
  for (bool grew = true; grew;) {
    grew = false;
    for (const ActionSpec& action : def.actions) {
      if (!action.to || reached.count(*action.to)) continue;
      for (const std::string& from : action.from) {
        if (reached.count(from)) {
          reached.insert(*action.to);
          grew = true;
          break;
        }
      }
    }
  }
  for (size_t i = 0; i < def.states.size(); ++i) {
    if (!reached.count(def.states[i].name)) {
      return Fail(At(At("states", i), "name"),
                  "unreachable state " + Quoted(def.states[i].name));
    }
  }
  return Status::Ok();
}

// A creating action records the subject: the fields the engine and the
// read side read of it.
Status CheckSubject(const Definition& def) {
  struct Needed {
    const std::string& field;
    FieldType type;
    bool required;
  };
  const SubjectFields& subject = def.subject;
  const Needed needed[] = {
      {subject.unit_field, FieldType::kUnit, true},
      {subject.kind_field, FieldType::kEnum, true},
      {subject.name_field, FieldType::kString, false},
      {subject.domain_field, FieldType::kEnum, false},
      {subject.priority_field, FieldType::kStringList, false}};
  for (size_t i = 0; i < def.actions.size(); ++i) {
    const ActionSpec& action = def.actions[i];
    if (!action.creates) continue;
    for (const Needed& need : needed) {
      const FieldSpec* spec = action.FindField(need.field);
      if (spec == nullptr || spec->type != need.type ||
          (need.required && !spec->required)) {
        return Fail(At(At("actions", i), "fields"),
                    std::string("a creating action needs ") +
                        (need.required ? "required " : "") +
                        FieldTypeName(need.type) + " field " +
                        Quoted(need.field));
      }
    }
    if (action.FindField(subject.priority_field)->values.empty()) {
      return Fail(
          At(At("actions", i), "fields"),
          "priority field " + Quoted(subject.priority_field) + " needs values");
    }
  }
  return Status::Ok();
}

bool AnyActionHasField(const Definition& def, const std::string& field) {
  return std::any_of(
      def.actions.begin(), def.actions.end(),
      [&](const ActionSpec& a) { return a.FindField(field) != nullptr; });
}

// The fields a rule reads, which some action must record.
std::vector<std::pair<const char*, std::string>> RuleFields(const Rule& rule) {
  switch (rule.kind) {
    case RuleKind::kFieldInSet:
    case RuleKind::kFieldNotInSet:
    case RuleKind::kDateNotAfterRecording:
    case RuleKind::kDateNotBeforeAction:
      return {{"field", rule.field}};
    case RuleKind::kDateOnDayOfChoice:
      return {{"field", rule.field}, {"choice_field", rule.choice_field}};
    case RuleKind::kCriteriaMet:
    case RuleKind::kCriteriaKnown:
      return {{"campaign_field", rule.campaign_field},
              {"criteria_field", rule.criteria_field}};
    case RuleKind::kUnitWithinActor:
      return {{"field", rule.field}};
    case RuleKind::kCriteriaSetConditions:
    case RuleKind::kDecidingBody:
      return {{"campaign_field", rule.campaign_field}};
    case RuleKind::kPublicCommentPeriod:
    case RuleKind::kAwardGrantingLevel:
      return {{"award_field", rule.award_field}};
    case RuleKind::kCouncilVote:
      return {{"award_field", rule.award_field},
              {"for_field", rule.for_field},
              {"members_field", rule.members_field}};
    case RuleKind::kSumAtMost: {
      std::vector<std::pair<const char*, std::string>> out = {
          {"limit_field", rule.limit_field}};
      for (const std::string& f : rule.fields) out.push_back({"fields", f});
      return out;
    }
    default:
      return {};
  }
}

// A date rule's `field` is a date field of every action it governs, and a
// choice it reads one of an enum field's values.
Status CheckDateRule(const Definition& def, const Rule& rule,
                     const std::string& at) {
  const bool dated = rule.kind == RuleKind::kDateNotAfterRecording ||
                     rule.kind == RuleKind::kDateNotBeforeAction ||
                     rule.kind == RuleKind::kDateOnDayOfChoice;
  if (!dated) return Status::Ok();
  for (const std::string& name : rule.actions) {
    const ActionSpec& action = *def.FindAction(name);
    const FieldSpec* field = action.FindField(rule.field);
    if (field == nullptr || field->type != FieldType::kDate) {
      return Fail(At(at, "field"), "action " + Quoted(name) +
                                       " has no date field " +
                                       Quoted(rule.field));
    }
    if (rule.kind != RuleKind::kDateOnDayOfChoice) continue;
    const FieldSpec* choice = action.FindField(rule.choice_field);
    if (choice == nullptr || choice->type != FieldType::kEnum) {
      return Fail(At(at, "choice_field"), "action " + Quoted(name) +
                                              " has no enum field " +
                                              Quoted(rule.choice_field));
    }
    if (!Contains(choice->values, rule.choice)) {
      return Fail(At(at, "choice"), Quoted(rule.choice) +
                                        " is not a value of " +
                                        Quoted(rule.choice_field));
    }
  }
  if (rule.kind == RuleKind::kDateNotBeforeAction &&
      def.FindAction(rule.source) == nullptr) {
    return Fail(At(at, "source"), "unknown action " + Quoted(rule.source));
  }
  return Status::Ok();
}

Status CheckRules(const Definition& def) {
  for (size_t i = 0; i < def.rules.size(); ++i) {
    const Rule& rule = def.rules[i];
    std::string at = At("rules", i);
    EXEMPLAR_RETURN_IF_ERROR(
        CheckActionNames(def, rule.actions, At(at, "actions")));
    EXEMPLAR_RETURN_IF_ERROR(
        CheckActionNames(def, rule.after, At(at, "after")));
    if (rule.kind == RuleKind::kSeparationOfDuties && rule.after.empty()) {
      return Fail(At(at, "after"), "names no action");
    }
    if (rule.kind == RuleKind::kPublicCommentPeriod &&
        def.FindAction(rule.source) == nullptr) {
      return Fail(At(at, "source"), "unknown action " + Quoted(rule.source));
    }
    if (rule.kind == RuleKind::kSumAtMost && rule.fields.empty()) {
      return Fail(At(at, "fields"), "names no field");
    }
    for (const auto& [key, field] : RuleFields(rule)) {
      if (!AnyActionHasField(def, field)) {
        return Fail(At(at, key), "no action records field " + Quoted(field));
      }
    }
    EXEMPLAR_RETURN_IF_ERROR(CheckDateRule(def, rule, at));
    if (rule.kind == RuleKind::kDecidingBody && def.deciding_bodies.empty()) {
      return Fail(At(at, "kind"), "the definition has no deciding_bodies");
    }
  }
  return Status::Ok();
}

// A deciding body's roles are roles of the definition.
Status CheckDecidingBodies(const Definition& def) {
  for (size_t i = 0; i < def.deciding_bodies.size(); ++i) {
    const DecidingBody& body = def.deciding_bodies[i];
    for (size_t k = 0; k < body.roles.size(); ++k) {
      if (!def.HasRole(body.roles[k])) {
        return Fail(At(At(At("deciding_bodies", i), "roles"), k),
                    "unknown role " + Quoted(body.roles[k]));
      }
    }
  }
  return Status::Ok();
}

Status CheckCriteriaSets(const Definition& def) {
  for (size_t i = 0; i < def.criteria_sets.size(); ++i) {
    const CriteriaSet& set = def.criteria_sets[i];
    for (size_t k = 0; k < set.conditions.size(); ++k) {
      if (!AnyActionHasField(def, set.conditions[k].field)) {
        return Fail(
            At(At(At("criteria_sets", i), "conditions"), k) + ".field",
            "no action records field " + Quoted(set.conditions[k].field));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckActionNames(const Definition& def,
                        const std::vector<std::string>& names,
                        const std::string& at) {
  for (size_t k = 0; k < names.size(); ++k) {
    if (def.FindAction(names[k]) == nullptr) {
      return Fail(At(at, k), "unknown action " + Quoted(names[k]));
    }
  }
  return Status::Ok();
}

// The personal marks name known retention classes, the classes known
// actions, and the subject's name is marked as the subject's.
Status CheckPersonalData(const Definition& def) {
  for (size_t i = 0; i < def.retention_classes.size(); ++i) {
    const RetentionClass& spec = def.retention_classes[i];
    for (size_t k = 0; k < spec.after_actions.size(); ++k) {
      if (def.FindAction(spec.after_actions[k]) == nullptr) {
        return Fail(At(At(At("retention_classes", i), "after_actions"), k),
                    "unknown action " + Quoted(spec.after_actions[k]));
      }
    }
  }
  for (size_t i = 0; i < def.actions.size(); ++i) {
    const ActionSpec& action = def.actions[i];
    if (const FieldSpec* named =
            action.FindField(action.effects.erasure_class_field)) {
      for (const std::string& value : named->values) {
        if (def.FindRetentionClass(value) == nullptr) {
          return Fail(
              At(At(At("actions", i), "effects"), "erasure_class_field"),
              "offers " + Quoted(value) + ", which is not a retention class");
        }
      }
    }
    for (size_t k = 0; k < action.fields.size(); ++k) {
      const FieldSpec& field = action.fields[k];
      const std::string at = At(At(At("actions", i), "fields"), k);
      if (field.personal &&
          def.FindRetentionClass(field.personal->retention_class) == nullptr) {
        return Fail(At(At(at, "personal"), "retention_class"),
                    "unknown retention class " +
                        Quoted(field.personal->retention_class));
      }
      // A definition that marks personal data at all (it has retention
      // classes) marks the subject's name; one written before marks
      // existed marks none.
      if (!def.retention_classes.empty() && action.creates &&
          field.name == def.subject.name_field &&
          (!field.personal || field.personal->of != PersonalOf::kSubject)) {
        return Fail(At(at, "personal"),
                    "the subject's name is the subject's personal data: mark "
                    "it {\"of\": \"subject\", ...}");
      }
    }
  }
  return Status::Ok();
}

// The retention schedule takes an action that requests an erasure, in one
// of its roles, and gives every required field but the class.
Status CheckRetentionSchedule(const Definition& def) {
  if (!def.retention_schedule) return Status::Ok();
  const RetentionSchedule& schedule = *def.retention_schedule;
  const std::string at = "retention_schedule";
  const ActionSpec* action = def.FindAction(schedule.action);
  if (action == nullptr) {
    return Fail(At(at, "action"), "unknown action " + Quoted(schedule.action));
  }
  const std::string& class_field = action->effects.erasure_class_field;
  if (class_field.empty() || action->effects.erases_personal_data) {
    return Fail(At(at, "action"),
                Quoted(schedule.action) + " does not request an erasure");
  }
  if (!Contains(action->roles, schedule.role)) {
    return Fail(At(at, "role"), Quoted(schedule.action) + " is not taken as " +
                                    Quoted(schedule.role));
  }
  for (const auto& [name, value] : schedule.fields) {
    if (action->FindField(name) == nullptr || name == class_field) {
      return Fail(At(At(at, "fields"), name), "not a field of " +
                                                  Quoted(schedule.action) +
                                                  " the schedule may fill");
    }
  }
  for (const FieldSpec& field : action->fields) {
    if (field.required && field.name != class_field &&
        !schedule.fields.contains(field.name)) {
      return Fail(At(at, "fields"), "missing " + Quoted(field.name));
    }
  }
  return Status::Ok();
}

Status Validate(const Definition& def) {
  EXEMPLAR_RETURN_IF_ERROR(CheckActionReferences(def));
  EXEMPLAR_RETURN_IF_ERROR(CheckDecidingBodies(def));
  EXEMPLAR_RETURN_IF_ERROR(CheckReachable(def));
  EXEMPLAR_RETURN_IF_ERROR(CheckSubject(def));
  EXEMPLAR_RETURN_IF_ERROR(CheckRules(def));
  EXEMPLAR_RETURN_IF_ERROR(CheckFunnelRoles(def));
  EXEMPLAR_RETURN_IF_ERROR(CheckPersonalData(def));
  EXEMPLAR_RETURN_IF_ERROR(CheckRetentionSchedule(def));
  return CheckCriteriaSets(def);
}

}  // namespace exemplar::definition_json
