// System commands: create, rename, move and close units; register and
// deactivate users; grant and revoke roles; launch and close campaigns.
// Each command is the system event it proposes; DecideSystem validates it
// against the Authority read model and the definition and, when it is
// allowed, returns that event. Pure: no clock, no I/O.
//
// Who may: a user holding "admin" at the command's unit or an ancestor of it
// (for a grant, the granted unit; for a user, their home unit; for a
// campaign, its unit). Bootstrap: until the first "admin" grant exists, any
// actor may issue system commands, so an installation can be set up.
// Who may is settled first: a user holding "admin" nowhere is refused
// (not_authorised) before any target is looked up, and a unit, user, grant
// or campaign the admin may not see (SeesUnit) is answered as an unknown one
// (unknown_unit, unknown_user, ...), before its state or the fields.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/stream_ids.h"
#include "events/envelope.h"
#include "events/system_events.h"

namespace exemplar {

using SystemAction =
    std::variant<UnitCreated, UnitRenamed, UnitMoved, UnitClosed,
                 UserRegistered, UserDeactivated, RoleGranted, RoleRevoked,
                 CampaignLaunched, CampaignClosed>;

struct SystemCommand {
  SystemAction action;
  Actor actor;
  std::int64_t at_us = 0;  // time of the action, UTC microseconds
  std::string request_id;
  std::string remote_address;  // the client's IP address; empty: no request
};

// The stream the command appends to: "unit-<id>", "user-<id>" (users and
// their grants) or "campaign-<id>".
std::string SystemStreamId(const SystemCommand& command);

// The events to append, or a rejection (Status kRejected) with one of these
// reasons: "validation_failed" (with the field), "already_exists",
// "unknown_unit", "unknown_user", "unknown_grant", "unknown_campaign",
// "unit_closed", "invalid_unit_level", "unit_cycle", "unit_has_open_children",
// "user_inactive", "already_revoked", "campaign_closed", "unknown_role",
// "unknown_criteria_set", "not_authorised", "not_in_scope".
Result<std::vector<NewEvent>> DecideSystem(const SystemCommand& command,
                                           const Authority& authority,
                                           const Definition& definition);

// Whether `user` may see what belongs to `unit` at `at_us`: they hold a
// grant valid then at `unit` or above it. A command on what the user may not
// see is answered as one on something unknown.
bool SeesUnit(const Authority& authority, const std::string& user,
              const std::string& unit, std::int64_t at_us);

// True when `id` is non-empty, at most 100 bytes, and uses only
// [A-Za-z0-9._:-], so "<kind>-<id>" is a valid stream id.
bool IsValidId(const std::string& id);

}  // namespace exemplar
