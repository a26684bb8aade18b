// The read side of the API: the projections' queries over HTTP.
//
//   GET /v1/exemplars                    list: filters, search, cursor pages
//   GET /v1/exemplars/{id}               one exemplar, everything current;
//                                        its stream version as `version`
//                                        and ETag (what If-Match takes);
//                                        If-None-Match: 304 when current
//   GET /v1/exemplars/{id}/history       the events of its stream
//   GET /v1/ledger                       who approved what
//   GET /v1/reports/quotas               per unit and year
//   GET /v1/reports/deadlines            per quarter
//   GET /v1/reports/follow-up            what needs attention
//   GET /v1/units                        the unit tree
//   GET /v1/users                        users and their grants
//
// Every query accepts `as_of` (RFC 3339 time, or a date: the start of that
// day), `as_of_day` (a date: the end of that local day) or `as_of_position`
// for time travel, and `min_position` to wait (bounded) until the
// projections have reached a command's position (read your writes; 503
// `not_caught_up` when they do not in time). Lists, the ledger and the
// reports answer `Accept: text/csv` with CSV (UTF-8 with BOM) and
// `Accept: application/x-ndjson` with JSON Lines; an export of the list or
// the ledger holds every row the filters select, streamed a page at a time
// in a chunked body (export_stream.h). The caller's scope is checked before
// any wait, and a caller already holding its share of waiting queries or
// exports gets 429 `too_many_requests` with `Retry-After`.
//
// `unit` selects by the exemplar's unit, its subtree included, on every
// route: the list, the ledger (a decision belongs to its exemplar's unit,
// whoever decided), and the quota, deadline and follow-up reports (the
// units of the subtree, counting the exemplars within it).
//
// Reading is scoped: a user sees what lies in the subtrees of the units
// where they hold a grant valid now (an auditor or integrator is granted at
// the root to see everything); a user without any grant is refused (403
// `forbidden`).
#pragma once

#include <chrono>
#include <cstddef>

#include "api/export_stream.h"
#include "api/router.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "projections/projections.h"

namespace exemplar::api {

struct QueryRouteOptions {
  // Longest a `min_position` query waits. Default 5 s.
  std::chrono::milliseconds max_wait{5000};
  // Queries that may be waiting for `min_position` at once: per user, per
  // token, and over everyone (a waiting query holds a handler thread, so
  // the total stays well below handler_threads). Beyond that 429. Defaults
  // 4, 2 and 32; 0: no limit.
  std::size_t max_waits_per_user = 4;
  std::size_t max_waits_per_token = 2;
  std::size_t max_waits = 32;
  // Exports of the list or the ledger being streamed at once: per user,
  // per token, and over everyone (each holds a handler thread while it
  // streams). Beyond that 429. Defaults 2, 2 and 8; 0: no limit.
  std::size_t max_exports_per_user = 2;
  std::size_t max_exports_per_token = 2;
  std::size_t max_exports = 8;
  ExportStreamOptions export_stream;
  // Rendered exemplar views kept to answer the same view again while the
  // log and the projections stand still, in bytes of JSON. Default 32 MiB.
  std::size_t view_cache_bytes = 32 << 20;
};

// Registers the routes above. `store` (for its head, which dates cached
// views), `projections` and `handler` (for the current authority, to scope
// reads) must outlive the router.
void AddQueryRoutes(Router& router, const EventStore& store,
                    const projections::Projections& projections,
                    CommandHandler& handler, QueryRouteOptions options = {});

}  // namespace exemplar::api
