// The quota report's counts, exemplar by exemplar. A QuotaTally works out
// what each exemplar adds to one year's report (its part: the units it is
// credited to and the steps it counts there) and keeps the parts summed by
// the unit the exemplar belongs to now. The live model keeps a tally per
// year asked for and replaces the parts of the rows each event changes, so
// that a report adds up a few hundred sums instead of reading every row.
//
// Thread safety: none; the owner serialises it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "projections/rows.h"
#include "projections/unit_lineage.h"

namespace exemplar::projections {

// How many exemplars took each step in the year, for one unit.
struct QuotaCounts {
  int detected = 0, nominated = 0, approved = 0, honoured = 0;
  int propagated = 0, replicated = 0, propagated_and_replicated = 0;
  // Annual nominations for the year made by the unit itself, by or after
  // its registration's due date.
  int registered_on_time = 0, registered_late = 0;

  QuotaCounts& operator+=(const QuotaCounts& other);
  QuotaCounts& operator-=(const QuotaCounts& other);
  bool operator==(const QuotaCounts&) const = default;
};

class QuotaTally {
 public:
  // Counts steps in local calendar `year` (UTC offset `utc_offset_minutes`)
  // for the units of `authority` listed in `unit_ids`, in the tree shown as
  // of `tree_at_us` (CreditedUnits). All three and `definition` must
  // outlive the tally and stay unchanged.
  QuotaTally(const Definition& definition, const Authority& authority,
             const std::vector<std::string>& unit_ids, std::int64_t tree_at_us,
             int year, int utc_offset_minutes);

  // Adds `exemplar`'s part to the sums, once per tally.
  void Add(const ExemplarRow& exemplar);
  // Replaces the part `exemplar` (the same row, by address) last added
  // through Update with its part now.
  void Update(const ExemplarRow& exemplar);

  // Calls `visit(unit_id, counts)` with the sums of the exemplars whose
  // unit now is one `belongs` accepts (a predicate on a unit id), per unit
  // credited, in no particular order.
  template <typename Belongs, typename Visit>
  void ForEachSum(Belongs belongs, Visit visit) const {
    for (std::size_t unit = 0; unit < sums_.size(); ++unit) {
      if (sums_[unit].empty() || !belongs(unit_ids_[unit])) continue;
      for (const auto& [credited, counts] : sums_[unit]) {
        visit(unit_ids_[credited], counts);
      }
    }
  }

  int year() const { return year_; }
  int utc_offset_minutes() const { return offset_; }

 private:
  // One exemplar's part: (unit index, counts), in no particular order.
  using Part = std::vector<std::pair<std::uint32_t, QuotaCounts>>;
  struct Counted {
    std::uint32_t unit = 0;  // the exemplar's unit when counted
    Part part;
  };

  // The part of `exemplar`, in part_.
  void FindPart(const ExemplarRow& exemplar);
  // The indexes of the units a step at `at_us` in `unit` is credited to.
  const std::vector<std::uint32_t>& CreditedTo(const std::string& unit,
                                               std::int64_t at_us);
  std::uint32_t IndexOf(const std::string& unit_id);
  void AddToSums(std::uint32_t unit, const Part& part, int sign);

  const Definition& definition_;
  const Authority& authority_;
  const int year_;
  const int offset_;
  const std::int64_t begin_us_, end_us_;
  const std::string year_text_;
  CreditCache credits_;
  // Units by index: those of the tree first, then any other an exemplar
  // names.
  std::vector<std::string> unit_ids_;
  std::unordered_map<std::string, std::uint32_t> unit_index_;
  std::vector<std::vector<std::uint32_t>> by_answer_;  // CreditCache answers
  // By unit of the exemplars: their parts summed (a few units each).
  std::vector<Part> sums_;
  // FindPart's answer and scratch, kept for their storage.
  Part part_;
  std::vector<std::uint32_t> units_, propagated_;
  std::vector<std::int64_t> times_;
  std::unordered_map<const ExemplarRow*, Counted> counted_;  // by Update
};

}  // namespace exemplar::projections
