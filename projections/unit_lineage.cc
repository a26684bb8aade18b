#include "projections/unit_lineage.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "projections/fold_text.h"

namespace exemplar::projections {
namespace {

using nlohmann::json;

// Walks the lineage from `start` along `next` (predecessors or successors),
// breadth first so the nearest come first; `via(from, to)` names the
// reorganisation linking them. At most UnitTree::kMaxDepth steps deep.
template <typename Next, typename Via>
std::vector<LineageLink> Walk(const Authority& authority,
                              const std::string& start, Next next, Via via) {
  std::vector<LineageLink> links;
  std::set<std::string> seen = {start};
  std::deque<std::pair<std::string, std::size_t>> queue = {{start, 0}};
  while (!queue.empty()) {
    auto [id, depth] = queue.front();
    queue.pop_front();
    const UnitRecord* unit = authority.FindUnit(id);
    if (unit == nullptr || depth >= UnitTree::kMaxDepth) continue;
    for (const std::string& other : next(*unit)) {
      const UnitRecord* linked = authority.FindUnit(other);
      if (linked == nullptr || !seen.insert(other).second) continue;
      links.push_back(LineageLink{other, linked->name, linked->level,
                                  !linked->closed_at_us.has_value(),
                                  via(*unit, *linked)});
      queue.emplace_back(other, depth + 1);
    }
  }
  return links;
}

json LinksToJson(const std::vector<LineageLink>& links) {
  json out = json::array();
  for (const LineageLink& link : links) {
    out.push_back({{"id", link.unit_id},
                   {"name", link.name},
                   {"level", link.level},
                   {"open", link.open},
                   {"reorganisation_id", link.reorganisation_id}});
  }
  return out;
}

// Calls `visit(unit)` for `unit` and each of its ancestors at `at_us`.
template <typename Visit>
void ForUnitAndAncestors(const Authority& authority, std::string unit,
                         std::int64_t at_us, Visit visit) {
  for (int depth = 0; !unit.empty() && depth < 64; ++depth) {
    visit(unit);
    const UnitRecord* record = authority.FindUnit(unit);
    if (record == nullptr) return;
    unit = record->ParentAt(at_us);
  }
}

}  // namespace

UnitNode NodeOf(const UnitRecord& unit, std::int64_t at_us,
                const ReadScope& visible) {
  UnitNode node;
  node.id = unit.id;
  node.name = unit.name;
  node.level = unit.level;
  node.parent_id = unit.ParentAt(at_us);
  node.open = unit.OpenAt(at_us);
  node.in_scope = visible.Covers(unit.id);
  node.predecessors = unit.predecessors;
  node.successors = unit.successors;
  node.ended_by = unit.ended_by;
  for (const auto& [from, name] : unit.names) {
    if (name != unit.name &&
        std::find(node.former_names.begin(), node.former_names.end(), name) ==
            node.former_names.end()) {
      node.former_names.push_back(name);
    }
  }
  return node;
}

Result<UnitLineage> BuildUnitLineage(const Authority& authority,
                                     const std::string& unit_id,
                                     std::int64_t at_us,
                                     const ReadScope& visible) {
  const UnitRecord* unit = authority.FindUnit(unit_id);
  if (unit == nullptr || !visible.Covers(unit_id)) {
    return Status::Rejected("unknown_unit", "unknown unit \"" + unit_id + "\"",
                            "id");
  }
  UnitLineage lineage;
  lineage.unit = NodeOf(*unit, at_us, visible);
  lineage.predecessors = Walk(
      authority, unit_id, [](const UnitRecord& u) { return u.predecessors; },
      [](const UnitRecord&, const UnitRecord& predecessor) {
        return predecessor.ended_by;
      });
  lineage.successors = Walk(
      authority, unit_id, [](const UnitRecord& u) { return u.successors; },
      [](const UnitRecord& ended, const UnitRecord&) {
        return ended.ended_by;
      });
  std::set<std::string> named;
  if (!unit->ended_by.empty()) named.insert(unit->ended_by);
  for (const auto* links : {&lineage.predecessors, &lineage.successors}) {
    for (const LineageLink& link : *links) {
      if (!link.reorganisation_id.empty()) named.insert(link.reorganisation_id);
    }
  }
  for (const std::string& id : named) {
    const ReorganisationRecord* found =
        authority.units().FindReorganisation(id);
    if (found != nullptr) lineage.reorganisations.push_back(*found);
  }
  std::sort(lineage.reorganisations.begin(), lineage.reorganisations.end(),
            [](const ReorganisationRecord& a, const ReorganisationRecord& b) {
              return a.position < b.position;
            });
  return lineage;
}

std::vector<UnitMatch> SearchUnits(const Authority& authority,
                                   const std::vector<std::string>& unit_ids,
                                   std::string_view query, std::int64_t at_us,
                                   const ReadScope& visible) {
  const std::string folded = FoldForSearch(query);
  std::map<std::string, UnitMatch> found;
  auto add = [&](const UnitRecord& unit, const std::string& matched,
                 const std::string& through) {
    if (!visible.Covers(unit.id) || found.count(unit.id)) return;
    found.emplace(unit.id,
                  UnitMatch{NodeOf(unit, at_us, visible), matched, through});
  };
  for (const std::string& id : unit_ids) {
    const UnitRecord* unit = authority.FindUnit(id);
    const auto match = std::find_if(
        unit->names.rbegin(), unit->names.rend(), [&](const auto& entry) {
          return FoldForSearch(entry.second).find(folded) != std::string::npos;
        });
    if (match == unit->names.rend()) continue;
    add(*unit, match->second, "");
    for (const std::string& successor :
         authority.units().CurrentSuccessorsAt(id, at_us)) {
      if (successor == id) continue;
      if (const UnitRecord* open = authority.FindUnit(successor)) {
        add(*open, match->second, id);
      }
    }
  }
  std::vector<UnitMatch> matches;
  for (const std::string& id : unit_ids) {
    auto it = found.find(id);
    if (it != found.end()) matches.push_back(std::move(it->second));
  }
  return matches;
}

json ToJson(const UnitLineage& lineage, int offset) {
  json reorganisations = json::array();
  for (const ReorganisationRecord& r : lineage.reorganisations) {
    reorganisations.push_back({{"id", r.event.reorganisation_id},
                               {"kind", r.event.kind},
                               {"effective_at", FormatInstant(r.at_us, offset)},
                               {"legal_basis", r.event.legal_basis},
                               {"ended", r.event.ended},
                               {"successions", r.event.successions}});
  }
  json unit = ToJson(lineage.unit);
  unit.erase("children");
  return {{"unit", std::move(unit)},
          {"predecessors", LinksToJson(lineage.predecessors)},
          {"successors", LinksToJson(lineage.successors)},
          {"reorganisations", std::move(reorganisations)}};
}

json ToJson(const UnitMatch& match) {
  json out = ToJson(match.unit);
  out.erase("children");
  out["matched_name"] = match.matched_name;
  out["through"] = match.through.empty() ? json(nullptr) : json(match.through);
  return out;
}

std::set<std::string> CreditedUnits(const Authority& authority,
                                    const std::string& unit, std::int64_t at_us,
                                    std::int64_t tree_at_us) {
  std::set<std::string> units;
  auto add = [&](const std::string& start, std::int64_t when) {
    ForUnitAndAncestors(authority, start, when,
                        [&](const std::string& u) { units.insert(u); });
  };
  add(unit, std::min(at_us, tree_at_us));
  for (const std::string& successor :
       authority.units().CurrentSuccessorsAt(unit, tree_at_us)) {
    if (successor != unit) add(successor, tree_at_us);
  }
  return units;
}

CreditCache::CreditCache(const Authority& authority,
                         const std::vector<std::string>& unit_ids,
                         std::int64_t tree_at_us)
    : authority_(authority), tree_at_us_(tree_at_us) {
  for (const std::string& id : unit_ids) {
    const UnitRecord* unit = authority.FindUnit(id);
    if (unit == nullptr) continue;
    for (const auto& [from_us, parent] : unit->parents) {
      changes_.push_back(from_us);
    }
  }
  std::sort(changes_.begin(), changes_.end());
  changes_.erase(std::unique(changes_.begin(), changes_.end()), changes_.end());
}

CreditCache::Credit CreditCache::For(const std::string& unit,
                                     std::int64_t at_us) {
  const std::int64_t when = std::min(at_us, tree_at_us_);
  const auto stretch = static_cast<std::size_t>(
      std::upper_bound(changes_.begin(), changes_.end(), when) -
      changes_.begin());
  if (last_ && stretch == last_stretch_ && unit == last_unit_) return *last_;
  last_unit_ = unit;
  last_stretch_ = stretch;
  last_ = Find(unit, stretch, at_us);
  return *last_;
}

CreditCache::Credit CreditCache::Find(const std::string& unit,
                                      std::size_t stretch, std::int64_t at_us) {
  std::vector<std::pair<std::size_t, std::size_t>>& known = known_[unit];
  for (const auto& [known_stretch, number] : known) {
    if (known_stretch == stretch) return {number, &answers_[number]};
  }
  const std::set<std::string> units =
      CreditedUnits(authority_, unit, at_us, tree_at_us_);
  answers_.emplace_back(units.begin(), units.end());
  known.emplace_back(stretch, answers_.size() - 1);
  return {answers_.size() - 1, &answers_.back()};
}

}  // namespace exemplar::projections
