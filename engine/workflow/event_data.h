// An event's fields as JSON, for readers of the log who cannot decode the
// binary payload: the HTTP API (/v1/events, /v1/streams, history, the event
// stream) and the relay put them beside the stored bytes as `data`.
//
// The log stores payloads as cereal binary, whose layout only the code that
// wrote them knows; the hash covers those bytes, so `payload_base64` stays
// the authoritative form and `data` is derived from it, never read back.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/workflow/definition.h"
#include "engine/workflow/personal_data.h"
#include "events/envelope.h"

namespace exemplar {

// The payload of `record` as JSON, decoded at its schema version (older
// versions upcast to the current fields):
//   - a system event (unit, user, role, campaign, token): its fields, as
//     PayloadToJson gives them;
//   - a workflow event of `definition`: {"action", "definition",
//     "definition_version", "fields"}, fields as WorkflowEventToJson gives
//     them (dates "YYYY-MM-DD", criteria as objects).
// Null when the payload is not one `definition` can read: bytes that do not
// decode, another definition, an action it does not have or whose event is
// not the record's type, or a field of the action stored with another type
// than the action declares. Never fails otherwise.
// Sealed personal values are opened with `personal`; without it they are
// left out, and `withheld` lists the fields that held them.
nlohmann::json EventData(const Definition& definition,
                         const EventRecord& record,
                         const PersonalData* personal = nullptr);

// EventToJson (events/event_json.h) with `data` = EventData, and a sealed
// `reason` or `remote_address` opened with `personal`, or null without it
// (the stored bytes stay beside it, for the hash).
nlohmann::json EventToJsonWithData(const Definition& definition,
                                   const EventRecord& record,
                                   const PersonalData* personal = nullptr);

}  // namespace exemplar
