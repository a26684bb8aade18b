// System commands: create, rename, move and close units; register and
// deactivate users; grant and revoke roles; launch and close campaigns;
// issue and revoke API tokens.
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
//
// API tokens follow their own rule: a user's tokens are managed by the user
// themself or by an admin over the user's home unit (acting at a unit
// holding it), with no bootstrap exception. A user (or a user's token) out
// of the caller's sight is answered kNotFound, exactly as an unknown one;
// anyone else is refused kPermissionDenied. A token is issued only to an
// active user, under a new valid id, with its secret's SHA-256, expiring 1 to
// 365 days after the command's time. A self-managing user who is no admin
// over their unit is recorded as acting with no role at their home unit.
// The console operator (SystemCommand::console) manages any registered
// user's tokens, active or not (as `exemplar token create` always did).
//
// Sign-in credentials (engine/workflow/credentials.h): a setup code is
// issued by an admin over the user's home unit to an active user, expiring
// within kSetupCodeLifetime; a new code replaces the user's earlier one.
// Setting a password, signing in and out are the person's own commands,
// allowed by credentials.h's rules whoever the command's actor.
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
                 CampaignLaunched, CampaignClosed, TokenIssued, TokenRevoked,
                 SetupCodeIssued, PasswordSet, SignedIn, SignedOut,
                 WorkflowDefinitionRecorded>;

struct SystemCommand {
  SystemAction action;
  Actor actor;
  std::int64_t at_us = 0;  // time of the action, UTC microseconds
  std::string request_id;
  std::string remote_address;  // the client's IP address; empty: no request
  // The operator at the console: `exemplar token` (tools/) holding the data
  // folder while the server is stopped, who answers to no grant. Only
  // tools/ sets it; no request can.
  bool console = false;
};

// The stream the command appends to: "unit-<id>", "user-<id>" (users and
// their grants), "campaign-<id>", "token-<id>" or "credential-<user id>".
std::string SystemStreamId(const SystemCommand& command);

// The events to append, or a rejection (Status kRejected) with one of these
// reasons: "validation_failed" (with the field), "already_exists",
// "unknown_unit", "unknown_user", "unknown_grant", "unknown_campaign",
// "unit_closed", "invalid_unit_level", "unit_cycle", "unit_has_open_children",
// "user_inactive", "already_revoked", "campaign_closed", "unknown_role",
// "unknown_criteria_set", "not_authorised", "not_in_scope",
// "invalid_setup_code", "invalid_credentials"; for tokens also
// kNotFound (an unknown or unseen user or token) and kPermissionDenied (see
// above). A TokenRevoked naming no user_id is completed with the token's.
Result<std::vector<NewEvent>> DecideSystem(const SystemCommand& command,
                                           const Authority& authority,
                                           const Definition& definition);

// A grant as a request states it: an unstated start (0) means from
// `at_us`, so the grant takes effect with its event.
RoleGranted StartingByDefault(RoleGranted grant, std::int64_t at_us);

// Whether `user` may see what belongs to `unit` at `at_us`: they hold a
// grant valid then at `unit` or above it. A command on what the user may not
// see is answered as one on something unknown.
bool SeesUnit(const Authority& authority, const std::string& user,
              const std::string& unit, std::int64_t at_us);

// Whether `actor` may manage (list, issue, revoke) the tokens of user
// `owner` at `at_us`: OK for an admin grant of `actor` over the owner's
// home unit, or for the owner themself; kNotFound when the owner is unknown
// or out of the actor's sight, else kPermissionDenied.
Status MayManageTokens(const Authority& authority, const Actor& actor,
                       const std::string& owner, std::int64_t at_us);

// True when `id` is non-empty, at most 100 bytes, and uses only
// [A-Za-z0-9._:-], so "<kind>-<id>" is a valid stream id.
bool IsValidId(const std::string& id);

}  // namespace exemplar
