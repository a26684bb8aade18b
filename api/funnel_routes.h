// The commands of the annual registration funnel and of the propagation
// assessment (engine/workflow/funnel.h):
//
//   POST /v1/registrations               {unit_id, year, exemplar_ids, note?}
//                                        a unit registers its list
//   POST /v1/selections                  {unit_id, year, exemplar_ids, note?}
//                                        the level above selects from its
//                                        children's lists
//   POST /v1/registrations/{id}/submit   {recipient_unit_id}: the selected
//                                        list "<year>-<unit>" goes on
//   POST /v1/propagation-assessments     {unit_id, period, score, comment?}
//
// A unit the caller may not see is answered as an unknown one (404
// unknown_unit); the acting grant is chosen as for every command
// (X-Acting-Role/-Unit, auth.h) among the roles the definition gives the
// step. Success: 201 with {"registration_id" or "assessment_id",
// "stream_id", "position", "late"?}. The reports are query routes
// (query_routes.h): GET /v1/reports/registrations, /v1/reports/propagation.
#pragma once

#include "api/router.h"
#include "engine/workflow/command_handler.h"

namespace exemplar::api {

// Registers the routes above; `handler` must outlive the router.
void AddFunnelRoutes(Router& router, CommandHandler& handler);

}  // namespace exemplar::api
