#include "engine/workflow/sample_fields.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/field_check.h"
#include "events/civil_date.h"

namespace exemplar {
namespace {

using nlohmann::json;

std::size_t CodePoints(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (c & 0xC0) != 0x80; });
}

std::size_t MaxLength(const FieldSpec& spec) {
  if (spec.max_length != 0) return spec.max_length;
  return spec.type == FieldType::kText ? 10000 : 200;
}

// "<action label>: <field>", or the bare field name (ASCII, cut to fit)
// when the label does not fit.
std::string SampleText(const ActionSpec& action, const FieldSpec& spec) {
  const std::string text = action.label.vi + ": " + spec.name;
  if (CodePoints(text) <= MaxLength(spec)) return text;
  return spec.name.substr(0, MaxLength(spec));
}

double Clamp(double value, const FieldSpec& spec) {
  if (spec.min) value = std::max(value, *spec.min);
  if (spec.max) value = std::min(value, *spec.max);
  return value;
}

std::string SubjectKind(const Definition& definition,
                        const SampleContext& context) {
  if (!context.subject_kind.empty()) return context.subject_kind;
  for (const ActionSpec& action : definition.actions) {
    if (!action.creates) continue;
    const FieldSpec* kind = action.FindField(definition.subject.kind_field);
    if (kind != nullptr && !kind->values.empty()) return kind->values.front();
  }
  return "";
}

const CriteriaSet* ContextCriteria(const Definition& definition,
                                   const SampleContext& context) {
  if (!context.criteria_set.empty()) {
    return definition.FindCriteriaSet(context.criteria_set);
  }
  return definition.criteria_sets.empty() ? nullptr
                                          : &definition.criteria_sets.front();
}

const AwardForm* ContextAward(const Definition& definition,
                              const SampleContext& context) {
  if (!context.award_form.empty()) {
    return definition.FindAwardForm(context.award_form);
  }
  return definition.award_forms.empty() ? nullptr
                                        : &definition.award_forms.front();
}

// The criteria of the set that apply to the subject kind, all met: the
// mandatory ones, or every one when none is mandatory.
json MetCriteria(const CriteriaSet* set, const std::string& kind) {
  json results = json::array();
  if (set == nullptr) return results;
  auto applies = [&](const Criterion& criterion) {
    return criterion.subject_kinds.empty() ||
           std::find(criterion.subject_kinds.begin(),
                     criterion.subject_kinds.end(),
                     kind) != criterion.subject_kinds.end();
  };
  const bool any_mandatory = std::any_of(
      set->criteria.begin(), set->criteria.end(),
      [&](const Criterion& c) { return c.mandatory && applies(c); });
  for (const Criterion& criterion : set->criteria) {
    if (applies(criterion) && (criterion.mandatory || !any_mandatory)) {
      results.push_back({{"criterion", criterion.id}, {"met", true}});
    }
  }
  return results;
}

// A value of the field's type that its spec accepts.
json TypedSample(const Definition& definition, const ActionSpec& action,
                 const FieldSpec& spec, const SampleContext& context) {
  const CivilDate day =
      CivilDate::AtInstant(context.at_us, definition.utc_offset_minutes);
  const std::string date = day.ToString();
  switch (spec.type) {
    case FieldType::kString:
    case FieldType::kText:
      return SampleText(action, spec);
    case FieldType::kInt:
      return static_cast<std::int64_t>(Clamp(1, spec));
    case FieldType::kNumber:
      return Clamp(1, spec);
    case FieldType::kBool:
      return true;
    case FieldType::kDate:
      return date;
    case FieldType::kEnum:
      if (spec.name == definition.subject.kind_field) {
        return SubjectKind(definition, context);
      }
      return spec.values.empty() ? json() : json(spec.values.front());
    case FieldType::kStringList:
      return json::array({spec.values.empty() ? SampleText(action, spec)
                                              : spec.values.front()});
    case FieldType::kCriteriaResults:
      return MetCriteria(ContextCriteria(definition, context),
                         SubjectKind(definition, context));
    case FieldType::kPeriod:
      return day.QuarterName();
    case FieldType::kUser:
      return context.user_id;
    case FieldType::kUnit:
      return context.unit_id;
    case FieldType::kCampaign:
      return context.campaign_id;
    case FieldType::kAwardForm: {
      const AwardForm* form = ContextAward(definition, context);
      return form == nullptr ? json() : json(form->name);
    }
    case FieldType::kExemplar:
      return context.exemplar_id;
    case FieldType::kDocuments:
      return json::array();  // nothing uploaded: sample commands take none
  }
  return json();
}

// The fewest votes for out of `members` that reach `threshold`, compared
// as Decide does (in integers, the fraction scaled by 1e6).
std::int64_t VotesNeeded(const VoteThreshold& threshold, std::int64_t members) {
  const std::int64_t scale = 1'000'000;
  const std::int64_t needed =
      std::llround(threshold.fraction * scale) * members;
  const std::int64_t votes =
      threshold.strict ? needed / scale + 1 : (needed + scale - 1) / scale;
  return std::min(votes, members);
}

// The condition fields of the criteria set for the subject kind, at the
// value each condition asks for.
void FillConditions(const Definition& definition, const ActionSpec& action,
                    const SampleContext& context, json& fields) {
  const CriteriaSet* set = ContextCriteria(definition, context);
  if (set == nullptr) return;
  const std::string kind = SubjectKind(definition, context);
  for (const SubjectCondition& condition : set->conditions) {
    const FieldSpec* spec = action.FindField(condition.field);
    if (condition.subject_kind != kind || spec == nullptr) continue;
    if (condition.equals) fields[spec->name] = *condition.equals;
    if (condition.min) {
      fields[spec->name] =
          spec->type == FieldType::kInt
              ? json(static_cast<std::int64_t>(std::ceil(*condition.min)))
              : json(*condition.min);
    }
  }
}

// Vote and sum fields, and the set entries, as the rules read them.
void FillRuleFields(const Definition& definition, const ActionSpec& action,
                    const SampleContext& context, json& fields) {
  for (const Rule& rule : definition.rules) {
    switch (rule.kind) {
      case RuleKind::kSumAtMost:
        for (const std::string& field : rule.fields) {
          if (action.FindField(field) != nullptr) fields[field] = 0;
        }
        break;
      case RuleKind::kFieldInSet:
      case RuleKind::kFieldNotInSet:
        if (const FieldSpec* spec = action.FindField(rule.field)) {
          // An enum's entry must be one of its values.
          fields[rule.field] = spec->values.empty()
                                   ? json(context.set_entry)
                                   : json(spec->values.front());
        }
        break;
      default:
        break;
    }
  }
  // After the sums, so that the votes for are what the vote needs.
  for (const Rule& rule : definition.rules) {
    const FieldSpec* members = action.FindField(rule.members_field);
    if (rule.kind != RuleKind::kCouncilVote || members == nullptr ||
        action.FindField(rule.for_field) == nullptr) {
      continue;
    }
    const auto count = static_cast<std::int64_t>(
        Clamp(static_cast<double>(context.council_members), *members));
    const AwardForm* form = ContextAward(definition, context);
    fields[rule.members_field] = count;
    fields[rule.for_field] = VotesNeeded(
        form ? form->vote_threshold : definition.vote_threshold, count);
  }
}

}  // namespace

json SampleFields(const Definition& definition, const ActionSpec& action,
                  const SampleContext& context) {
  json fields = json::object();
  for (const FieldSpec& spec : action.fields) {
    if (spec.required) {
      fields[spec.name] = TypedSample(definition, action, spec, context);
    }
  }
  FillConditions(definition, action, context, fields);
  FillRuleFields(definition, action, context, fields);
  for (const auto& [name, value] : context.overrides.items()) {
    if (value.is_null()) {
      fields.erase(name);
    } else {
      fields[name] = value;
    }
  }
  return fields;
}

Result<std::map<std::string, FieldValue>> SampleEventFields(
    const Definition& definition, const ActionSpec& action,
    const SampleContext& context) {
  static const Authority* const kNoOrganisation = new Authority();
  return ValidateFields(
      action, SampleFields(definition, action, context),
      FieldContext{definition, *kNoOrganisation, context.at_us,
                   /*check_references=*/false});
}

}  // namespace exemplar
