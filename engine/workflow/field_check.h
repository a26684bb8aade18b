// Checking a workflow command's fields against its action's field specs:
// types, lengths, ranges, choices, periods, criteria and references to
// users, units, campaigns and award forms that must exist then. Private to
// engine/workflow/.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "events/status.h"
#include "events/workflow_event.h"

namespace exemplar {

using Fields = std::map<std::string, FieldValue>;

// A "validation_failed" rejection naming `field`.
Status Invalid(const std::string& field, const std::string& message);

bool Contains(const std::vector<std::string>& names, const std::string& name);

// Everything a field check needs besides the value.
struct FieldContext {
  const Definition& definition;
  const Authority& authority;
  std::int64_t at_us;  // the command's time: references must hold then
  // False: user, unit and campaign ids are taken as given, for writers that
  // append without the organisation (SampleEventFields, the benches).
  bool check_references = true;
  // Exemplar fields: the unit of each exemplar the command names, as the
  // command handler found it (absent: no such exemplar), and the user who
  // must see it.
  const std::map<std::string, std::string>* exemplar_units = nullptr;
  std::string user_id = {};
  // Documents fields: the documents the command handler claimed for the
  // actor, by hash (absent: none of theirs waits).
  const std::map<std::string, DocumentRef>* documents = nullptr;
};

// The typed fields of `input` (a JSON object, or null for none), or the
// first "validation_failed" rejection naming its field: a member the action
// does not declare, a required field missing, or a value its spec refuses.
Result<Fields> ValidateFields(const ActionSpec& action,
                              const nlohmann::json& input,
                              const FieldContext& ctx);

}  // namespace exemplar
