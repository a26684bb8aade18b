// The read model of the registration funnel and of propagation work: each
// unit's annual lists (registered or selected, then submitted), the scores
// of units' propagation work, and the propagation steps of exemplars. Part
// of ReadModel, which feeds it; the "unit_records" projection persists the
// funnel's events as recorded (refolded at load), the "propagation"
// projection one PropagationRow per step.
//
// Thread safety: none; the owning ReadModel serialises it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "events/envelope.h"
#include "events/funnel_events.h"
#include "events/status.h"
#include "projections/rows.h"

namespace exemplar::projections {

struct ListRecord {
  AnnualListRegistered list;
  std::int64_t at_us = 0;
  std::string user_id;  // who recorded it
  std::optional<AnnualListSubmitted> submission;
  std::int64_t submitted_at_us = 0;
};

struct ScoreRecord {
  PropagationScored score;
  std::int64_t at_us = 0;
  std::string user_id;
};

class FunnelModel {
 public:
  // True for the streams whose events ApplyRecord folds.
  static bool Follows(const std::string& stream_id);

  // Folds one event of those streams. kCorruption naming the position when
  // it does not decode or submits a list never recorded.
  Status ApplyRecord(const EventRecord& record);
  void AddPropagation(PropagationRow row) {
    propagation_.push_back(std::move(row));
  }
  // Shows `rows` (another model's, which must outlive this one) as the
  // propagation steps instead of its own: the steps of a model as of an
  // earlier position are a prefix of the live model's.
  void ShowPropagation(std::span<const PropagationRow> rows) { shown_ = rows; }

  // By registration id ("<year>-<unit>").
  const std::map<std::string, ListRecord>& lists() const { return lists_; }
  // In log order.
  const std::vector<ScoreRecord>& scores() const { return scores_; }
  std::span<const PropagationRow> propagation() const {
    if (shown_) return *shown_;
    return propagation_;
  }

 private:
  std::map<std::string, ListRecord> lists_;
  std::vector<ScoreRecord> scores_;
  std::vector<PropagationRow> propagation_;
  std::optional<std::span<const PropagationRow>> shown_;
};

}  // namespace exemplar::projections
