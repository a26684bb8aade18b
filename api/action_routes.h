// What the caller may do now, asked before acting, so that a client (the
// console) offers exactly the actions the engine would take and says why
// not for the others:
//
//   GET /v1/exemplars/{id}/actions   {"exemplar_id", "state", "actions"}:
//                                    every action of the definition that
//                                    does not create an exemplar
//   GET /v1/actions                  {"actions"}: the actions that create
//                                    one (detect)
//
// Each action: {"action", "vi", "en", "allowed", "refusal" (when not
// allowed: {"code", "field", "vi", "en", "detail"}), "fields"} with the
// typed form of its fields (workflow_json.h, FieldToJson). The decision is
// the engine's (CheckActionOpen, engine/workflow/decide.h): the acting
// grant is resolved per action as for the command (auth.h, ResolveActor,
// X-Acting-Role and X-Acting-Unit honoured), and a refusal is the code the
// command would answer with before its fields are judged. The texts are
// the rule's (the definition) or the refusal catalogue's
// (events/refusal_texts.h). An exemplar the caller may not see is 404
// exemplar_not_found, as an unknown one.
#pragma once

#include <cstdint>
#include <functional>

#include "api/router.h"
#include "engine/workflow/command_handler.h"

namespace exemplar::api {

struct ActionRouteOptions {
  // The time the actions are judged at, UTC microseconds. Default: the
  // system clock.
  std::function<std::int64_t()> clock;
};

// Registers the routes above. `handler` must outlive the router.
void AddActionRoutes(Router& router, CommandHandler& handler,
                     ActionRouteOptions options = {});

}  // namespace exemplar::api
