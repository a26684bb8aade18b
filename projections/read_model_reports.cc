// The reports' indexes of ReadModel: kept as the live model folds, read by
// reports.cc and reorganisation_report.cc.
#include <algorithm>

#include "projections/read_model.h"

namespace exemplar::projections {
namespace {

// Rows changed since the oldest tally last read, beyond which the tallies
// are dropped rather than kept up to date (one not asked for in a long
// while is cheaper to work out again).
std::size_t MaxChangedRows(std::size_t rows) { return 4 * rows + 4096; }

}  // namespace

ReadModel::ReportKeys ReadModel::ReportKeysOf(const ExemplarRow& row) {
  return {row.mentor_id, row.nominations.size(),
          row.replication_targets.size()};
}

void ReadModel::Reindex(const Entry& entry, const ReportKeys& before) {
  if (!options_.query_indexes) return;
  const ExemplarRow& row = entry.row;
  const std::string& quarterly = definition_->read_side.nominated.quarterly;
  auto first_for_period = [&row, &quarterly](std::size_t i) {
    for (std::size_t earlier = 0; earlier < i; ++earlier) {
      const NominationFact& n = row.nominations[earlier];
      if (n.kind == quarterly && n.period == row.nominations[i].period) {
        return false;
      }
    }
    return true;
  };
  for (std::size_t i = before.nominations; i < row.nominations.size(); ++i) {
    if (row.nominations[i].kind == quarterly && first_for_period(i)) {
      by_period_[row.nominations[i].period].push_back(&entry);
    }
  }
  if (row.mentor_id != before.mentor) {
    if (!before.mentor.empty()) {
      auto mentored = by_mentor_.find(before.mentor);
      mentored->second.erase(&entry);
      if (mentored->second.empty()) by_mentor_.erase(mentored);
    }
    if (!row.mentor_id.empty()) by_mentor_[row.mentor_id].insert(&entry);
  }
  if (row.replication_targets.size() != before.targets) {
    for (const auto& [id, unit] : row.replication_targets) {
      by_target_[unit].insert(&entry);
    }
  }
  if (tallies_.empty()) return;
  changed_rows_.push_back(&row);
  if (changed_rows_.size() > MaxChangedRows(entries_.size())) {
    tallies_.clear();
    changed_rows_.clear();
  }
}

void ReadModel::ForEachNominatedFor(
    const UnitScope& scope, const std::string& period,
    const std::function<void(const ExemplarRow&)>& visit) const {
  if (!options_.query_indexes) {
    ForEachExemplarIn(scope, visit);
    return;
  }
  auto nominated = by_period_.find(period);
  if (nominated == by_period_.end()) return;
  for (const Entry* entry : nominated->second) {
    if (scope.ContainsIndex(entry->unit_index)) visit(entry->row);
  }
}

void ReadModel::ForEachExemplarTouching(
    const UnitScope& scope, const std::vector<std::string>& units,
    const std::vector<std::string>& mentors,
    const std::function<void(const ExemplarRow&)>& visit) const {
  if (!options_.query_indexes) {
    ForEachExemplar([&](const ExemplarRow& row) {
      if (scope.Contains(row.unit_id)) visit(row);
    });
    return;
  }
  std::vector<const Entry*> touching;
  auto add_all = [&](const auto& entries) {
    touching.insert(touching.end(), entries.begin(), entries.end());
  };
  for (const std::string& unit : units) {
    auto index = unit_index_.find(unit);
    if (index != unit_index_.end() && index->second < by_unit_.size()) {
      add_all(by_unit_[index->second]);
    }
    auto targeted = by_target_.find(unit);
    if (targeted != by_target_.end()) add_all(targeted->second);
  }
  for (const std::string& mentor : mentors) {
    auto mentored = by_mentor_.find(mentor);
    if (mentored != by_mentor_.end()) add_all(mentored->second);
  }
  std::sort(
      touching.begin(), touching.end(),
      [](const Entry* a, const Entry* b) { return a->row.id < b->row.id; });
  touching.erase(std::unique(touching.begin(), touching.end()), touching.end());
  for (const Entry* entry : touching) {
    if (scope.ContainsIndex(entry->unit_index)) visit(entry->row);
  }
}

void ReadModel::ForEachQuotaSum(
    int year, int utc_offset_minutes, const UnitScope& seen,
    const std::function<void(const std::string&, const QuotaCounts&)>& visit)
    const {
  auto belongs = [&seen](const std::string& unit) {
    return seen.Contains(unit);
  };
  if (!options_.query_indexes) {
    QuotaTally tally(*definition_, authority_, unit_ids_, options_.tree_at_us,
                     year, utc_offset_minutes);
    ForEachExemplarIn(seen, [&](const ExemplarRow& row) { tally.Add(row); });
    tally.ForEachSum(belongs, visit);
    return;
  }
  std::lock_guard lock(tallies_mutex_);
  TallyOf(year, utc_offset_minutes).ForEachSum(belongs, visit);
}

QuotaTally& ReadModel::TallyOf(int year, int utc_offset_minutes) const {
  auto kept = std::find_if(
      tallies_.begin(), tallies_.end(), [&](const KeptTally& kept) {
        return kept.tally->year() == year &&
               kept.tally->utc_offset_minutes() == utc_offset_minutes;
      });
  if (kept == tallies_.end()) {
    auto tally = std::make_unique<QuotaTally>(*definition_, authority_,
                                              unit_ids_, options_.tree_at_us,
                                              year, utc_offset_minutes);
    for (const auto& [id, entry] : entries_) tally->Update(entry.row);
    tallies_.push_back(KeptTally{std::move(tally), changed_rows_.size()});
    kept = tallies_.end() - 1;
  }
  for (std::size_t i = kept->read; i < changed_rows_.size(); ++i) {
    kept->tally->Update(*changed_rows_[i]);
  }
  kept->read = changed_rows_.size();
  if (std::all_of(tallies_.begin(), tallies_.end(), [&](const KeptTally& k) {
        return k.read == changed_rows_.size();
      })) {
    for (KeptTally& k : tallies_) k.read = 0;
    changed_rows_.clear();
  }
  return *kept->tally;
}

}  // namespace exemplar::projections
