// Parses and checks member "read_side" of a definition (read_side.h).
#include "engine/workflow/read_side.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "engine/workflow/definition.h"
#include "engine/workflow/definition_json.h"

namespace exemplar {
namespace definition_json {
namespace {

constexpr char kReadSide[] = "read_side";

// A field a mark reads, which each of its actions must record with `type`.
struct FieldNeed {
  const char* key;
  std::string Mark::*field;
  FieldType type;
  bool optional = false;  // the mark reads it when the definition names it
};

// A value a mark looks for, which must be one of the values of its field.
struct ValueNeed {
  const char* key;
  std::string Mark::*value;
  std::string Mark::*field;
};

struct MarkNeeds {
  const char* name;
  Mark ReadSide::*mark;
  std::vector<FieldNeed> fields;
  std::vector<ValueNeed> values;
};

const std::vector<MarkNeeds>& AllMarkNeeds() {
  static const std::vector<MarkNeeds> kNeeds = {
      {"nominated",
       &ReadSide::nominated,
       {{"period_field", &Mark::period_field, FieldType::kPeriod},
        {"campaign_field", &Mark::campaign_field, FieldType::kCampaign},
        {"kind_field", &Mark::kind_field, FieldType::kEnum}},
       {{"quarterly", &Mark::quarterly, &Mark::kind_field},
        {"annual", &Mark::annual, &Mark::kind_field}}},
      {"approved", &ReadSide::approved, {}, {}},
      {"honoured", &ReadSide::honoured, {}, {}},
      {"propagated",
       &ReadSide::propagated,
       {{"channel_field", &Mark::channel_field, FieldType::kEnum, true},
        {"reach_field", &Mark::reach_field, FieldType::kInt, true}},
       {}},
      {"replication_planned",
       &ReadSide::replication_planned,
       {{"id_field", &Mark::id_field, FieldType::kString}},
       {}},
      {"replication_evaluated",
       &ReadSide::replication_evaluated,
       {{"id_field", &Mark::id_field, FieldType::kString},
        {"outcome_field", &Mark::outcome_field, FieldType::kEnum}},
       {{"not_adopted", &Mark::not_adopted, &Mark::outcome_field}}},
      {"evaluated",
       &ReadSide::evaluated,
       {{"period_field", &Mark::period_field, FieldType::kPeriod}},
       {}},
  };
  return kNeeds;
}

constexpr std::pair<ViewSection, const char*> kViewSectionNames[] = {
    {ViewSection::kAppraisal, "appraisal"},
    {ViewSection::kCommentOpened, "comment_opened"},
    {ViewSection::kComments, "comments"},
    {ViewSection::kVote, "vote"},
    {ViewSection::kDecision, "decision"},
    {ViewSection::kHonours, "honours"},
    {ViewSection::kHigherAwardRecommendations, "higher_award_recommendations"},
    {ViewSection::kRevocations, "revocations"},
    {ViewSection::kPropagation, "propagation"},
    {ViewSection::kReplicationProgress, "replication_progress"},
    {ViewSection::kEmulationRegistrations, "emulation_registrations"},
    {ViewSection::kEvaluations, "evaluations"},
};

// The member `key` of `obj`, which must be an object.
Status Object(const json& obj, const std::string& at, const char* key,
              const json** out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Fail(At(at, key), "missing");
  if (!it->is_object()) return Fail(At(at, key), "expected an object");
  *out = &*it;
  return Status::Ok();
}

Status CheckStates(const Definition& def, const std::vector<std::string>& names,
                   const std::string& at) {
  for (size_t k = 0; k < names.size(); ++k) {
    if (std::none_of(def.states.begin(), def.states.end(),
                     [&](const State& s) { return s.name == names[k]; })) {
      return Fail(At(at, k), "unknown state " + Quoted(names[k]));
    }
  }
  return Status::Ok();
}

// Every action of `mark` records the field named by `need` with its type.
Status CheckMarkField(const Definition& def, const Mark& mark,
                      const FieldNeed& need, const std::string& at) {
  const std::string& field = mark.*need.field;
  for (const std::string& name : mark.actions) {
    const FieldSpec* spec = def.FindAction(name)->FindField(field);
    if (spec == nullptr || spec->type != need.type) {
      return Fail(At(at, need.key), "action " + Quoted(name) + " records no " +
                                        FieldTypeName(need.type) + " field " +
                                        Quoted(field));
    }
  }
  return Status::Ok();
}

Status CheckMarkValue(const Definition& def, const Mark& mark,
                      const ValueNeed& need, const std::string& at) {
  const std::string& value = mark.*need.value;
  for (const std::string& name : mark.actions) {
    const FieldSpec* spec = def.FindAction(name)->FindField(mark.*need.field);
    if (std::find(spec->values.begin(), spec->values.end(), value) ==
        spec->values.end()) {
      return Fail(At(at, need.key), Quoted(value) + " is not a value of " +
                                        Quoted(spec->name) + " of action " +
                                        Quoted(name));
    }
  }
  return Status::Ok();
}

Status ParseMark(const json& j, const std::string& at, const Definition& def,
                 const MarkNeeds& needs, Mark* mark) {
  for (const auto& [key, value] : j.items()) {
    const bool known =
        key == "actions" ||
        std::any_of(needs.fields.begin(), needs.fields.end(),
                    [&](const FieldNeed& f) { return key == f.key; }) ||
        std::any_of(needs.values.begin(), needs.values.end(),
                    [&](const ValueNeed& v) { return key == v.key; });
    if (!known) return Fail(At(at, key), "not read for this mark");
  }
  EXEMPLAR_RETURN_IF_ERROR(Member(j, at, "actions", &mark->actions, true));
  if (mark->actions.empty()) return Fail(At(at, "actions"), "empty");
  EXEMPLAR_RETURN_IF_ERROR(
      CheckActionNames(def, mark->actions, At(at, "actions")));
  for (const FieldNeed& need : needs.fields) {
    EXEMPLAR_RETURN_IF_ERROR(
        Member(j, at, need.key, &(mark->*need.field), !need.optional));
    if (need.optional && (mark->*need.field).empty()) continue;
    EXEMPLAR_RETURN_IF_ERROR(CheckMarkField(def, *mark, need, at));
  }
  for (const ValueNeed& need : needs.values) {
    EXEMPLAR_RETURN_IF_ERROR(
        Member(j, at, need.key, &(mark->*need.value), true));
    EXEMPLAR_RETURN_IF_ERROR(CheckMarkValue(def, *mark, need, at));
  }
  return Status::Ok();
}

Status ParseMarks(const json& read_side, Definition* def) {
  const std::string at = At(kReadSide, "marks");
  const json* marks = nullptr;
  EXEMPLAR_RETURN_IF_ERROR(Object(read_side, kReadSide, "marks", &marks));
  for (const auto& [name, value] : marks->items()) {
    const auto& all = AllMarkNeeds();
    if (std::none_of(all.begin(), all.end(),
                     [&](const MarkNeeds& n) { return name == n.name; })) {
      return Fail(At(at, name), "unknown mark " + Quoted(name));
    }
  }
  for (const MarkNeeds& needs : AllMarkNeeds()) {
    const json* mark = nullptr;
    EXEMPLAR_RETURN_IF_ERROR(Object(*marks, at, needs.name, &mark));
    EXEMPLAR_RETURN_IF_ERROR(ParseMark(*mark, At(at, needs.name), *def, needs,
                                       &(def->read_side.*needs.mark)));
  }
  return Status::Ok();
}

Status ParseView(const json& read_side, Definition* def) {
  auto it = read_side.find("view");
  if (it == read_side.end()) return Status::Ok();
  const std::string at = At(kReadSide, "view");
  if (!it->is_object()) return Fail(at, "expected an object");
  ReadSide& out = def->read_side;
  for (const auto& [name, value] : it->items()) {
    const std::string here = At(at, name);
    auto section =
        std::find_if(std::begin(kViewSectionNames), std::end(kViewSectionNames),
                     [&](const auto& p) { return name == p.second; });
    if (section == std::end(kViewSectionNames)) {
      return Fail(here, "unknown view section " + Quoted(name));
    }
    std::vector<std::string> actions;
    EXEMPLAR_RETURN_IF_ERROR(Read(value, here, &actions));
    EXEMPLAR_RETURN_IF_ERROR(CheckActionNames(*def, actions, here));
    for (size_t k = 0; k < actions.size(); ++k) {
      if (!out.view.emplace(actions[k], section->first).second) {
        return Fail(At(here, k), "action " + Quoted(actions[k]) +
                                     " is in two view sections");
      }
      if (section->first == ViewSection::kReplicationProgress) {
        Mark progress = out.replication_planned;
        progress.actions = {actions[k]};
        EXEMPLAR_RETURN_IF_ERROR(CheckMarkField(
            *def, progress, {"id_field", &Mark::id_field, FieldType::kString},
            At(here, k)));
      }
    }
  }
  return Status::Ok();
}

Status ParseFollowUp(const json& read_side, Definition* def) {
  const std::string at = At(kReadSide, "follow_up");
  const json* follow_up = nullptr;
  EXEMPLAR_RETURN_IF_ERROR(
      Object(read_side, kReadSide, "follow_up", &follow_up));
  ReadSide& out = def->read_side;
  for (auto [key, states] :
       {std::pair{"closed_states", &out.closed_states},
        std::pair{"replicable_states", &out.replicable_states},
        std::pair{"evaluable_states", &out.evaluable_states}}) {
    EXEMPLAR_RETURN_IF_ERROR(Member(*follow_up, at, key, states, true));
    EXEMPLAR_RETURN_IF_ERROR(CheckStates(*def, *states, At(at, key)));
  }
  return Status::Ok();
}

}  // namespace

Status ParseReadSide(const json& root, Definition* def) {
  auto it = root.find(kReadSide);
  if (it == root.end()) return Fail(kReadSide, "missing");
  if (!it->is_object()) return Fail(kReadSide, "expected an object");
  const json& j = *it;
  ReadSide& out = def->read_side;
  EXEMPLAR_RETURN_IF_ERROR(
      Member(j, kReadSide, "mentor_slot", &out.mentor_slot, true));
  if (out.mentor_slot.empty() ||
      std::none_of(def->actions.begin(), def->actions.end(),
                   [&](const ActionSpec& a) {
                     return a.effects.set_slot == out.mentor_slot;
                   })) {
    return Fail(At(kReadSide, "mentor_slot"),
                "no action fills slot " + Quoted(out.mentor_slot));
  }
  EXEMPLAR_RETURN_IF_ERROR(Member(j, kReadSide, "ledger", &out.ledger, true));
  EXEMPLAR_RETURN_IF_ERROR(
      CheckActionNames(*def, out.ledger, At(kReadSide, "ledger")));
  EXEMPLAR_RETURN_IF_ERROR(ParseMarks(j, def));
  EXEMPLAR_RETURN_IF_ERROR(ParseView(j, def));
  return ParseFollowUp(j, def);
}

}  // namespace definition_json

bool Mark::MarkedBy(const std::string& action) const {
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

}  // namespace exemplar
