// The command side of the API: one route per workflow action, derived from
// the definition, and the routes of the organisation (units, users, role
// grants, campaigns) and of API tokens. Handlers translate a request into a
// command for the engine's CommandHandler and its result into a response;
// they decide nothing themselves.
//
//   POST /v1/exemplars                      the creating action (detect);
//                                           body: its fields, plus an
//                                           optional "exemplar_id"
//   POST /v1/exemplars/{id}/{action}        every action; body: its fields
//   POST /v1/units, /v1/units/{id}/{rename|move|close}
//   POST /v1/users, /v1/users/{id}/deactivate
//   POST /v1/users/{id}/grants, /v1/users/{id}/grants/{grant_id}/revoke
//   POST /v1/campaigns, /v1/campaigns/{id}/close
//   POST /v1/users/{id}/tokens, DELETE /v1/tokens/{token_id}
//
// Headers: `If-Match: "<version>"` is the expected stream version (412
// version_conflict with current_version); `Idempotency-Key` makes a retry
// return the first response without appending (409 when reused for another
// request); `X-Acting-Role`/`X-Acting-Unit` pick a grant (see auth.h).
// Success: 201 for a creating command, else 200, with
// {"stream_id", "version", "position", "first_position"} (+ the created id),
// `Location` of the resource and `ETag` of the new version.
#pragma once

#include <cstdint>
#include <functional>

#include "api/idempotency.h"
#include "api/router.h"
#include "api/tokens.h"
#include "engine/workflow/command_handler.h"

namespace exemplar::api {

struct CommandRouteOptions {
  // The time a command is taken at, UTC microseconds. Default: the system
  // clock.
  std::function<std::int64_t()> clock;
};

// Registers the routes above. Every referenced object must outlive the
// router.
void AddCommandRoutes(Router& router, CommandHandler& handler,
                      const Definition& definition, TokenRegistry& tokens,
                      IdempotencyIndex& idempotency,
                      CommandRouteOptions options = {});

}  // namespace exemplar::api
