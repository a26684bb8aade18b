// GET /v1/events/stream as a route: what a request asks for, and the
// authority it reads under. The stream itself is the pump's (sse.cc).
#include <algorithm>

#include "api/query.h"
#include "api/read_scope.h"
#include "api/sse.h"
#include "events/clock.h"

namespace exemplar::api {

Result<StreamRequest> ParseStreamRequest(const Request& request,
                                         const RouteParams& params,
                                         std::uint64_t head) {
  StreamRequest what;
  if (auto header = request.find("Last-Event-ID"); header != request.end()) {
    auto last_seen = ParseNumber(
        std::string_view(header->value().data(), header->value().size()),
        "Last-Event-ID", 0, kMaxQueryNumber);
    if (!last_seen.ok()) return last_seen.status();
    what.from_position = *last_seen + 1;
  } else {
    auto from = QueryNumber(params, "from", head + 1);
    if (!from.ok()) return from.status();
    what.from_position = std::max<std::uint64_t>(*from, 1);
  }
  what.types = QueryList(params, "types");
  if (auto it = params.query.find("stream"); it != params.query.end()) {
    what.stream_prefix = it->second;
  }
  if (auto it = params.query.find("unit"); it != params.query.end()) {
    if (it->second.empty()) {
      return Status::InvalidArgument("unit must name a unit", "unit");
    }
    what.units = {it->second};
  }
  return what;
}

namespace {

// The authority `user` reads under now: the grants valid now and when the
// first of them runs out, and the token's expiry.
StreamAuthority AuthorityOf(const Authority& authority,
                            const RequestContext& context, std::int64_t now) {
  StreamAuthority held{context.user_id,
                       context.token_id,
                       {},
                       {},
                       context.token_expires_at_us,
                       0};
  for (const GrantRecord* grant : authority.GrantsOf(context.user_id, now)) {
    held.grant_ids.push_back(grant->id);
    held.grant_units.push_back(grant->unit_id);
    if (grant->valid_to_us != 0 &&
        (held.grants_valid_until_us == 0 ||
         grant->valid_to_us < held.grants_valid_until_us)) {
      held.grants_valid_until_us = grant->valid_to_us;
    }
  }
  return held;
}

}  // namespace

void AddSseRoute(Router& router, EventStore& store, CommandHandler& handler,
                 EventStreamService& service) {
  router.Add(http::verb::get, "/v1/events/stream",
             [&store, &handler, &service](const Request& request,
                                          const RouteParams& params) -> Reply {
               auto what =
                   ParseStreamRequest(request, params, store.head().position);
               if (!what.ok()) return ProblemFromStatus(request, what.status());
               // No user means no guard is installed (in-process tests,
               // benches): then the route is open, as every route is
               // (router.h).
               if (!params.context.user_id.empty()) {
                 auto snapshot = handler.CurrentAuthority();
                 if (!snapshot.ok()) {
                   return ProblemFromStatus(request, snapshot.status());
                 }
                 const Authority& authority = **snapshot;
                 const std::string& user = params.context.user_id;
                 const std::int64_t now = SystemClockMicros();
                 // A reader of the whole tree also sees events that belong
                 // to no unit; everyone else sees their subtrees only.
                 if (!CheckReadsWholeTree(authority, user, now).ok()) {
                   auto units = ReadableUnits(authority, user, now);
                   if (!units.ok()) {
                     return ProblemFromStatus(request, units.status());
                   }
                   what->read_scope = std::move(*units);
                 }
                 what->authority = AuthorityOf(authority, params.context, now);
               }
               return service.Open(request, std::move(*what));
             });
}

}  // namespace exemplar::api
