#include "projections/funnel_model.h"

#include <algorithm>

#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"

namespace exemplar::projections {

bool FunnelModel::Follows(const std::string& stream_id) {
  std::optional<StreamName> name = ParseStreamId(stream_id);
  return name && (name->kind == StreamKind::kRegistration ||
                  name->kind == StreamKind::kAssessment);
}

void FunnelModel::AddPropagation(PropagationRow row) {
  // Steps come mostly in time order: the place is then at the end.
  const std::pair<std::int64_t, std::size_t> key(row.at_us,
                                                 propagation_.size());
  by_time_.insert(std::upper_bound(by_time_.begin(), by_time_.end(), key), key);
  propagation_.push_back(std::move(row));
}

Status FunnelModel::ApplyRecord(const EventRecord& record) {
  if (record.type == AnnualListRegistered::kType) {
    Result<AnnualListRegistered> list =
        DecodeRecordPayload<AnnualListRegistered>(record);
    if (!list.ok()) return list.status();
    const std::string id = list->registration_id;
    lists_[id] = ListRecord{std::move(*list), record.recorded_at_us,
                            record.actor.user_id, std::nullopt, 0};
  } else if (record.type == AnnualListSubmitted::kType) {
    Result<AnnualListSubmitted> submitted =
        DecodeRecordPayload<AnnualListSubmitted>(record);
    if (!submitted.ok()) return submitted.status();
    auto list = lists_.find(submitted->registration_id);
    if (list == lists_.end()) {
      return Status::Corruption("a submission of no list", record.position);
    }
    list->second.submission = std::move(*submitted);
    list->second.submitted_at_us = record.recorded_at_us;
  } else if (record.type == PropagationScored::kType) {
    Result<PropagationScored> score =
        DecodeRecordPayload<PropagationScored>(record);
    if (!score.ok()) return score.status();
    scores_.push_back(ScoreRecord{std::move(*score), record.recorded_at_us,
                                  record.actor.user_id});
  }
  return Status::Ok();
}

}  // namespace exemplar::projections
