// Routes over the event store itself: health, readiness, pages of the log
// and single streams.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "api/router.h"
#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/personal_data.h"

namespace exemplar::api {

struct StoreRouteOptions {
  // Largest page of GET /v1/events and /v1/streams/{id}. Default 1,000.
  size_t max_page_events = 1000;
  // Asked before GET /v1/events and /v1/streams/{id}: a non-OK status
  // refuses the request with it. Default: none (the routes are open to any
  // caller the guard let through).
  std::function<Status(const RouteParams&)> authorize_log_read;
  // Asked by GET /readyz: adds its detail to `body` and returns non-OK when
  // the server is not ready (503). Default: none (ready once serving).
  std::function<Status(nlohmann::json& body)> readiness;
  // Opens the personal values in `data` for those the log is open to (the
  // whole tree's readers). Default: none, they are withheld.
  const PersonalData* personal_data = nullptr;
};

// GET /healthz, GET /readyz, GET /v1/events, GET /v1/streams/{id}. Events
// carry their fields as `data`, read with `definition`
// (engine/workflow/event_data.h). `store` and `definition` must outlive the
// router.
void AddStoreRoutes(Router& router, EventStore& store,
                    const Definition& definition,
                    StoreRouteOptions options = {});

}  // namespace exemplar::api
