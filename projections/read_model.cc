#include "projections/read_model.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "events/workflow_event.h"
#include "projections/action_marks.h"
#include "projections/fold_text.h"
#include "projections/row_decoder.h"
#include "projections/row_history.h"

namespace exemplar::projections {
namespace {

const std::string* StringField(const WorkflowEvent& event,
                               const std::string& name) {
  auto it = event.fields.find(name);
  return it == event.fields.end() ? nullptr
                                  : std::get_if<std::string>(&it->second);
}

std::string StringOr(const WorkflowEvent& event, const std::string& name) {
  const std::string* value = StringField(event, name);
  return value == nullptr ? std::string() : *value;
}

std::vector<std::string> StringListOr(const WorkflowEvent& event,
                                      const std::string& name) {
  auto it = event.fields.find(name);
  if (it == event.fields.end()) return {};
  const auto* list = std::get_if<std::vector<std::string>>(&it->second);
  return list == nullptr ? std::vector<std::string>() : *list;
}

std::int64_t IntOr(const WorkflowEvent& event, const std::string& name) {
  auto it = event.fields.find(name);
  if (it == event.fields.end()) return 0;
  const auto* value = std::get_if<std::int64_t>(&it->second);
  return value == nullptr ? 0 : *value;
}

// The propagation step `marks` record, if any, for the exemplar `row`.
std::optional<PropagationRow> PropagationOf(const Definition& definition,
                                            const ActionMarks& marks,
                                            const WorkflowEvent& event,
                                            const EventRecord& record,
                                            const ExemplarRow& row) {
  const ReadSide& read = definition.read_side;
  PropagationRow out;
  out.position = record.position;
  out.at_us = record.recorded_at_us;
  out.exemplar_id = row.id;
  out.unit_id = row.unit_id;
  if (marks.propagated) {
    out.step = PropagationStep::kItem;
    if (!read.propagated.channel_field.empty()) {
      out.channel = StringOr(event, read.propagated.channel_field);
    }
    if (!read.propagated.reach_field.empty()) {
      out.reach = IntOr(event, read.propagated.reach_field);
    }
  } else if (marks.replication_planned) {
    out.step = PropagationStep::kReplicationStarted;
  } else if (marks.replication_evaluated) {
    out.step = PropagationStep::kReplicationEvaluated;
    out.adopted = StringOr(event, read.replication_evaluated.outcome_field) !=
                  read.replication_evaluated.not_adopted;
  } else {
    return std::nullopt;
  }
  return out;
}

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// The id of the thing a stream of `kind` holds: "dh-1" of "exemplar-dh-1".
std::string IdOf(const std::string& stream_id, StreamKind kind) {
  return stream_id.substr(StreamPrefix(kind).size());
}

bool IsExemplarStream(const std::string& stream_id) {
  return stream_id.starts_with(StreamPrefix(StreamKind::kExemplar));
}

// The retention class of the creating action's field `field`; empty when
// it is not personal data.
const std::string& ClassOfSubjectField(const Definition& definition,
                                       const std::string& field) {
  static const std::string kNone;
  for (const ActionSpec& action : definition.actions) {
    if (!action.creates) continue;
    const FieldSpec* spec = action.FindField(field);
    if (spec != nullptr && spec->personal) {
      return spec->personal->retention_class;
    }
  }
  return kNone;
}

// Drops the personal values of class `erased` the row keeps: the subject's
// name (and what search folds of it) and priority flags.
void EraseRowValues(const Definition& definition, const std::string& erased,
                    ExemplarRow* row) {
  const SubjectFields& subject = definition.subject;
  if (ClassOfSubjectField(definition, subject.name_field) == erased) {
    row->name = kErasedValue;
    row->name_folded = FoldForSearch(row->name);
  }
  if (ClassOfSubjectField(definition, subject.priority_field) == erased) {
    for (std::string& flag : row->priority_flags) flag = kErasedValue;
  }
}

// Whether `row` records data of `retention_class` since its last erasure.
bool HoldsDataOf(const ExemplarRow& row, const std::string& retention_class) {
  for (auto fact = row.retention.rbegin(); fact != row.retention.rend();
       ++fact) {
    if (fact->retention_class != retention_class) continue;
    if (fact->kind == RetentionFact::kHeld) return true;
    if (fact->kind == RetentionFact::kErased) return false;
  }
  return false;
}

// Whether `event` gives field `name` a value.
bool HasValue(const WorkflowEvent& event, const std::string& name) {
  auto it = event.fields.find(name);
  if (it == event.fields.end()) return false;
  if (const auto* text = std::get_if<std::string>(&it->second)) {
    return !text->empty();
  }
  if (const auto* items = std::get_if<std::vector<std::string>>(&it->second)) {
    return !items->empty();
  }
  return false;
}

// The retention facts one event adds to its row.
void FoldRetention(const ActionMarks& marks, const WorkflowEvent& event,
                   const EventRecord& record, ExemplarRow* row) {
  auto add = [&](RetentionFact::Kind kind, std::string retention_class) {
    row->retention.push_back({record.position, record.recorded_at_us,
                              static_cast<std::uint8_t>(kind),
                              std::move(retention_class)});
  };
  for (const auto& [field, kept] : marks.timed_personal_fields) {
    if (HasValue(event, field) && !HoldsDataOf(*row, kept)) {
      add(RetentionFact::kHeld, kept);
    }
  }
  for (const std::string& kept : marks.starts_keeping) {
    add(RetentionFact::kKeepingStarted, kept);
  }
  if (marks.requests_erasure || marks.erases) {
    add(marks.erases ? RetentionFact::kErased : RetentionFact::kRequested,
        StringOr(event, marks.spec->effects.erasure_class_field));
  }
}

// Folds one workflow event into the exemplar's row: the subject from the
// creating action, the mentor, and the milestones the read side marks.
void FoldRow(const Definition& definition, const PersonalData* personal,
             const ActionMarks& marks, const WorkflowEvent& event,
             const EventRecord& record, ExemplarRow* row) {
  const ActionSpec& action = *marks.spec;
  const SubjectFields& subject = definition.subject;
  const ReadSide& read = definition.read_side;
  const std::int64_t at = record.recorded_at_us;
  RowStep step{record.position, at, 0};
  if (action.creates) {
    row->id = IdOf(record.stream_id, StreamKind::kExemplar);
    row->name =
        ReadableField(personal, record.stream_id, event, subject.name_field, 0,
                      StringOr(event, subject.name_field));
    row->name_folded = FoldForSearch(row->name);
    row->unit_id = StringOr(event, subject.unit_field);
    row->subject_kind = StringOr(event, subject.kind_field);
    row->field = StringOr(event, subject.domain_field);
    row->priority_flags = StringListOr(event, subject.priority_field);
    for (std::size_t i = 0; i < row->priority_flags.size(); ++i) {
      row->priority_flags[i] =
          ReadableField(personal, record.stream_id, event,
                        subject.priority_field, i, row->priority_flags[i]);
    }
    row->detected_at_us = at;
  }
  if (action.effects.erases_personal_data) {
    EraseRowValues(definition,
                   StringOr(event, action.effects.erasure_class_field), row);
  }
  if (marks.fills_mentor) {
    row->mentor_id = StringOr(event, action.effects.slot_field);
    if (row->first_mentor_at_us == 0) row->first_mentor_at_us = at;
    row->mentors.push_back(row->mentor_id);
    step.facts |= RowStep::kMentorFilled;
  }
  if (marks.clears_mentor) {
    row->mentor_id.clear();
    step.facts |= RowStep::kMentorCleared;
  }
  if (marks.nominated) {
    NominationFact nomination{at,
                              record.actor.unit_id,
                              record.actor.user_id,
                              StringOr(event, read.nominated.kind_field),
                              StringOr(event, read.nominated.period_field),
                              StringOr(event, read.nominated.campaign_field)};
    row->campaign_id = nomination.campaign_id;
    row->period = nomination.period;
    row->nominations.push_back(std::move(nomination));
    step.facts |= RowStep::kNominated;
  }
  auto mark = [&](bool marked, RowStep::Fact fact,
                  std::vector<std::int64_t>* times) {
    if (!marked) return;
    times->push_back(at);
    step.facts |= fact;
  };
  mark(marks.approved, RowStep::kApproved, &row->approved_us);
  mark(marks.honoured, RowStep::kHonoured, &row->honoured_us);
  mark(marks.propagated, RowStep::kPropagated, &row->propagated_us);
  if (marks.replication_planned) {
    const std::string id = StringOr(event, read.replication_planned.id_field);
    row->replications.emplace(id, "");
    ReplicationStep planned{id, ""};
    const auto target = std::find_if(
        action.fields.begin(), action.fields.end(),
        [](const FieldSpec& f) { return f.type == FieldType::kUnit; });
    if (target != action.fields.end()) {
      planned.value = StringOr(event, target->name);
      row->replication_targets[id] = planned.value;
      step.facts |= RowStep::kReplicationTarget;
    }
    row->replication_steps.push_back(std::move(planned));
    step.facts |= RowStep::kReplicationPlanned;
  }
  if (marks.replication_evaluated) {
    const Mark& evaluated = read.replication_evaluated;
    ReplicationStep step_taken{StringOr(event, evaluated.id_field),
                               StringOr(event, evaluated.outcome_field)};
    mark(step_taken.value != evaluated.not_adopted, RowStep::kReplicated,
         &row->replicated_us);
    row->replications[step_taken.id] = step_taken.value;
    row->replication_steps.push_back(std::move(step_taken));
    step.facts |= RowStep::kReplicationEvaluated;
  }
  if (marks.evaluated) {
    row->evaluation_periods.push_back(
        StringOr(event, read.evaluated.period_field));
    step.facts |= RowStep::kEvaluated;
  }
  FoldRetention(marks, event, record, row);
  if (action.to) {
    row->state = *action.to;
    row->states.push_back(row->state);
    step.facts |= RowStep::kStateSet;
  }
  row->steps.push_back(step);
  ++row->event_count;
  row->last_position = record.position;
  row->updated_at_us = at;
}

// Decodes the payload of a workflow event into `*event`: the current
// schema in place, older ones through the codec's upcasting. kCorruption
// naming the position when it does not decode.
Status DecodeWorkflowEvent(const EventRecord& record,
                           WorkflowEventDecoder* decoder,
                           WorkflowEvent* event) {
  if (record.schema_version != WorkflowEvent::kSchemaVersion) {
    Result<WorkflowEvent> upcast = DecodeRecordPayload<WorkflowEvent>(record);
    if (!upcast.ok()) return upcast.status();
    *event = std::move(upcast).value();
    return Status::Ok();
  }
  if (!decoder->Decode(record.payload, event)) {
    return Status::Corruption(record.type + ": payload does not decode",
                              record.position);
  }
  return Status::Ok();
}

}  // namespace

bool ReadModel::NameLess::operator()(const Entry* a, const Entry* b) const {
  return std::tie(a->row.name_folded, a->row.id) <
         std::tie(b->row.name_folded, b->row.id);
}

bool ReadModel::DetectedLess::operator()(const Entry* a, const Entry* b) const {
  return std::tie(a->row.detected_at_us, a->row.id) <
         std::tie(b->row.detected_at_us, b->row.id);
}

ReadModel::ReadModel(const Definition* definition, ReadModelOptions options)
    : definition_(definition),
      options_(options),
      actions_(MarksByAction(*definition)) {}

void ReadModel::SetPosition(std::uint64_t position,
                            std::int64_t last_event_us) {
  position_ = position;
  last_event_us_ = last_event_us;
}

// An event of an exemplar's stream that is not a workflow action: the
// reorganisation's transfer.
bool IsTransfer(const EventRecord& record) {
  return record.type == ExemplarTransferred::kType;
}

void OpenAhead(const Definition& definition, const PersonalData* personal,
               std::string_view stream_id, WorkflowEvent* event) {
  if (personal == nullptr) return;
  const ActionSpec* action = definition.FindAction(event->action);
  if (action == nullptr || !action->creates) return;
  // What FoldRow opens.
  const SubjectFields& subject = definition.subject;
  personal->OpenOnce(stream_id, {subject.name_field, subject.priority_field},
                     event);
}

bool DecodeAhead(const EventRecord& record, WorkflowEventDecoder* decoder,
                 WorkflowEvent* event) {
  return IsExemplarStream(record.stream_id) && !IsTransfer(record) &&
         DecodeWorkflowEvent(record, decoder, event).ok();
}

Status ReadModel::Apply(const EventRecord& record, ModelChanges* changes) {
  return Apply(record, nullptr, changes);
}

Status ReadModel::Apply(const EventRecord& record, const WorkflowEvent* decoded,
                        ModelChanges* changes) {
  if (IsSystemStream(record.stream_id)) {
    EXEMPLAR_RETURN_IF_ERROR(LoadSystemEvent(record));
    if (changes != nullptr) changes->system.push_back(&record);
  } else if (IsExemplarStream(record.stream_id)) {
    if (IsTransfer(record)) {
      EXEMPLAR_RETURN_IF_ERROR(ApplyTransfer(record, changes));
    } else if (decoded != nullptr) {
      EXEMPLAR_RETURN_IF_ERROR(ApplyWorkflow(record, *decoded, changes));
    } else {
      EXEMPLAR_RETURN_IF_ERROR(
          DecodeWorkflowEvent(record, &payload_decoder_, &payload_));
      EXEMPLAR_RETURN_IF_ERROR(ApplyWorkflow(record, payload_, changes));
    }
  } else if (FunnelModel::Follows(record.stream_id)) {
    EXEMPLAR_RETURN_IF_ERROR(LoadUnitRecord(record));
    if (changes != nullptr) changes->unit_records.push_back(&record);
  }
  if (timeline_.empty() || record.recorded_at_us > timeline_.back().at_us) {
    timeline_.push_back(TimePoint{record.position, record.recorded_at_us});
    if (changes != nullptr) changes->timeline.push_back(timeline_.back());
  }
  position_ = record.position;
  last_event_us_ = std::max(last_event_us_, record.recorded_at_us);
  return Status::Ok();
}

Status ReadModel::LoadSystemEvent(const EventRecord& record) {
  EXEMPLAR_RETURN_IF_ERROR(ApplySystem(record));
  system_records_.push_back(record);
  return Status::Ok();
}

Status ReadModel::LoadUnitRecord(const EventRecord& record) {
  EXEMPLAR_RETURN_IF_ERROR(funnel_.ApplyRecord(record));
  unit_records_.push_back(record);
  return Status::Ok();
}

Result<std::unique_ptr<ReadModel>> ReadModel::AsOf(
    std::uint64_t position, std::int64_t tree_at_us) const {
  position = std::min(position, position_);
  auto past = std::make_unique<ReadModel>(
      definition_, ReadModelOptions{.query_indexes = false,
                                    .tree_at_us = tree_at_us,
                                    .personal_data = options_.personal_data});
  past->rows_of_ = this;
  for (const EventRecord& record : system_records_) {
    if (record.position > position) break;
    EXEMPLAR_RETURN_IF_ERROR(past->ApplySystem(record));
  }
  for (const EventRecord& record : unit_records_) {
    if (record.position > position) break;
    EXEMPLAR_RETURN_IF_ERROR(past->funnel_.ApplyRecord(record));
  }
  const std::span<const PropagationRow> steps = funnel_.propagation();
  past->funnel_.ShowPropagation(
      funnel_,
      static_cast<std::size_t>(
          std::upper_bound(steps.begin(), steps.end(), position,
                           [](std::uint64_t p, const PropagationRow& row) {
                             return p < row.position;
                           }) -
          steps.begin()));
  past->position_ = position;
  // The latest time recorded up to `position`: the last point at or
  // before it.
  auto after = std::upper_bound(timeline_.begin(), timeline_.end(), position,
                                [](std::uint64_t p, const TimePoint& point) {
                                  return p < point.position;
                                });
  past->last_event_us_ = after == timeline_.begin() ? 0 : (after - 1)->at_us;
  return past;
}

std::uint64_t ReadModel::PositionAt(std::int64_t time_us) const {
  auto later = std::upper_bound(
      timeline_.begin(), timeline_.end(), time_us,
      [](std::int64_t t, const TimePoint& point) { return t < point.at_us; });
  if (later == timeline_.end()) return position_;
  return std::min(later->position - 1, position_);
}

const ExemplarRow* ReadModel::RowOf(const Entry& entry,
                                    ExemplarRow* scratch) const {
  if (rows_of_ == nullptr || entry.row.last_position <= position_) {
    return &entry.row;
  }
  return RowAsOf(entry.row, position_, scratch) ? scratch : nullptr;
}

const ExemplarRow* ReadModel::FindExemplar(const std::string& id) const {
  const ReadModel& rows = rows_of_ == nullptr ? *this : *rows_of_;
  auto found = rows.entry_by_id_.find(id);
  if (found == rows.entry_by_id_.end()) return nullptr;
  const Entry& entry = *found->second;
  if (rows_of_ == nullptr || entry.row.last_position <= position_) {
    return &entry.row;
  }
  auto [told, inserted] = past_rows_.try_emplace(id);
  if (inserted && !RowAsOf(entry.row, position_, &told->second)) {
    past_rows_.erase(told);
    return nullptr;
  }
  return &told->second;
}

Status ReadModel::ApplySystem(const EventRecord& record) {
  EXEMPLAR_RETURN_IF_ERROR(authority_.Apply(record));
  // The tallies' credits follow the tree: worked out afresh when next
  // asked.
  tallies_.clear();
  changed_rows_.clear();
  if (record.type == UnitCreated::kType) {
    unit_ids_.push_back(IdOf(record.stream_id, StreamKind::kUnit));
    UnitIndex(unit_ids_.back());
  } else if (record.type == UnitsReorganised::kType) {
    Result<UnitsReorganised> event =
        DecodeRecordPayload<UnitsReorganised>(record);
    if (!event.ok()) return event.status();
    for (const UnitSpec& created : event->created) {
      unit_ids_.push_back(created.unit_id);
      UnitIndex(created.unit_id);
    }
  } else if (record.type == UserRegistered::kType) {
    user_ids_.push_back(IdOf(record.stream_id, StreamKind::kUser));
  } else if (record.type == RoleGranted::kType) {
    Result<RoleGranted> grant = DecodeRecordPayload<RoleGranted>(record);
    if (!grant.ok()) return grant.status();
    grants_by_user_[grant->user_id].push_back(grant->grant_id);
  }
  return Status::Ok();
}

Status ReadModel::ApplyWorkflow(const EventRecord& record,
                                const WorkflowEvent& event,
                                ModelChanges* changes) {
  auto found = actions_.find(event.action);
  if (found == actions_.end()) {
    return Status::Corruption("unknown action \"" + event.action + "\"",
                              record.position);
  }
  const ActionMarks& marks = found->second;
  const ActionSpec* action = marks.spec;
  const std::string id = IdOf(record.stream_id, StreamKind::kExemplar);
  bool inserted = false;
  Entry& entry = FindOrAddEntry(id, &inserted);
  // Only a creating action and an erasure set the sort keys (name,
  // detection time), so the other actions leave the row where it is in the
  // sort indexes.
  const bool resorts =
      inserted || action->creates || action->effects.erases_personal_data;
  if (resorts && !inserted) Unindex(&entry);
  const ReportKeys before =
      options_.query_indexes ? ReportKeysOf(entry.row) : ReportKeys{};
  FoldRow(*definition_, options_.personal_data, marks, event, record,
          &entry.row);
  if (changes != nullptr && action->effects.erases_personal_data) {
    changes->erased = true;
  }
  // The unit is the creating event's until a transfer (ApplyTransfer).
  if (inserted) AddToUnitBucket(&entry);
  if (resorts) Index(&entry);
  Reindex(entry, before);
  if (changes != nullptr) changes->exemplars.push_back(&entry.row);
  if (std::optional<PropagationRow> step =
          PropagationOf(*definition_, marks, event, record, entry.row)) {
    if (changes != nullptr) changes->propagation.push_back(*step);
    funnel_.AddPropagation(std::move(*step));
  }

  if (!marks.ledger) return Status::Ok();
  LedgerRow row;
  row.position = record.position;
  row.at_us = record.recorded_at_us;
  row.action = action->name;
  row.actor_user = record.actor.user_id;
  row.actor_role = record.actor.role;
  row.actor_unit = record.actor.unit_id;
  row.exemplar_id = id;
  row.exemplar_unit = entry.row.unit_id;
  row.nomination = entry.row.nominations.size();
  if (!entry.row.nominations.empty()) {
    row.nominator = entry.row.nominations.back().nominator;
  }
  // Kept as recorded (sealed when personal), opened when read: an erasure
  // then reaches the stored ledger without rewriting it.
  row.reason = record.reason;
  if (!Contains(action->roles, record.actor.role)) {
    row.role_check = "role \"" + record.actor.role + "\" may not " + row.action;
  } else {
    Status held =
        authority_.HeldRole(row.actor_user, row.actor_role, row.actor_unit,
                            row.exemplar_unit, row.at_us);
    row.role_held = held.ok();
    if (!held.ok()) row.role_check = held.message();
  }
  if (options_.keep_ledger) ledger_.push_back(row);
  if (changes != nullptr) changes->ledger.push_back(std::move(row));
  return Status::Ok();
}

Status ReadModel::ApplyTransfer(const EventRecord& record,
                                ModelChanges* changes) {
  Result<ExemplarTransferred> moved =
      DecodeRecordPayload<ExemplarTransferred>(record);
  if (!moved.ok()) return moved.status();
  auto found = entry_by_id_.find(IdOf(record.stream_id, StreamKind::kExemplar));
  if (found == entry_by_id_.end()) {
    return Status::Corruption("transfer of an exemplar never created",
                              record.position);
  }
  Entry& entry = *found->second;
  RemoveFromUnitBucket(&entry);
  entry.row.unit_id = moved->to_unit_id;
  entry.row.transfers.push_back(
      TransferFact{record.recorded_at_us, moved->reorganisation_id,
                   moved->from_unit_id, moved->to_unit_id});
  entry.row.steps.push_back(
      RowStep{record.position, record.recorded_at_us, RowStep::kTransferred});
  ++entry.row.event_count;
  entry.row.last_position = record.position;
  entry.row.updated_at_us = record.recorded_at_us;
  AddToUnitBucket(&entry);
  if (options_.query_indexes) Reindex(entry, ReportKeysOf(entry.row));
  if (changes != nullptr) changes->exemplars.push_back(&entry.row);
  return Status::Ok();
}

void ReadModel::LoadExemplarRow(ExemplarRow row) {
  // Rows come in id order, so each goes at the end of entries_ without a
  // search (a tree walk per row was a third of the time to start).
  auto at = entries_.emplace_hint(entries_.end(), row.id, Entry{});
  entry_by_id_.emplace(row.id, &at->second);
  Entry& entry = at->second;
  entry.row = std::move(row);
  AddToUnitBucket(&entry);
  if (options_.query_indexes) loaded_.push_back(&entry);
  Reindex(entry, ReportKeys{});
}

void ReadModel::FinishLoading() {
  // Sorted first, then each added at the end of its index without a search.
  auto fill = [this](auto& index) {
    std::sort(loaded_.begin(), loaded_.end(), index.key_comp());
    for (Entry* entry : loaded_) index.emplace_hint(index.end(), entry);
  };
  fill(by_name_);
  fill(by_detected_);
  loaded_.clear();
  loaded_.shrink_to_fit();
}

std::uint32_t ReadModel::UnitIndex(const std::string& unit_id) {
  auto [it, inserted] = unit_index_.try_emplace(
      unit_id, static_cast<std::uint32_t>(unit_index_.size()));
  return it->second;
}

void ReadModel::AddToUnitBucket(Entry* entry) {
  entry->unit_index = UnitIndex(entry->row.unit_id);
  if (by_unit_.size() <= entry->unit_index) {
    by_unit_.resize(entry->unit_index + 1);
  }
  by_unit_[entry->unit_index].push_back(entry);
}

void ReadModel::RemoveFromUnitBucket(Entry* entry) {
  std::vector<const Entry*>& bucket = by_unit_[entry->unit_index];
  bucket.erase(std::remove(bucket.begin(), bucket.end(), entry), bucket.end());
}

void ReadModel::Index(Entry* entry) {
  if (!options_.query_indexes) return;
  by_name_.insert(entry);
  // A new exemplar was mostly detected last: then the hint saves the search.
  by_detected_.emplace_hint(by_detected_.end(), entry);
}

void ReadModel::Unindex(Entry* entry) {
  if (!options_.query_indexes) return;
  by_name_.erase(entry);
  by_detected_.erase(entry);
}

ReadModel::Entry& ReadModel::FindOrAddEntry(const std::string& id,
                                            bool* inserted) {
  auto found = entry_by_id_.find(id);
  *inserted = found == entry_by_id_.end();
  if (!*inserted) return *found->second;
  Entry& entry = entries_[id];
  entry_by_id_.emplace(id, &entry);
  return entry;
}

bool ReadModel::UnitScope::Contains(const std::string& unit_id) const {
  if (all_) return true;
  auto it = index_->find(unit_id);
  return it != index_->end() && ContainsIndex(it->second);
}

ReadModel::UnitScope ReadModel::Scope(const std::string& unit_id,
                                      const ReadScope& visible) const {
  UnitScope scope;
  if (unit_id.empty() && visible.unrestricted()) return scope;
  scope.all_ = false;
  scope.index_ = &unit_index_;
  scope.allowed_.assign(unit_index_.size(), 0);
  for (const auto& [unit, index] : unit_index_) {
    bool within = unit_id.empty() ||
                  authority_.IsWithin(unit, unit_id, options_.tree_at_us);
    scope.allowed_[index] = within && visible.Covers(unit);
  }
  return scope;
}

}  // namespace exemplar::projections
