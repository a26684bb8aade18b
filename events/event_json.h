// The JSON form of a stored event, as the API, exports and the audit tools
// show it. The payload is given as base64 of its stored bytes, so that the
// hash can be recomputed from the JSON alone.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "events/envelope.h"

namespace exemplar {

// What follows the name of an envelope member whose stored value is sealed
// (engine/workflow/personal_data.h): "reason_sealed_base64" holds the
// stored bytes, which the hash covers, while "reason" holds what a reader
// may see.
inline constexpr char kSealedSuffix[] = "_sealed_base64";

// Every envelope field, `payload_base64`, `prev_hash` and `hash` in hex, and
// `recorded_at` as RFC 3339 UTC with microseconds. A text field holding a
// sealed value (a `reason` taken from a personal field) is written as null,
// with its stored bytes in base64 under its name and kSealedSuffix; never
// opened.
nlohmann::json EventToJson(const EventRecord& record);

// The inverse of EventToJson: a member's stored bytes are those under its
// name and kSealedSuffix when present. Fails with kInvalidArgument naming
// the field when one is missing or has the wrong type or form.
Result<EventRecord> EventFromJson(const nlohmann::json& json);

// RFC 3339 UTC ("2025-06-11T08:30:00.000000Z") for microseconds since epoch.
std::string FormatTimestamp(std::int64_t micros);

std::string Base64Encode(std::string_view bytes);
// Fails on characters outside the standard alphabet or bad padding.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace exemplar
