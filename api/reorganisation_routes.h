// The routes of the reorganisations of units (engine/workflow/
// reorganisation.h): the three commands, the list and one reorganisation
// with the progress of its carry-over, and the carry-over itself.
//
//   POST /v1/reorganisations/merge          {reorganisation_id?, units,
//                                            into: {unit_id, name?, level?,
//                                            parent_id?}, legal_basis,
//                                            effective_date?}
//   POST /v1/reorganisations/split          {reorganisation_id?, unit_id,
//                                            into: [{unit_id, name?, ...}],
//                                            assignments?, default_successor?,
//                                            legal_basis, effective_date?}
//   POST /v1/reorganisations/dissolve-level {reorganisation_id?, parent_id,
//                                            level, legal_basis,
//                                            effective_date?}
//   GET  /v1/reorganisations, /v1/reorganisations/{id}
//   POST /v1/reorganisations/{id}/carry-over
//
// A reorganising command takes an `Idempotency-Key`: a retry with the same
// key and body answers as the first did (Idempotent-Replayed: true), the
// same key with another body 409 idempotency_key_reused. Without a
// `reorganisation_id`, one is derived from the caller and the key, so the
// retry finds the first.
//
// A reorganising command answers 201 once its event is durable and its
// carry-over has run: every exemplar still in a unit it ended moves to its
// successor (exemplar_transferred on the exemplar's stream). The
// carry-over route runs it again for what is still pending (idempotent).
// To find the exemplars of an ended unit it asks the projections, after
// waiting for them to reach the reorganisation, and checks each against
// the exemplar's own stream.
#pragma once

#include <cstdint>
#include <functional>

#include "api/idempotency.h"
#include "api/router.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "projections/projections.h"

namespace exemplar::api {

struct ReorganisationRouteOptions {
  // The time a command is taken at, UTC microseconds. Default: the system
  // clock.
  std::function<std::int64_t()> clock;
};

// Registers the routes above. Every referenced object must outlive the
// router.
void AddReorganisationRoutes(Router& router, const EventStore& store,
                             CommandHandler& handler,
                             const projections::Projections& projections,
                             IdempotencyIndex& idempotency,
                             ReorganisationRouteOptions options = {});

}  // namespace exemplar::api
