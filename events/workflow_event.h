// The generic workflow event: what every step of an exemplar's lifecycle
// records. The engine is generic over the workflow definition, so one payload
// type carries every action: the action's name, the definition's name and
// version, and the fields the definition declared, validated and typed.
//
// The event's type tag (NewEvent::type) is the event name the definition
// gives the action, e.g. "exemplar_nominated"; the payload is always a
// WorkflowEvent.
#pragma once

#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "events/civil_date.h"

namespace exemplar {

// One criterion of an appraisal: met or not, and on what evidence.
struct CriterionResult {
  std::string criterion;  // id of a criterion in the campaign's criteria set
  bool met = false;
  std::string evidence;

  bool operator==(const CriterionResult&) const = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(criterion, met, evidence);
  }
};

// An evidence document an action took (a dossier, a signed decision, a
// photograph): its bytes live in the document store (documents/), sealed;
// the event commits to them by `hash`, the SHA-256 of the sealed bytes, so
// that no fingerprint of the plain content is kept. `name` and `key` (the
// document's own data key) are sealed as personal values of the field's
// data subject: destroying that subject's key leaves the document
// unreadable.
struct DocumentRef {
  std::string hash;        // 64 lowercase hex digits
  std::uint64_t size = 0;  // of the plain content
  std::string media_type;
  std::string name;
  std::string key;  // the 32-byte data key the content is sealed under

  bool operator==(const DocumentRef&) const = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(hash, size, media_type, name, key);
  }
};

// A validated field value. The alternatives' order is part of the stored
// format: append new alternatives at the end only.
using FieldValue =
    std::variant<std::string, std::int64_t, double, bool, CivilDate,
                 std::vector<std::string>, std::vector<CriterionResult>,
                 std::vector<DocumentRef>>;

struct WorkflowEvent {
  static constexpr std::uint32_t kSchemaVersion = 1;

  std::string action;           // e.g. "nominate"
  std::string definition_name;  // e.g. "exemplar"
  std::uint32_t definition_version = 0;
  std::map<std::string, FieldValue> fields;

  bool operator==(const WorkflowEvent&) const = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(action, definition_name, definition_version, fields);
  }
};

// JSON of one value: strings, numbers and booleans as themselves, a date as
// "YYYY-MM-DD", a string list as an array, criteria results as an array of
// {"criterion", "met", "evidence"} objects, documents as an array of
// {"hash", "size", "media_type", "name"} objects (never the key).
nlohmann::json FieldValueToJson(const FieldValue& value);

// {"action", "definition", "definition_version", "fields": {...}}.
nlohmann::json WorkflowEventToJson(const WorkflowEvent& event);

}  // namespace exemplar
