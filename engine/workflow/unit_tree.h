// The unit tree as history, folded from the log's unit events
// (unit_created, unit_renamed, unit_moved, unit_closed): every unit keeps
// its parents with the instant each took effect, so the tree can be asked
// how it stood at any moment. The one fold of the tree: authority, the SSE
// unit filter and the relay's subjects all read it.
//
// Thread safety: const methods may be called concurrently; Apply needs
// exclusive access.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

struct UnitRecord {
  std::string id;
  std::string name;
  std::string level;
  // (effective from, parent id) in time order; parent "" is a root.
  std::vector<std::pair<std::int64_t, std::string>> parents;
  std::int64_t created_at_us = 0;
  std::optional<std::int64_t> closed_at_us;

  // The parent at instant `at_us` ("" for a root).
  const std::string& ParentAt(std::int64_t at_us) const;
  bool OpenAt(std::int64_t at_us) const;
};

class UnitTree {
 public:
  // The event types Apply folds.
  static const std::vector<std::string>& EventTypes();

  // Folds one unit event, taking effect at its recorded_at_us; ignores
  // every other event. kCorruption (naming the position) when the payload
  // does not decode or names a unit the log never created.
  Status Apply(const EventRecord& record);

  // nullptr when unknown.
  const UnitRecord* Find(const std::string& id) const;

  // True when `unit` is `ancestor` or lies below it as the tree stood at
  // `at_us`.
  bool IsWithin(const std::string& unit, const std::string& ancestor,
                std::int64_t at_us) const;

  // True when an open unit has `unit` as its parent at `at_us`.
  bool HasOpenChild(const std::string& unit, std::int64_t at_us) const;

  // Unit ids from the root down to `unit_id` (inclusive) as the tree stood
  // at `at_us`; just {unit_id} when the unit is unknown. At most
  // kMaxDepth ids, so a malformed tree cannot loop.
  std::vector<std::string> PathAt(const std::string& unit_id,
                                  std::int64_t at_us) const;
  static constexpr std::size_t kMaxDepth = 64;

  std::size_t size() const { return units_.size(); }

 private:
  std::map<std::string, UnitRecord> units_;
};

}  // namespace exemplar
