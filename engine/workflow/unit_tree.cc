#include "engine/workflow/unit_tree.h"

#include <algorithm>

#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

Status Unknown(const EventRecord& record, const std::string& id) {
  return Status::Corruption(
      record.type + " names unit \"" + id + "\" never created",
      record.position);
}

UnitRecord NewUnit(const std::string& id, const std::string& name,
                   const std::string& level, const std::string& parent_id,
                   std::int64_t at) {
  UnitRecord unit;
  unit.id = id;
  unit.name = name;
  unit.level = level;
  unit.parents = {{at, parent_id}};
  unit.created_at_us = at;
  unit.names = {{at, name}};
  return unit;
}

}  // namespace

const std::string& UnitRecord::ParentAt(std::int64_t at_us) const {
  static const std::string kRoot;
  const std::string* parent = &kRoot;
  for (const auto& [from_us, id] : parents) {
    if (from_us > at_us) break;
    parent = &id;
  }
  return *parent;
}

bool UnitRecord::OpenAt(std::int64_t at_us) const {
  return created_at_us <= at_us && (!closed_at_us || at_us < *closed_at_us);
}

const std::vector<std::string>& UnitTree::EventTypes() {
  static const std::vector<std::string> kTypes = {
      UnitCreated::kType, UnitRenamed::kType, UnitMoved::kType,
      UnitClosed::kType, UnitsReorganised::kType};
  return kTypes;
}

Status UnitTree::Apply(const EventRecord& record) {
  const std::int64_t at = record.recorded_at_us;
  if (record.type == UnitCreated::kType) {
    Result<UnitCreated> e = DecodeRecordPayload<UnitCreated>(record);
    if (!e.ok()) return e.status();
    units_[e->unit_id] =
        NewUnit(e->unit_id, e->name, e->level, e->parent_id, at);
    return Status::Ok();
  }
  if (record.type == UnitsReorganised::kType) return ApplyReorganised(record);
  auto known = [&](const std::string& id) -> UnitRecord* {
    auto it = units_.find(id);
    return it == units_.end() ? nullptr : &it->second;
  };
  if (record.type == UnitRenamed::kType) {
    Result<UnitRenamed> e = DecodeRecordPayload<UnitRenamed>(record);
    if (!e.ok()) return e.status();
    UnitRecord* unit = known(e->unit_id);
    if (unit == nullptr) return Unknown(record, e->unit_id);
    unit->name = e->name;
    unit->names.emplace_back(at, e->name);
  } else if (record.type == UnitMoved::kType) {
    Result<UnitMoved> e = DecodeRecordPayload<UnitMoved>(record);
    if (!e.ok()) return e.status();
    UnitRecord* unit = known(e->unit_id);
    if (unit == nullptr) return Unknown(record, e->unit_id);
    unit->parents.emplace_back(at, e->parent_id);
  } else if (record.type == UnitClosed::kType) {
    Result<UnitClosed> e = DecodeRecordPayload<UnitClosed>(record);
    if (!e.ok()) return e.status();
    UnitRecord* unit = known(e->unit_id);
    if (unit == nullptr) return Unknown(record, e->unit_id);
    unit->closed_at_us = at;
  }
  return Status::Ok();
}

Status UnitTree::ApplyReorganised(const EventRecord& record) {
  const std::int64_t at = record.recorded_at_us;
  Result<UnitsReorganised> e = DecodeRecordPayload<UnitsReorganised>(record);
  if (!e.ok()) return e.status();
  std::vector<std::string> named;
  for (const UnitParent& moved : e->reparented) named.push_back(moved.unit_id);
  for (const Succession& edge : e->successions) {
    named.push_back(edge.from);
    named.insert(named.end(), edge.to.begin(), edge.to.end());
  }
  named.insert(named.end(), e->ended.begin(), e->ended.end());
  for (const std::string& id : named) {
    bool created =
        std::any_of(e->created.begin(), e->created.end(),
                    [&](const UnitSpec& spec) { return spec.unit_id == id; });
    if (!created && Find(id) == nullptr) return Unknown(record, id);
  }
  for (const UnitSpec& spec : e->created) {
    units_[spec.unit_id] =
        NewUnit(spec.unit_id, spec.name, spec.level, spec.parent_id, at);
  }
  for (const UnitParent& moved : e->reparented) {
    units_[moved.unit_id].parents.emplace_back(at, moved.parent_id);
  }
  for (const Succession& edge : e->successions) {
    UnitRecord& from = units_[edge.from];
    for (const std::string& to : edge.to) {
      from.successors.push_back(to);
      units_[to].predecessors.push_back(edge.from);
    }
  }
  for (const std::string& id : e->ended) {
    units_[id].closed_at_us = at;
    units_[id].ended_by = e->reorganisation_id;
  }
  const std::string id = e->reorganisation_id;
  reorganisations_[id] =
      ReorganisationRecord{std::move(*e), at, record.position, record.actor};
  return Status::Ok();
}

const ReorganisationRecord* UnitTree::FindReorganisation(
    const std::string& id) const {
  auto it = reorganisations_.find(id);
  return it == reorganisations_.end() ? nullptr : &it->second;
}

const UnitRecord* UnitTree::Find(const std::string& id) const {
  auto it = units_.find(id);
  return it == units_.end() ? nullptr : &it->second;
}

bool UnitTree::IsWithin(const std::string& unit, const std::string& ancestor,
                        std::int64_t at_us) const {
  return IsWithinAtDepth(unit, ancestor, at_us, 0);
}

bool UnitTree::IsWithinAtDepth(const std::string& unit,
                               const std::string& ancestor, std::int64_t at_us,
                               std::size_t depth) const {
  std::string current = unit;
  // Each step climbs one level; more steps than units means a cycle.
  for (size_t steps = 0; steps <= units_.size() && !current.empty(); ++steps) {
    if (current == ancestor) return true;
    const UnitRecord* record = Find(current);
    if (record == nullptr) return false;
    if (!record->ended_by.empty() && at_us >= *record->closed_at_us) {
      if (depth >= kMaxDepth) return false;
      return std::any_of(record->successors.begin(), record->successors.end(),
                         [&](const std::string& successor) {
                           return IsWithinAtDepth(successor, ancestor, at_us,
                                                  depth + 1);
                         });
    }
    current = record->ParentAt(at_us);
  }
  return false;
}

std::vector<std::string> UnitTree::CurrentSuccessorsAt(
    const std::string& id, std::int64_t at_us) const {
  std::vector<std::string> open;
  CollectSuccessors(id, at_us, 0, &open);
  return open;
}

void UnitTree::CollectSuccessors(const std::string& id, std::int64_t at_us,
                                 std::size_t depth,
                                 std::vector<std::string>* open) const {
  const UnitRecord* record = Find(id);
  if (record == nullptr || depth > kMaxDepth) return;
  if (record->OpenAt(at_us)) {
    if (std::find(open->begin(), open->end(), id) == open->end()) {
      open->push_back(id);
    }
    return;
  }
  if (record->ended_by.empty() || at_us < record->created_at_us) return;
  for (const std::string& successor : record->successors) {
    CollectSuccessors(successor, at_us, depth + 1, open);
  }
}

std::vector<std::string> UnitTree::AncestorsInLineage(
    const std::string& id) const {
  std::vector<std::string> found;
  std::vector<std::string> next{id};
  // Breadth first, each unit once; a malformed log cannot loop.
  for (std::size_t at = 0; at < next.size() && found.size() < units_.size();
       ++at) {
    const UnitRecord* record = Find(next[at]);
    if (record == nullptr) continue;
    for (const std::string& predecessor : record->predecessors) {
      if (predecessor == id ||
          std::find(found.begin(), found.end(), predecessor) != found.end()) {
        continue;
      }
      found.push_back(predecessor);
      next.push_back(predecessor);
    }
  }
  return found;
}

bool UnitTree::HasOpenChild(const std::string& unit, std::int64_t at_us) const {
  return std::any_of(units_.begin(), units_.end(), [&](auto& u) {
    return u.second.OpenAt(at_us) && u.second.ParentAt(at_us) == unit;
  });
}

std::vector<std::string> UnitTree::OpenChildrenAt(const std::string& unit,
                                                  std::int64_t at_us) const {
  std::vector<std::string> children;
  for (const auto& [id, record] : units_) {
    if (record.OpenAt(at_us) && record.ParentAt(at_us) == unit) {
      children.push_back(id);
    }
  }
  return children;
}

std::vector<std::string> UnitTree::PathAt(const std::string& unit_id,
                                          std::int64_t at_us) const {
  std::vector<std::string> path{unit_id};
  while (path.size() < kMaxDepth) {
    const UnitRecord* unit = Find(path.back());
    if (unit == nullptr || unit->ParentAt(at_us).empty()) break;
    path.push_back(unit->ParentAt(at_us));
  }
  return {path.rbegin(), path.rend()};
}

}  // namespace exemplar
