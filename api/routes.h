// Every route of the API in one place, so `serve` and the OpenAPI test
// register exactly the same set.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "api/command_routes.h"
#include "api/idempotency.h"
#include "api/metrics.h"
#include "api/openapi.h"
#include "api/people_routes.h"
#include "api/query_routes.h"
#include "api/retention_proposals.h"
#include "api/router.h"
#include "api/sse.h"
#include "api/tokens.h"
#include "documents/document_store.h"
#include "engine/audit/audit_log.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "projections/projections.h"

namespace exemplar::api {

// What the routes use; everything must outlive the router.
struct ApiServices {
  EventStore& store;
  audit::AuditLog& audit;
  CommandHandler& handler;
  const Definition& definition;
  TokenRegistry& tokens;
  IdempotencyIndex& idempotency;
  Metrics& metrics;
  const OpenApi& openapi;
  const projections::Projections& projections;
  EventStreamService& event_streams;
  People& people;
  RetentionProposals& retention;
  documents::DocumentStore& documents;
  // Detail of the NATS relay for /readyz (it never makes the server
  // unready: the relay is not in the command path). Default: no relay.
  std::function<nlohmann::json()> relay_detail = nullptr;
  QueryRouteOptions queries = {};
};

// Installs the guard (bearer tokens and session cookies, api/auth.h) and
// adds every route; registers with
// `services.metrics` the gauges of the store (log head), the projections
// (position and lag, labelled by projection), the event stream
// (subscribers) and the process (api/process_metrics.h).
void AddApiRoutes(Router& router, const ApiServices& services);

}  // namespace exemplar::api
