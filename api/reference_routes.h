// What a client needs to build a valid command, read-only:
//
//   GET /v1/workflow            the definition's public part: states, roles,
//                               actions with their fields, rules, criteria
//                               sets, award forms, quotas, deadlines
//   GET /v1/criteria-sets       the definition's criteria sets
//   GET /v1/campaigns           the campaigns that concern the caller
//   GET /v1/campaigns/{id}      one, with its criteria set's criteria and
//                               conditions (the ids an appraisal names)
//
// Read as every read is (read_scope.h): a caller holding no grant valid
// now gets 403 `forbidden`. A campaign concerns a reader when its
// launching unit lies in the reader's scope or above a unit where they hold
// a grant (its criteria then apply to exemplars they see), in the unit tree
// as it is now; any other answers 404 as an unknown one. Campaigns are read
// as the log stands now, immediately after the command that launched or
// closed one; the definition does not change while the server runs.
#pragma once

#include "api/router.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"

namespace exemplar::api {

// Registers the routes above. `definition` and `handler` (for the current
// authority) must outlive the router.
void AddReferenceRoutes(Router& router, const Definition& definition,
                        CommandHandler& handler);

}  // namespace exemplar::api
