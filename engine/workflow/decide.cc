#include "engine/workflow/decide.h"

#include <algorithm>

#include "engine/workflow/decision_rules.h"
#include "engine/workflow/field_check.h"
#include "engine/workflow/organisation.h"
#include "engine/workflow/target_scope.h"
#include "events/payload_codec.h"
#include "events/workflow_event.h"

namespace exemplar {
namespace {

using nlohmann::json;

// The command and everything the rules read.
struct RuleContext {
  const Definition& definition;
  const Authority& authority;
  const ExemplarState& state;
  const WorkflowCommand& command;
  const ActionSpec& action;
  const Fields& fields;
  const std::string& unit_id;
  const std::string& subject_kind;

  // The command's value of `name`, else the current cycle's, else (unless
  // `cycle_only`) the exemplar's. Nomination facts (campaign, award form,
  // criteria, votes) are cycle-only, so a new nomination starts afresh.
  const FieldValue* Lookup(const std::string& name,
                           bool cycle_only = true) const {
    for (const Fields* source : {&fields, &state.cycle.facts, &state.facts}) {
      if (cycle_only && source == &state.facts) break;
      auto it = source->find(name);
      if (it != source->end()) return &it->second;
    }
    return nullptr;
  }
  template <typename T>
  const T* LookupAs(const std::string& name) const {
    const FieldValue* value = Lookup(name);
    return value == nullptr ? nullptr : std::get_if<T>(value);
  }
  const std::string& user() const { return command.actor.user_id; }
};

Status Reject(const Rule& rule, const std::string& message,
              const std::string& field = {}) {
  return RuleRefusal(rule, message, field);
}

Status RejectCondition(const SubjectCondition& condition,
                       const std::string& message) {
  return Status::Rejected(condition.reason, message, condition.field)
      .WithTexts(condition.label.vi, condition.label.en);
}

const CriteriaSet* CampaignCriteria(const Rule& rule, const RuleContext& ctx) {
  const std::string* campaign_id =
      ctx.LookupAs<std::string>(rule.campaign_field);
  if (campaign_id == nullptr) return nullptr;
  const CampaignRecord* campaign = ctx.authority.FindCampaign(*campaign_id);
  if (campaign == nullptr) return nullptr;
  return ctx.definition.FindCriteriaSet(campaign->criteria_set);
}

bool AppliesTo(const Criterion& criterion, const std::string& subject_kind) {
  return criterion.subject_kinds.empty() ||
         Contains(criterion.subject_kinds, subject_kind);
}

Status NoCriteriaSet(const Rule& rule) {
  return Reject(rule, "no campaign with a criteria set in this nomination");
}

Status CheckCriteriaMet(const Rule& rule, const RuleContext& ctx) {
  const CriteriaSet* set = CampaignCriteria(rule, ctx);
  if (set == nullptr) return NoCriteriaSet(rule);
  const auto* results =
      ctx.LookupAs<std::vector<CriterionResult>>(rule.criteria_field);
  std::vector<std::string> unmet;
  for (const Criterion& criterion : set->criteria) {
    if (!criterion.mandatory || !AppliesTo(criterion, ctx.subject_kind)) {
      continue;
    }
    bool met = results != nullptr &&
               std::any_of(results->begin(), results->end(),
                           [&](const CriterionResult& r) {
                             return r.criterion == criterion.id && r.met;
                           });
    if (!met) unmet.push_back(criterion.id);
  }
  if (unmet.empty()) return Status::Ok();
  std::string list;
  for (const std::string& id : unmet) list += (list.empty() ? "" : ", ") + id;
  return Reject(rule, "mandatory criteria not met in the appraisal: " + list,
                rule.criteria_field);
}

// Each result the command records names a criterion of the campaign's set
// that applies to the subject; the rejection names the result's criterion,
// e.g. "criteria[2].criterion".
Status CheckCriteriaKnown(const Rule& rule, const RuleContext& ctx) {
  auto given = ctx.fields.find(rule.criteria_field);
  if (given == ctx.fields.end()) return Status::Ok();
  const auto* results =
      std::get_if<std::vector<CriterionResult>>(&given->second);
  if (results == nullptr) return Status::Ok();
  const CriteriaSet* set = CampaignCriteria(rule, ctx);
  if (set == nullptr) return NoCriteriaSet(rule);
  for (std::size_t i = 0; i < results->size(); ++i) {
    const std::string& id = (*results)[i].criterion;
    const std::string at =
        rule.criteria_field + "[" + std::to_string(i) + "].criterion";
    auto criterion =
        std::find_if(set->criteria.begin(), set->criteria.end(),
                     [&](const Criterion& c) { return c.id == id; });
    if (criterion == set->criteria.end()) {
      return Reject(rule,
                    at + ": the campaign's criteria set \"" + set->name +
                        "\" has no criterion \"" + id + "\"",
                    at);
    }
    if (!AppliesTo(*criterion, ctx.subject_kind)) {
      return Reject(rule,
                    at + ": criterion \"" + id + "\" does not apply to a " +
                        ctx.subject_kind,
                    at);
    }
  }
  return Status::Ok();
}

std::optional<double> AsNumber(const FieldValue* value) {
  if (value == nullptr) return std::nullopt;
  if (const double* d = std::get_if<double>(value)) return *d;
  if (const std::int64_t* i = std::get_if<std::int64_t>(value)) {
    return static_cast<double>(*i);
  }
  return std::nullopt;
}

Status CheckConditions(const Rule& rule, const RuleContext& ctx) {
  const CriteriaSet* set = CampaignCriteria(rule, ctx);
  if (set == nullptr) return Status::Ok();
  for (const SubjectCondition& condition : set->conditions) {
    if (condition.subject_kind != ctx.subject_kind) continue;
    const FieldValue* value = ctx.Lookup(condition.field, false);
    if (condition.min) {
      std::optional<double> number = AsNumber(value);
      if (!number) {
        return Reject(rule, condition.field + " is not recorded",
                      condition.field);
      }
      if (*number < *condition.min) {
        return RejectCondition(
            condition, condition.label.en + ": " + condition.field + " is " +
                           json(*number).dump() + ", below " +
                           json(*condition.min).dump());
      }
      continue;
    }
    const bool* flag = value == nullptr ? nullptr : std::get_if<bool>(value);
    if (flag == nullptr) {
      return Reject(rule, condition.field + " is not recorded",
                    condition.field);
    }
    if (*flag != *condition.equals) {
      return RejectCondition(condition, condition.label.en);
    }
  }
  return Status::Ok();
}

const AwardForm* Award(const Rule& rule, const RuleContext& ctx) {
  const std::string* form = ctx.LookupAs<std::string>(rule.award_field);
  return form == nullptr ? nullptr : ctx.definition.FindAwardForm(*form);
}

Status CheckCommentPeriod(const Rule& rule, const RuleContext& ctx) {
  const AwardForm* form = Award(rule, ctx);
  if (form == nullptr || !form->requires_public_comment) return Status::Ok();
  auto opened = ctx.state.cycle.last_taken_us.find(rule.source);
  if (opened == ctx.state.cycle.last_taken_us.end()) {
    return Reject(rule, "public comment was not opened for this nomination");
  }
  int offset = ctx.definition.utc_offset_minutes;
  int days =
      WorkingDaysBetween(CivilDate::AtInstant(opened->second, offset),
                         CivilDate::AtInstant(ctx.command.at_us, offset));
  if (days < form->comment_working_days) {
    return Reject(rule, "public comment has been open " + std::to_string(days) +
                            " of the " +
                            std::to_string(form->comment_working_days) +
                            " working days " + form->name + " requires");
  }
  return Status::Ok();
}

Status CheckVote(const Rule& rule, const RuleContext& ctx) {
  const AwardForm* form = Award(rule, ctx);
  if (form == nullptr || !form->requires_council_vote) return Status::Ok();
  const auto* votes_for = ctx.LookupAs<std::int64_t>(rule.for_field);
  const auto* members = ctx.LookupAs<std::int64_t>(rule.members_field);
  if (votes_for == nullptr || members == nullptr || *members <= 0) {
    return Reject(rule, "no council vote recorded for this nomination");
  }
  // Compare in integers: for / members against fraction, scaled by 1e6.
  const std::int64_t scale = 1'000'000;
  std::int64_t needed =
      std::llround(form->vote_threshold.fraction * scale) * *members;
  std::int64_t got = *votes_for * scale;
  bool reached = form->vote_threshold.strict ? got > needed : got >= needed;
  if (!reached) {
    return Reject(
        rule, std::to_string(*votes_for) + " of " + std::to_string(*members) +
                  " members voted for; " + form->name + " needs " +
                  (form->vote_threshold.strict ? "more than " : "at least ") +
                  json(form->vote_threshold.fraction).dump() +
                  " of all members");
  }
  return Status::Ok();
}

Status CheckGrantingLevel(const Rule& rule, const RuleContext& ctx) {
  const AwardForm* form = Award(rule, ctx);
  const UnitRecord* unit = ctx.authority.FindUnit(ctx.command.actor.unit_id);
  if (form == nullptr || unit == nullptr) return Status::Ok();
  if (!Contains(form->granted_by, unit->level)) {
    return Reject(rule,
                  "a " + unit->level + " unit may not grant " + form->name,
                  rule.award_field);
  }
  return Status::Ok();
}

Status CheckSum(const Rule& rule, const RuleContext& ctx) {
  const auto* limit = ctx.LookupAs<std::int64_t>(rule.limit_field);
  if (limit == nullptr) return Status::Ok();
  std::int64_t sum = 0;
  for (const std::string& field : rule.fields) {
    if (const auto* value = ctx.LookupAs<std::int64_t>(field)) sum += *value;
  }
  if (sum > *limit) {
    return Reject(rule,
                  "the sum of the counts (" + std::to_string(sum) +
                      ") exceeds " + rule.limit_field + " (" +
                      std::to_string(*limit) + ")",
                  rule.limit_field);
  }
  return Status::Ok();
}

Status CheckSetRule(const Rule& rule, const RuleContext& ctx) {
  auto set = ctx.state.sets.find(rule.set);
  auto in_set = [&](const std::string& value) {
    return set != ctx.state.sets.end() && set->second.count(value) > 0;
  };
  if (rule.kind == RuleKind::kActorNotInSet) {
    if (in_set(ctx.user())) {
      return Reject(rule, "user \"" + ctx.user() + "\" is in \"" + rule.set +
                              "\" for this exemplar and may not " +
                              ctx.action.name);
    }
    return Status::Ok();
  }
  auto it = ctx.fields.find(rule.field);
  const std::string* value =
      it == ctx.fields.end() ? nullptr : std::get_if<std::string>(&it->second);
  if (value == nullptr) return Status::Ok();
  bool want = rule.kind == RuleKind::kFieldInSet;
  if (in_set(*value) != want) {
    return Reject(rule,
                  rule.field + " \"" + *value + "\" is " +
                      (want ? "not" : "already") + " in \"" + rule.set + "\"",
                  rule.field);
  }
  return Status::Ok();
}

const std::string* StringOf(const Fields& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? nullptr : std::get_if<std::string>(&it->second);
}

Status CheckRule(const Rule& rule, const RuleContext& ctx) {
  switch (rule.kind) {
    case RuleKind::kSeparationOfDuties:
      for (const std::string& earlier : rule.after) {
        auto actors = ctx.state.cycle.actors.find(earlier);
        if (actors != ctx.state.cycle.actors.end() &&
            actors->second.count(ctx.user())) {
          return Reject(rule, "user \"" + ctx.user() + "\" took \"" + earlier +
                                  "\" in this nomination and may not \"" +
                                  ctx.action.name + "\" it");
        }
      }
      return Status::Ok();
    case RuleKind::kNotAssignee: {
      // Whoever ever held the slot, not only its present holder.
      auto holders = ctx.state.slot_holders.find(rule.slot);
      if (holders != ctx.state.slot_holders.end() &&
          holders->second.count(ctx.user())) {
        return Reject(rule, "user \"" + ctx.user() + "\" is or was the " +
                                rule.slot + " of this exemplar and may not \"" +
                                ctx.action.name + "\" it");
      }
      return Status::Ok();
    }
    case RuleKind::kActorNotInSet:
    case RuleKind::kFieldInSet:
    case RuleKind::kFieldNotInSet:
      return CheckSetRule(rule, ctx);
    case RuleKind::kCriteriaMet:
      return CheckCriteriaMet(rule, ctx);
    case RuleKind::kCriteriaKnown:
      return CheckCriteriaKnown(rule, ctx);
    case RuleKind::kCriteriaSetConditions:
      return CheckConditions(rule, ctx);
    case RuleKind::kPublicCommentPeriod:
      return CheckCommentPeriod(rule, ctx);
    case RuleKind::kCouncilVote:
      return CheckVote(rule, ctx);
    case RuleKind::kAwardGrantingLevel:
      return CheckGrantingLevel(rule, ctx);
    case RuleKind::kSumAtMost:
      return CheckSum(rule, ctx);
    case RuleKind::kDateNotAfterRecording:
    case RuleKind::kDateNotBeforeAction:
    case RuleKind::kDateOnDayOfChoice:
      return CheckDateRule(rule, ctx.fields,
                           ctx.LookupAs<std::string>(rule.choice_field),
                           ctx.state.cycle, ctx.command.at_us,
                           ctx.definition.utc_offset_minutes);
    case RuleKind::kUnitWithinActor: {
      const std::string* unit = StringOf(ctx.fields, rule.field);
      if (unit == nullptr ||
          ctx.authority.IsWithin(*unit, ctx.command.actor.unit_id,
                                 ctx.command.at_us)) {
        return Status::Ok();
      }
      return Reject(rule,
                    rule.field + " \"" + *unit + "\" lies outside unit \"" +
                        ctx.command.actor.unit_id + "\" the actor acts for",
                    rule.field);
    }
    case RuleKind::kCycleDefinitionVersion: {
      const std::uint32_t began = ctx.state.cycle.definition_version;
      if (ctx.state.cycle.number == 0 || began == ctx.definition.version) {
        return Status::Ok();
      }
      return Reject(rule, "this nomination is under version " +
                              std::to_string(began) + " of the workflow, not " +
                              std::to_string(ctx.definition.version) +
                              ": a person moves it to this version first");
    }
    case RuleKind::kDecidingBody: {
      const std::string* campaign =
          ctx.LookupAs<std::string>(rule.campaign_field);
      return CheckDecidingBody(
          rule, ctx.definition,
          campaign == nullptr ? nullptr : ctx.authority.FindCampaign(*campaign),
          ctx.command.actor);
    }
  }
  return Status::Internal("unhandled rule kind");
}

Status CheckTransition(const ExemplarState& state, const ActionSpec& action) {
  if (action.creates) {
    if (state.exists()) {
      return Status::Rejected("invalid_transition",
                              "exemplar \"" + state.id + "\" already exists");
    }
    return Status::Ok();
  }
  if (!Contains(action.from, state.state)) {
    return Status::Rejected(
        "invalid_transition",
        "\"" + action.name + "\" is not allowed from \"" + state.state + "\"");
  }
  return Status::Ok();
}

// The names of the command fields `rule` may read (definition.h, RuleKind):
// a rule reading none of the action's fields judges the same whatever
// fields come.
std::vector<std::string> FieldsRead(const Rule& rule,
                                    const Definition& definition) {
  switch (rule.kind) {
    case RuleKind::kSeparationOfDuties:
    case RuleKind::kNotAssignee:
    case RuleKind::kActorNotInSet:
    case RuleKind::kCycleDefinitionVersion:
      return {};
    case RuleKind::kFieldInSet:
    case RuleKind::kFieldNotInSet:
    case RuleKind::kDateNotAfterRecording:
    case RuleKind::kDateNotBeforeAction:
    case RuleKind::kUnitWithinActor:
      return {rule.field};
    case RuleKind::kDateOnDayOfChoice:
      return {rule.field, rule.choice_field};
    case RuleKind::kDecidingBody:
      return {rule.campaign_field};
    case RuleKind::kCriteriaMet:
    case RuleKind::kCriteriaKnown:
      return {rule.campaign_field, rule.criteria_field};
    case RuleKind::kCriteriaSetConditions: {
      std::vector<std::string> read{rule.campaign_field};
      for (const CriteriaSet& set : definition.criteria_sets) {
        for (const SubjectCondition& condition : set.conditions) {
          read.push_back(condition.field);
        }
      }
      return read;
    }
    case RuleKind::kPublicCommentPeriod:
    case RuleKind::kAwardGrantingLevel:
      return {rule.award_field};
    case RuleKind::kCouncilVote:
      return {rule.award_field, rule.for_field, rule.members_field};
    case RuleKind::kSumAtMost: {
      std::vector<std::string> read = rule.fields;
      read.push_back(rule.limit_field);
      return read;
    }
  }
  return {};
}

bool ReadsFieldsOf(const Rule& rule, const ActionSpec& action,
                   const Definition& definition) {
  for (const std::string& field : FieldsRead(rule, definition)) {
    if (action.FindField(field) != nullptr) return true;
  }
  return false;
}

// What Decide checks before the fields, in its order: the exemplar seen,
// the role, the grant over the exemplar's unit, the transition.
Status CheckActor(const ExemplarState& state, const std::string& exemplar_id,
                  const ActionSpec& action, const Actor& actor,
                  std::int64_t at_us, const Authority& authority,
                  const json* fields) {
  // Who may act comes first: an exemplar the user may not see is answered
  // as an unknown one, and its state and the fields are judged only for
  // those who hold the role over it (over its unit, or over the target
  // unit of what they follow there: target_scope.h).
  std::string scope_unit;
  if (!action.creates) {
    scope_unit =
        ActingScopeUnit(state, action, fields, authority, actor.user_id, at_us);
    if (scope_unit.empty()) return ExemplarNotFound(exemplar_id);
  }
  if (!Contains(action.roles, actor.role)) {
    return Status::Rejected(
        "role_not_permitted",
        "role \"" + actor.role + "\" may not \"" + action.name + "\"");
  }
  if (!action.creates) {
    EXEMPLAR_RETURN_IF_ERROR(authority.HeldRole(
        actor.user_id, actor.role, actor.unit_id, scope_unit, at_us));
  }
  return CheckTransition(state, action);
}

// Words typed for the exemplar are theirs only where the action records
// them, and only the exemplar's own.
Status CheckOnBehalfOf(const ActionSpec& action,
                       const WorkflowCommand& command) {
  if (command.on_behalf_of.empty()) return Status::Ok();
  if (!action.on_behalf_of_subject) {
    return Status::Rejected(
        "on_behalf_of_not_allowed",
        "\"" + action.name + "\" does not record words on anyone's behalf",
        "on_behalf_of");
  }
  if (command.on_behalf_of != command.exemplar_id) {
    return Invalid("on_behalf_of",
                   "names the exemplar whose words these are: \"" +
                       command.exemplar_id + "\"");
  }
  return Status::Ok();
}

// Runs the rules governing the action; `applies` picks which.
template <typename Applies>
Status CheckRules(const RuleContext& ctx, Applies applies) {
  for (const Rule& rule : ctx.definition.rules) {
    if (Contains(rule.actions, ctx.action.name) && applies(rule)) {
      EXEMPLAR_RETURN_IF_ERROR(CheckRule(rule, ctx));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ExemplarNotFound(const std::string& exemplar_id) {
  return Status::Rejected("exemplar_not_found", "no exemplar " + exemplar_id,
                          "exemplar_id");
}

// An erasure names a class of personal data the definition lets go: a
// kept class (a published decision) is refused with the reason it is kept.
Status CheckErasable(const Definition& definition, const ActionSpec& action,
                     const Fields& fields) {
  const std::string& field = action.effects.erasure_class_field;
  if (field.empty()) return Status::Ok();
  const std::string* name = StringOf(fields, field);
  const RetentionClass* kept =
      name ? definition.FindRetentionClass(*name) : nullptr;
  if (kept == nullptr) {
    return Status::Rejected("validation_failed",
                            field + ": not a retention class", field);
  }
  if (!kept->kept_because) return Status::Ok();
  return Status::Rejected(
             "personal_data_kept",
             kept->label.en + " must be kept: " + kept->kept_because->en, field)
      .WithTexts(
          kept->label.vi + " phải được lưu giữ: " + kept->kept_because->vi,
          kept->label.en + " must be kept: " + kept->kept_because->en);
}

Status CheckActionOpen(const ExemplarState& state,
                       const std::string& exemplar_id, const ActionSpec& action,
                       const Actor& actor, std::int64_t at_us,
                       const Definition& definition,
                       const Authority& authority) {
  EXEMPLAR_RETURN_IF_ERROR(
      CheckActor(state, exemplar_id, action, actor, at_us, authority, nullptr));
  // A creating action's unit comes with its fields: here, the actor's own.
  const std::string unit_id = action.creates ? actor.unit_id : state.unit_id;
  if (action.creates) {
    EXEMPLAR_RETURN_IF_ERROR(authority.HeldRole(actor.user_id, actor.role,
                                                actor.unit_id, unit_id, at_us));
  }
  const Fields none;
  const WorkflowCommand command{exemplar_id, action.name, nullptr, actor,
                                at_us,       "",          "",      ""};
  RuleContext ctx{definition, authority, state,   command,
                  action,     none,      unit_id, state.subject_kind};
  return CheckRules(ctx, [&](const Rule& rule) {
    return !ReadsFieldsOf(rule, action, definition);
  });
}

Result<DecidedEvent> DecideEvent(const ExemplarState& state,
                                 const WorkflowCommand& command,
                                 const Definition& definition,
                                 const Authority& authority) {
  const ActionSpec* action = definition.FindAction(command.action);
  if (action == nullptr) {
    return Status::Rejected("unknown_action",
                            "no action \"" + command.action + "\"", "action");
  }
  if (!IsValidId(command.exemplar_id)) {
    return Invalid("exemplar_id",
                   "an id is 1 to 100 characters of [A-Za-z0-9._:-]");
  }
  const Actor& actor = command.actor;
  EXEMPLAR_RETURN_IF_ERROR(CheckActor(state, command.exemplar_id, *action,
                                      actor, command.at_us, authority,
                                      &command.fields));
  EXEMPLAR_RETURN_IF_ERROR(CheckOnBehalfOf(*action, command));
  Result<Fields> fields = ValidateFields(
      *action, command.fields,
      FieldContext{definition, authority, command.at_us, true,
                   &command.exemplar_units, actor.user_id, &command.documents});
  if (!fields.ok()) return fields.status();
  std::string unit_id = state.unit_id;
  std::string subject_kind = state.subject_kind;
  if (action->creates) {
    // The unit comes with the fields, so scope is judged once they hold.
    unit_id = *StringOf(*fields, definition.subject.unit_field);
    subject_kind = *StringOf(*fields, definition.subject.kind_field);
    EXEMPLAR_RETURN_IF_ERROR(authority.HeldRole(
        actor.user_id, actor.role, actor.unit_id, unit_id, command.at_us));
  }
  RuleContext ctx{definition, authority, state,   command,
                  *action,    *fields,   unit_id, subject_kind};
  EXEMPLAR_RETURN_IF_ERROR(CheckRules(ctx, [](const Rule&) { return true; }));
  EXEMPLAR_RETURN_IF_ERROR(CheckErasable(definition, *action, *fields));
  DecidedEvent decided{NewEvent{},
                       WorkflowEvent{action->name, definition.name,
                                     definition.version, std::move(*fields)}};
  NewEvent& event = decided.event;
  event.type = action->event;
  event.schema_version = WorkflowEvent::kSchemaVersion;
  if (const std::string* reason = StringOf(decided.payload.fields, "reason")) {
    event.reason = *reason;
  }
  event.actor = command.actor;
  event.on_behalf_of = command.on_behalf_of;
  event.request_id = command.request_id;
  event.remote_address = command.remote_address;
  event.correlation_id = command.correlation_id;
  event.recorded_at_us = command.at_us;
  return decided;
}

Result<std::vector<NewEvent>> Decide(const ExemplarState& state,
                                     const WorkflowCommand& command,
                                     const Definition& definition,
                                     const Authority& authority) {
  Result<DecidedEvent> decided =
      DecideEvent(state, command, definition, authority);
  if (!decided.ok()) return decided.status();
  decided->event.payload = EncodePayload(decided->payload);
  return std::vector<NewEvent>{std::move(decided->event)};
}

}  // namespace exemplar
