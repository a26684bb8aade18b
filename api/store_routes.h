// Routes over the event store itself: health, readiness, pages of the log
// and single streams.
#pragma once

#include "api/router.h"
#include "engine/event_store.h"

namespace exemplar::api {

struct StoreRouteOptions {
  // Largest page of GET /v1/events and /v1/streams/{id}. Default 1,000.
  size_t max_page_events = 1000;
};

// GET /healthz, GET /readyz, GET /v1/events, GET /v1/streams/{id}.
void AddStoreRoutes(Router& router, EventStore& store,
                    StoreRouteOptions options = {});

}  // namespace exemplar::api
