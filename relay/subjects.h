// NATS subjects for events: `<prefix>.<unit path>.<event type>`.
//
// The unit path names the event's unit (engine/workflow/event_unit.h: the
// exemplar's for the events of its stream, whoever acted; the unit's for a
// unit's stream; else the actor's), one subject token per unit from the root
// of the unit tree down to it, so `exemplar.vn.hanoi.>` selects everything
// that belongs to Hanoi and the units below it. The caller folds the tree
// (engine/workflow/unit_tree.h) from the log's unit events as they pass, so
// a subject reflects the tree as it stood when the event was appended. A
// unit the tree does not know yet is a path of its own id alone; an event
// without a unit has the path "_".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/workflow/unit_tree.h"
#include "events/envelope.h"

namespace exemplar::relay {

// One subject token for `text`: bytes NATS gives a meaning to or forbids in
// a token ('.', '*', '>', whitespace, control and non-ASCII bytes) and '%'
// itself are written as %XX (upper-case hex), so the mapping is reversible.
// An empty text becomes "_".
std::string EscapeSubjectToken(std::string_view text);

// `prefix.<escaped path of event_unit>.<escaped type>` for `record`, whose
// unit is `event_unit` ("" for none). `prefix` is used as given (it may hold
// dots of its own, e.g. "gov.exemplar").
std::string SubjectFor(std::string_view prefix, const UnitTree& units,
                       const std::string& event_unit,
                       const EventRecord& record);

}  // namespace exemplar::relay
