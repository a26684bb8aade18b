// The units across reorganisations: a unit as a node of the tree with its
// lineage (predecessors, successors, the reorganisation that ended it, the
// names it bore), a unit's whole lineage with each reorganisation's kind,
// date and legal basis, and the search of units by any name they bore.
//
// Thread safety: pure functions of the authority; the caller holds it still.
#pragma once

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/workflow/authority.h"
#include "events/status.h"
#include "projections/queries.h"

namespace exemplar::projections {

// The units a step taken at `at_us` in `unit` counts for in a report of
// the tree at `tree_at_us`: `unit` with its ancestors in the tree of that
// moment, and the units `unit` became, open in the tree shown, with their
// ancestors there. So a step before a reorganisation counts for the ended
// unit (its part) and for its successor (the period's total), once each.
std::set<std::string> CreditedUnits(const Authority& authority,
                                    const std::string& unit, std::int64_t at_us,
                                    std::int64_t tree_at_us);

// `unit` as the tree stood at `at_us`, without children; in_scope as
// `visible` covers it.
UnitNode NodeOf(const UnitRecord& unit, std::int64_t at_us,
                const ReadScope& visible);

// A unit of another's lineage and the reorganisation that links the two.
struct LineageLink {
  std::string unit_id;
  std::string name;
  std::string level;
  bool open = true;
  std::string reorganisation_id;
};

struct UnitLineage {
  UnitNode unit;
  // The units it succeeded, transitively, nearest first; each linked by the
  // reorganisation that ended it.
  std::vector<LineageLink> predecessors;
  // The units that succeeded it, transitively, nearest first; each linked
  // by the reorganisation that ended the unit it succeeded.
  std::vector<LineageLink> successors;
  // Every reorganisation named above, in the order they took effect.
  std::vector<ReorganisationRecord> reorganisations;
};

// The lineage of `unit_id` in the tree of `at_us`. Rejected
// "unknown_unit" (field "id") when the unit is unknown or `visible` does
// not cover it.
Result<UnitLineage> BuildUnitLineage(const Authority& authority,
                                     const std::string& unit_id,
                                     std::int64_t at_us,
                                     const ReadScope& visible);

// A unit found by name: its own (present or former), or a predecessor's
// (`through`, the predecessor whose name matched).
struct UnitMatch {
  UnitNode unit;
  std::string matched_name;
  std::string through;
};

// The units among `unit_ids` whose present or former name contains `query`
// ignoring case and diacritics (fold_text.h), and the units open at `at_us`
// that succeeded a matching unit; only those `visible` covers, each once,
// in `unit_ids` order.
std::vector<UnitMatch> SearchUnits(const Authority& authority,
                                   const std::vector<std::string>& unit_ids,
                                   std::string_view query, std::int64_t at_us,
                                   const ReadScope& visible);

// CreditedUnits for the many steps one report counts. The answer for a
// unit changes only where some unit's parent does, so it is worked out
// once per unit and stretch of time between two such changes, and each
// step costs a lookup. `authority` must outlive it.
class CreditCache {
 public:
  // The units of `authority` are `unit_ids`; the tree is shown as of
  // `tree_at_us`.
  CreditCache(const Authority& authority,
              const std::vector<std::string>& unit_ids,
              std::int64_t tree_at_us);

  // An answer, and its number (0, 1, ... in the order first asked), by
  // which a report may keep what it derives from it.
  struct Credit {
    std::size_t number;
    const std::vector<std::string>* units;
  };
  // CreditedUnits(authority, unit, at_us, tree_at_us), in id order.
  Credit For(const std::string& unit, std::int64_t at_us);

 private:
  // The answer for `unit` in `stretch`, worked out when first asked.
  Credit Find(const std::string& unit, std::size_t stretch, std::int64_t at_us);

  const Authority& authority_;
  const std::int64_t tree_at_us_;
  std::vector<std::int64_t> changes_;  // every instant a parent changed
  // Per unit, (stretch, answer number).
  std::unordered_map<std::string,
                     std::vector<std::pair<std::size_t, std::size_t>>>
      known_;
  std::deque<std::vector<std::string>> answers_;
  // The last answer given: steps of one exemplar mostly share it.
  std::string last_unit_;
  std::size_t last_stretch_ = 0;
  std::optional<Credit> last_;
};

nlohmann::json ToJson(const UnitLineage& lineage, int utc_offset_minutes);
nlohmann::json ToJson(const UnitMatch& match);

}  // namespace exemplar::projections
