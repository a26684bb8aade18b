#include "projections/exemplar_view.h"

#include <unordered_map>

#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "projections/action_marks.h"
#include "projections/queries.h"

namespace exemplar::projections {
namespace {

std::string StringOr(const Step& step, const std::string& name) {
  auto it = step.fields.find(name);
  if (it == step.fields.end()) return {};
  const std::string* value = std::get_if<std::string>(&it->second);
  return value == nullptr ? std::string() : *value;
}

// Files `step` of a replication (planned, progress, evaluation) under its
// replication id.
void FileReplicationStep(const ReadSide& read, const ActionMarks& marks,
                         const Step& step, ExemplarView* view) {
  if (marks.replication_planned) {
    view->replications.push_back(ReplicationView{
        StringOr(step, read.replication_planned.id_field), step, {}, {}});
    return;
  }
  const std::string id = StringOr(
      step, marks.replication_evaluated ? read.replication_evaluated.id_field
                                        : read.replication_planned.id_field);
  for (ReplicationView& replication : view->replications) {
    if (replication.id != id) continue;
    if (marks.replication_evaluated) {
      replication.evaluation = step;
    } else {
      replication.progress.push_back(step);
    }
  }
}

// Files `step` in the section of the view the read side names for its
// action. False when it names none, or a section of a nomination cycle
// before any cycle.
bool FileStep(const ReadSide& read, const ActionMarks& marks, const Step& step,
              ExemplarView* view) {
  if (marks.replication_planned || marks.replication_evaluated ||
      marks.view_section == ViewSection::kReplicationProgress) {
    FileReplicationStep(read, marks, step, view);
    return true;
  }
  if (!marks.view_section) return false;
  NominationView* cycle =
      view->nominations.empty() ? nullptr : &view->nominations.back();
  switch (*marks.view_section) {
    case ViewSection::kAppraisal:
      if (cycle != nullptr) cycle->appraisal = step;
      return cycle != nullptr;
    case ViewSection::kCommentOpened:
      if (cycle != nullptr) cycle->comment_opened = step;
      return cycle != nullptr;
    case ViewSection::kComments:
      if (cycle != nullptr) cycle->comments.push_back(step);
      return cycle != nullptr;
    case ViewSection::kVote:
      if (cycle != nullptr) cycle->vote = step;
      return cycle != nullptr;
    case ViewSection::kDecision:
      if (cycle != nullptr) cycle->decision = step;
      return cycle != nullptr;
    case ViewSection::kHonours:
      view->honours.push_back(step);
      return true;
    case ViewSection::kHigherAwardRecommendations:
      view->higher_award_recommendations.push_back(step);
      return true;
    case ViewSection::kRevocations:
      view->revocations.push_back(step);
      return true;
    case ViewSection::kPropagation:
      view->propagation.push_back(step);
      return true;
    case ViewSection::kEmulationRegistrations:
      view->emulation_registrations.push_back(step);
      return true;
    case ViewSection::kEvaluations:
      view->evaluations.push_back(step);
      return true;
    case ViewSection::kReplicationProgress:
      break;  // filed above
  }
  return false;
}

void FoldStep(const Definition& definition, const ActionMarks& marks,
              const Step& step, ExemplarView* view) {
  const ActionSpec& action = *marks.spec;
  const SubjectFields& subject = definition.subject;
  if (action.creates) {
    view->name = StringOr(step, subject.name_field);
    view->subject_kind = StringOr(step, subject.kind_field);
    view->unit_id = StringOr(step, subject.unit_field);
    view->field = StringOr(step, subject.domain_field);
    auto flags = step.fields.find(subject.priority_field);
    if (flags != step.fields.end()) {
      if (const auto* list =
              std::get_if<std::vector<std::string>>(&flags->second)) {
        view->priority_flags = *list;
      }
    }
  }
  if (marks.fills_mentor) {
    view->mentor_id = StringOr(step, action.effects.slot_field);
  }
  if (marks.clears_mentor) view->mentor_id.clear();
  if (marks.fills_mentor || marks.clears_mentor) {
    view->mentor_history.push_back(step);
  } else if (action.effects.starts_cycle) {
    view->nominations.push_back(
        NominationView{view->nominations.size() + 1, step, {}, {}, {}, {}, {}});
  } else if (!FileStep(definition.read_side, marks, step, view) &&
             !action.creates) {
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

// A transfer as a step: the exemplar's unit is the successor from then on.
Status FoldTransfer(const EventRecord& record, ExemplarView* view) {
  Result<ExemplarTransferred> moved =
      DecodeRecordPayload<ExemplarTransferred>(record);
  if (!moved.ok()) return moved.status();
  Step step{record.position,
            record.recorded_at_us,
            "",
            record.type,
            record.actor,
            record.reason,
            {{"reorganisation_id", moved->reorganisation_id},
             {"from_unit_id", moved->from_unit_id},
             {"to_unit_id", moved->to_unit_id}},
            record.on_behalf_of,
            nullptr};
  view->unit_id = moved->to_unit_id;
  view->transfers.push_back(step);
  view->timeline.push_back(std::move(step));
  view->position = record.position;
  return Status::Ok();
}

}  // namespace

Result<ExemplarView> FoldExemplarView(const Definition& definition,
                                      const std::vector<EventRecord>& records,
                                      const PersonalData* personal) {
  if (records.empty()) return Status::NotFound("no such exemplar");
  ExemplarView view;
  view.id = records.front().stream_id.substr(
      StreamPrefix(StreamKind::kExemplar).size());
  const std::unordered_map<std::string, ActionMarks> actions =
      MarksByAction(definition);
  for (const EventRecord& record : records) {
    if (record.type == ExemplarTransferred::kType) {
      EXEMPLAR_RETURN_IF_ERROR(FoldTransfer(record, &view));
      continue;
    }
    Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
    if (!event.ok()) return event.status();
    OpenForReader(personal, record.stream_id, &*event);
    auto found = actions.find(event->action);
    if (found == actions.end()) {
      return Status::Corruption("unknown action \"" + event->action + "\"",
                                record.position);
    }
    Step step{record.position,
              record.recorded_at_us,
              found->first,
              record.type,
              record.actor,
              ReadableReason(personal, record.stream_id, record.reason),
              std::move(event->fields),
              record.on_behalf_of,
              nullptr};
    FoldStep(definition, found->second, step, &view);
  }
  view.version = records.back().stream_version;
  return view;
}

nlohmann::json ToJson(const Step& step, int offset) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, value] : step.fields) {
    fields[name] = FieldValueToJson(value);
  }
  nlohmann::json out = {{"position", step.position},
                        {"at", FormatInstant(step.at_us, offset)},
                        {"action", step.action},
                        {"type", step.event_type},
                        {"actor",
                         {{"user_id", step.actor.user_id},
                          {"role", step.actor.role},
                          {"unit_id", step.actor.unit_id}}},
                        {"reason", step.reason},
                        {"fields", fields}};
  if (!step.on_behalf_of.empty()) out["on_behalf_of"] = step.on_behalf_of;
  if (!step.reorganisation.is_null()) {
    out["reorganisation"] = step.reorganisation;
  }
  return out;
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
      {"version", view.version},
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
      {"transfers", Steps(view.transfers, offset)},
      {"timeline", Steps(view.timeline, offset)},
      {"position", view.position}};
}

}  // namespace exemplar::projections
