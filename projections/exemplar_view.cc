#include "projections/exemplar_view.h"

#include "events/payload_codec.h"
#include "projections/queries.h"

namespace exemplar::projections {
namespace {

std::string StringOr(const Step& step, const std::string& name) {
  auto it = step.fields.find(name);
  if (it == step.fields.end()) return {};
  const std::string* value = std::get_if<std::string>(&it->second);
  return value == nullptr ? std::string() : *value;
}

void FoldStep(const Definition& definition, const ActionSpec& action,
              const Step& step, ExemplarView* view) {
  const std::string& name = action.name;
  NominationView* cycle =
      view->nominations.empty() ? nullptr : &view->nominations.back();
  if (action.creates) {
    view->name = StringOr(step, "name");
    view->subject_kind = StringOr(step, definition.subject.kind_field);
    view->unit_id = StringOr(step, definition.subject.unit_field);
    view->field = StringOr(step, "field");
    auto flags = step.fields.find("priority_flags");
    if (flags != step.fields.end()) {
      if (const auto* list =
              std::get_if<std::vector<std::string>>(&flags->second)) {
        view->priority_flags = *list;
      }
    }
  }
  if (action.effects.set_slot == "mentor") {
    view->mentor_id = StringOr(step, action.effects.slot_field);
  }
  if (action.effects.clear_slot == "mentor") view->mentor_id.clear();
  if (action.effects.set_slot == "mentor" ||
      action.effects.clear_slot == "mentor") {
    view->mentor_history.push_back(step);
  } else if (action.effects.starts_cycle) {
    view->nominations.push_back(
        NominationView{view->nominations.size() + 1, step, {}, {}, {}, {}, {}});
  } else if (name == "appraise" && cycle != nullptr) {
    cycle->appraisal = step;
  } else if (name == "open_public_comment" && cycle != nullptr) {
    cycle->comment_opened = step;
  } else if (name == "record_comment" && cycle != nullptr) {
    cycle->comments.push_back(step);
  } else if (name == "record_vote" && cycle != nullptr) {
    cycle->vote = step;
  } else if ((name == "approve" || name == "reject" ||
              name == "return_for_revision" || name == "withdraw_nomination") &&
             cycle != nullptr) {
    cycle->decision = step;
  } else if (name == "honour") {
    view->honours.push_back(step);
  } else if (name == "recommend_higher_award") {
    view->higher_award_recommendations.push_back(step);
  } else if (name == "revoke_award") {
    view->revocations.push_back(step);
  } else if (name == "record_propagation") {
    view->propagation.push_back(step);
  } else if (name == "plan_replication") {
    view->replications.push_back(
        ReplicationView{StringOr(step, "replication_id"), step, {}, {}});
  } else if (name == "record_replication_progress" ||
             name == "evaluate_replication") {
    const std::string id = StringOr(step, "replication_id");
    for (ReplicationView& replication : view->replications) {
      if (replication.id != id) continue;
      if (name == "evaluate_replication") {
        replication.evaluation = step;
      } else {
        replication.progress.push_back(step);
      }
    }
  } else if (name == "register_emulation") {
    view->emulation_registrations.push_back(step);
  } else if (name == "evaluate") {
    view->evaluations.push_back(step);
  } else if (!action.creates) {
    view->nurturing.push_back(step);
  }
  if (action.to) view->state = *action.to;
  view->timeline.push_back(step);
  view->position = step.position;
}

nlohmann::json Optional(const std::optional<Step>& step, int offset) {
  return step ? ToJson(*step, offset) : nlohmann::json(nullptr);
}

nlohmann::json Steps(const std::vector<Step>& steps, int offset) {
  nlohmann::json out = nlohmann::json::array();
  for (const Step& step : steps) out.push_back(ToJson(step, offset));
  return out;
}

}  // namespace

Result<ExemplarView> FoldExemplarView(const Definition& definition,
                                      const std::vector<EventRecord>& records) {
  if (records.empty()) return Status::NotFound("no such exemplar");
  ExemplarView view;
  view.id = records.front().stream_id.substr(sizeof("exemplar-") - 1);
  for (const EventRecord& record : records) {
    Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
    if (!event.ok()) return event.status();
    const ActionSpec* action = definition.FindAction(event->action);
    if (action == nullptr) {
      return Status::Corruption("unknown action \"" + event->action + "\"",
                                record.position);
    }
    Step step{record.position,
              record.recorded_at_us,
              action->name,
              record.type,
              record.actor,
              record.reason,
              std::move(event->fields)};
    FoldStep(definition, *action, step, &view);
  }
  return view;
}

nlohmann::json ToJson(const Step& step, int offset) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, value] : step.fields) {
    fields[name] = FieldValueToJson(value);
  }
  return {{"position", step.position},
          {"at", FormatInstant(step.at_us, offset)},
          {"action", step.action},
          {"type", step.event_type},
          {"actor",
           {{"user_id", step.actor.user_id},
            {"role", step.actor.role},
            {"unit_id", step.actor.unit_id}}},
          {"reason", step.reason},
          {"fields", fields}};
}

nlohmann::json ToJson(const ExemplarView& view, int offset) {
  nlohmann::json path = nlohmann::json::array();
  for (const auto& [id, name] : view.unit_path) {
    path.push_back({{"id", id}, {"name", name}});
  }
  nlohmann::json nominations = nlohmann::json::array();
  for (const NominationView& n : view.nominations) {
    nominations.push_back(
        {{"number", n.number},
         {"nominated", ToJson(n.nominated, offset)},
         {"appraisal", Optional(n.appraisal, offset)},
         {"comment_opened", Optional(n.comment_opened, offset)},
         {"comments", Steps(n.comments, offset)},
         {"vote", Optional(n.vote, offset)},
         {"decision", Optional(n.decision, offset)}});
  }
  nlohmann::json replications = nlohmann::json::array();
  for (const ReplicationView& r : view.replications) {
    replications.push_back({{"id", r.id},
                            {"planned", ToJson(r.planned, offset)},
                            {"progress", Steps(r.progress, offset)},
                            {"evaluation", Optional(r.evaluation, offset)}});
  }
  return {
      {"id", view.id},
      {"state", view.state},
      {"name", view.name},
      {"subject_kind", view.subject_kind},
      {"unit_id", view.unit_id},
      {"unit_path", path},
      {"field", view.field},
      {"priority_flags", view.priority_flags},
      {"mentor_id", view.mentor_id.empty() ? nlohmann::json(nullptr)
                                           : nlohmann::json(view.mentor_id)},
      {"mentor_history", Steps(view.mentor_history, offset)},
      {"nurturing", Steps(view.nurturing, offset)},
      {"nominations", nominations},
      {"honours", Steps(view.honours, offset)},
      {"higher_award_recommendations",
       Steps(view.higher_award_recommendations, offset)},
      {"revocations", Steps(view.revocations, offset)},
      {"propagation", Steps(view.propagation, offset)},
      {"replications", replications},
      {"emulation_registrations", Steps(view.emulation_registrations, offset)},
      {"evaluations", Steps(view.evaluations, offset)},
      {"timeline", Steps(view.timeline, offset)},
      {"position", view.position}};
}

}  // namespace exemplar::projections
