// The read model of the registration funnel and of propagation work: each
// unit's annual lists (registered or selected, then submitted), the scores
// of units' propagation work, and the propagation steps of exemplars. Part
// of ReadModel, which feeds it; the "unit_records" projection persists the
// funnel's events as recorded (refolded at load), the "propagation"
// projection one PropagationRow per step.
//
// Thread safety: none; the owning ReadModel serialises it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
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
  void AddPropagation(PropagationRow row);
  // Shows the first `count` propagation steps of `other` (which must
  // outlive this model) instead of its own: the steps of a model as of an
  // earlier position are a prefix of the live model's.
  void ShowPropagation(const FunnelModel& other, std::size_t count) {
    shown_from_ = &other;
    shown_count_ = count;
  }

  // By registration id ("<year>-<unit>").
  const std::map<std::string, ListRecord>& lists() const { return lists_; }
  // In log order.
  const std::vector<ScoreRecord>& scores() const { return scores_; }
  std::span<const PropagationRow> propagation() const {
    if (shown_from_ != nullptr) {
      return std::span(shown_from_->propagation_).first(shown_count_);
    }
    return propagation_;
  }
  // Calls `visit` for each propagation step recorded within
  // [begin_us, end_us), in time order (a search, not a walk of every step).
  template <typename Visit>
  void ForEachPropagationIn(std::int64_t begin_us, std::int64_t end_us,
                            Visit visit) const {
    const FunnelModel& owner = shown_from_ != nullptr ? *shown_from_ : *this;
    const std::span<const PropagationRow> shown = propagation();
    auto at = std::lower_bound(owner.by_time_.begin(), owner.by_time_.end(),
                               std::pair(begin_us, std::size_t{0}));
    for (; at != owner.by_time_.end() && at->first < end_us; ++at) {
      if (at->second < shown.size()) visit(shown[at->second]);
    }
  }

 private:
  std::map<std::string, ListRecord> lists_;
  std::vector<ScoreRecord> scores_;
  std::vector<PropagationRow> propagation_;
  // (time recorded, index in propagation_), in order.
  std::vector<std::pair<std::int64_t, std::size_t>> by_time_;
  const FunnelModel* shown_from_ = nullptr;
  std::size_t shown_count_ = 0;
};

}  // namespace exemplar::projections
