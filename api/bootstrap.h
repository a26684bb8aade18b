// First start: an installation with an empty log gets a root unit, an admin
// user holding "admin" there, and an API token for that user, so that the
// first request can already be authenticated (there is no anonymous
// bootstrap window).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/tokens.h"
#include "engine/workflow/command_handler.h"

namespace exemplar::api {

// The ids bootstrap creates.
inline constexpr char kRootUnitId[] = "vn";
inline constexpr char kAdminUserId[] = "admin";

// Writes the root unit, the admin user and the admin grant through the
// command handler, stamped `at_us`. The demo founds its organisation so,
// in the past, and issues the admin's token after the history, so that the
// log's times stay in order (a view "as of" a day folds the log's prefix
// recorded by then). Errors: the engine's or the store's.
Status FoundOrganisation(CommandHandler& handler, std::int64_t at_us);

// Records in the log the workflow definition `handler` decides by, as the
// admin at `at_us`, unless the log holds that version already
// (definition_versions.h). kRejected "definition_version_reused" when the
// log holds that version with other content: a changed definition takes a
// new version.
Status RecordWorkflowDefinition(CommandHandler& handler, std::int64_t at_us);

// When the log is empty, writes the root unit, the admin user, the admin
// grant and a token (with `secret` when given, e.g. EXEMPLAR_ADMIN_TOKEN,
// else a random one; it expires kFirstAdminTokenLifetime from now, so the
// admin mints a token of their own meanwhile) through the command handler,
// the organisation stamped `at_us` (0: now) and the token now (or at `at_us`
// if later), and returns the token (`tokens` knows it); nullopt when the log
// was not empty. Errors: kInvalidArgument for a bad `secret`, before
// anything is written; the engine's or the store's.
Result<std::optional<IssuedToken>> BootstrapIfEmpty(
    EventStore& store, CommandHandler& handler, TokenRegistry& tokens,
    const std::string& secret = {}, std::int64_t at_us = 0);

}  // namespace exemplar::api
