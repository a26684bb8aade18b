// NATS subjects for events: `<prefix>.<unit path>.<event type>`.
//
// The unit path names the unit the envelope's actor acted for
// (actor.unit_id), one subject token per unit from the root of the unit tree
// down to it, so `exemplar.vn.hanoi.>` selects everything done in Hanoi and
// the units below it. The tree is folded from the log's unit_created and
// unit_moved events as they pass, so a subject reflects the tree as it stood
// when the event was appended. A unit the tree does not know yet is a path of
// its own id alone; an event without a unit has the path "_".
//
// Thread safety: UnitTree is not thread-safe; the free functions are.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/envelope.h"

namespace exemplar::relay {

// One subject token for `text`: bytes NATS gives a meaning to or forbids in
// a token ('.', '*', '>', whitespace, control and non-ASCII bytes) and '%'
// itself are written as %XX (upper-case hex), so the mapping is reversible.
// An empty text becomes "_".
std::string EscapeSubjectToken(std::string_view text);

class UnitTree {
 public:
  // Records the parent link carried by a unit_created or unit_moved event;
  // ignores every other event and a payload that does not decode (the
  // subject then falls back to the unit's id alone).
  void Apply(const EventRecord& record);

  // Unit ids from the root down to `unit_id` (inclusive); just {unit_id}
  // when the unit is unknown. Stops after 64 levels, so a malformed tree
  // cannot loop.
  std::vector<std::string> PathOf(const std::string& unit_id) const;

 private:
  std::unordered_map<std::string, std::string> parent_of_;  // "" for a root
};

// `prefix.<escaped unit path>.<escaped type>` for `record`. `prefix` is used
// as given (it may hold dots of its own, e.g. "gov.exemplar").
std::string SubjectFor(std::string_view prefix, const UnitTree& units,
                       const EventRecord& record);

}  // namespace exemplar::relay
