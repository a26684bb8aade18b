#include "projections/quota_tally.h"

#include <algorithm>
#include <span>

#include "events/civil_date.h"

namespace exemplar::projections {
namespace {

constexpr std::int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

}  // namespace

QuotaCounts& QuotaCounts::operator+=(const QuotaCounts& other) {
  detected += other.detected;
  nominated += other.nominated;
  approved += other.approved;
  honoured += other.honoured;
  propagated += other.propagated;
  replicated += other.replicated;
  propagated_and_replicated += other.propagated_and_replicated;
  registered_on_time += other.registered_on_time;
  registered_late += other.registered_late;
  return *this;
}

QuotaCounts& QuotaCounts::operator-=(const QuotaCounts& other) {
  detected -= other.detected;
  nominated -= other.nominated;
  approved -= other.approved;
  honoured -= other.honoured;
  propagated -= other.propagated;
  replicated -= other.replicated;
  propagated_and_replicated -= other.propagated_and_replicated;
  registered_on_time -= other.registered_on_time;
  registered_late -= other.registered_late;
  return *this;
}

QuotaTally::QuotaTally(const Definition& definition, const Authority& authority,
                       const std::vector<std::string>& unit_ids,
                       std::int64_t tree_at_us, int year,
                       int utc_offset_minutes)
    : definition_(definition),
      authority_(authority),
      year_(year),
      offset_(utc_offset_minutes),
      begin_us_(CivilDate::FromYmd(year, 1, 1).StartUnixMicros(offset_)),
      end_us_(CivilDate::FromYmd(year + 1, 1, 1).StartUnixMicros(offset_)),
      year_text_(std::to_string(year)),
      credits_(authority, unit_ids, tree_at_us) {
  for (const std::string& id : unit_ids) IndexOf(id);
}

void QuotaTally::Add(const ExemplarRow& exemplar) {
  FindPart(exemplar);
  AddToSums(IndexOf(exemplar.unit_id), part_, 1);
}

void QuotaTally::Update(const ExemplarRow& exemplar) {
  auto [counted, inserted] = counted_.try_emplace(&exemplar);
  if (!inserted) AddToSums(counted->second.unit, counted->second.part, -1);
  FindPart(exemplar);
  if (part_.empty()) {
    counted_.erase(counted);
    return;
  }
  counted->second = Counted{IndexOf(exemplar.unit_id), part_};
  AddToSums(counted->second.unit, part_, 1);
}

void QuotaTally::AddToSums(std::uint32_t unit, const Part& part, int sign) {
  if (sums_.size() <= unit) sums_.resize(unit + 1);
  Part& sums = sums_[unit];
  for (const auto& [credited, counts] : part) {
    auto sum = std::find_if(sums.begin(), sums.end(),
                            [&](const auto& s) { return s.first == credited; });
    if (sum == sums.end()) sum = sums.insert(sum, {credited, QuotaCounts{}});
    if (sign > 0) {
      sum->second += counts;
    } else {
      sum->second -= counts;
      if (sum->second == QuotaCounts{}) sums.erase(sum);
    }
  }
}

std::uint32_t QuotaTally::IndexOf(const std::string& unit_id) {
  auto [found, inserted] = unit_index_.try_emplace(
      unit_id, static_cast<std::uint32_t>(unit_ids_.size()));
  if (inserted) unit_ids_.push_back(unit_id);
  return found->second;
}

const std::vector<std::uint32_t>& QuotaTally::CreditedTo(
    const std::string& unit, std::int64_t at_us) {
  const CreditCache::Credit credit = credits_.For(unit, at_us);
  if (credit.number >= by_answer_.size()) {
    by_answer_.resize(credit.number + 1);
    for (const std::string& id : *credit.units) {
      by_answer_[credit.number].push_back(IndexOf(id));
    }
  }
  return by_answer_[credit.number];
}

void QuotaTally::FindPart(const ExemplarRow& exemplar) {
  part_.clear();
  auto counts_of = [this](std::uint32_t unit) -> QuotaCounts& {
    for (auto& [known, counts] : part_) {
      if (known == unit) return counts;
    }
    return part_.emplace_back(unit, QuotaCounts{}).second;
  };
  // Each unit a step's times in the year are credited to counts the
  // exemplar once for that step.
  auto count = [&](int QuotaCounts::*step, std::span<const std::int64_t> at) {
    units_.clear();
    for (std::int64_t t : at) {
      if (t < begin_us_ || t >= end_us_) continue;
      const std::vector<std::uint32_t>& credited =
          CreditedTo(exemplar.UnitAt(t), t);
      units_.insert(units_.end(), credited.begin(), credited.end());
    }
    std::sort(units_.begin(), units_.end());
    units_.erase(std::unique(units_.begin(), units_.end()), units_.end());
    for (std::uint32_t unit : units_) ++(counts_of(unit).*step);
  };

  count(&QuotaCounts::detected, {&exemplar.detected_at_us, 1});
  times_.clear();
  for (const NominationFact& n : exemplar.nominations)
    times_.push_back(n.at_us);
  count(&QuotaCounts::nominated, times_);
  count(&QuotaCounts::approved, exemplar.approved_us);
  count(&QuotaCounts::honoured, exemplar.honoured_us);
  count(&QuotaCounts::propagated, exemplar.propagated_us);
  propagated_.swap(units_);
  count(&QuotaCounts::replicated, exemplar.replicated_us);
  // units_ and propagated_ are sorted: the units credited with both.
  for (std::uint32_t unit : units_) {
    if (std::binary_search(propagated_.begin(), propagated_.end(), unit)) {
      ++counts_of(unit).propagated_and_replicated;
    }
  }

  for (const NominationFact& n : exemplar.nominations) {
    if (n.kind != definition_.read_side.nominated.annual ||
        n.period != year_text_) {
      continue;
    }
    const UnitRecord* registrar = authority_.FindUnit(n.unit_id);
    const AnnualRegistration* registration =
        registrar == nullptr
            ? nullptr
            : definition_.RegistrationFor(registrar->level, year_);
    if (registration == nullptr) continue;
    const std::int64_t due_end =
        registration->DueIn(year_).StartUnixMicros(offset_) + kMicrosPerDay;
    QuotaCounts& counts = counts_of(IndexOf(n.unit_id));
    ++(n.at_us < due_end ? counts.registered_on_time : counts.registered_late);
  }
}

}  // namespace exemplar::projections
