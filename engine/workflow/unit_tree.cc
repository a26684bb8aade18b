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
      UnitClosed::kType};
  return kTypes;
}

Status UnitTree::Apply(const EventRecord& record) {
  const std::int64_t at = record.recorded_at_us;
  if (record.type == UnitCreated::kType) {
    Result<UnitCreated> e = DecodeRecordPayload<UnitCreated>(record);
    if (!e.ok()) return e.status();
    units_[e->unit_id] =
        UnitRecord{e->unit_id, e->name, e->level, {{at, e->parent_id}}, at, {}};
    return Status::Ok();
  }
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

const UnitRecord* UnitTree::Find(const std::string& id) const {
  auto it = units_.find(id);
  return it == units_.end() ? nullptr : &it->second;
}

bool UnitTree::IsWithin(const std::string& unit, const std::string& ancestor,
                        std::int64_t at_us) const {
  std::string current = unit;
  // Each step climbs one level; more steps than units means a cycle.
  for (size_t steps = 0; steps <= units_.size() && !current.empty(); ++steps) {
    if (current == ancestor) return true;
    const UnitRecord* record = Find(current);
    if (record == nullptr) return false;
    current = record->ParentAt(at_us);
  }
  return false;
}

bool UnitTree::HasOpenChild(const std::string& unit, std::int64_t at_us) const {
  return std::any_of(units_.begin(), units_.end(), [&](auto& u) {
    return u.second.OpenAt(at_us) && u.second.ParentAt(at_us) == unit;
  });
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
