#include "api/store_routes.h"

#include "api/query.h"
#include "engine/workflow/event_data.h"

namespace exemplar::api {
namespace {

nlohmann::json EventsJson(const Definition& definition,
                          const std::vector<EventRecord>& events,
                          const PersonalData* personal) {
  nlohmann::json list = nlohmann::json::array();
  for (const EventRecord& event : events) {
    list.push_back(EventToJsonWithData(definition, event, personal));
  }
  return list;
}

Status MayReadLog(const StoreRouteOptions& options, const RouteParams& params) {
  return options.authorize_log_read ? options.authorize_log_read(params)
                                    : Status::Ok();
}

}  // namespace

void AddStoreRoutes(Router& router, EventStore& store,
                    const Definition& definition, StoreRouteOptions options) {
  // Answered on the I/O thread: alive even when every handler is busy.
  RouteOptions liveness(Access::kPublic);
  liveness.quick = [](const Request&, const RouteParams&) { return true; };
  router.Add(
      http::verb::get, "/healthz",
      [](const Request& request, const RouteParams&) {
        return JsonResponse(request, http::status::ok, {{"status", "ok"}});
      },
      liveness);
  router.Add(
      http::verb::get, "/readyz",
      [&store, options](const Request& request, const RouteParams&) {
        Head head = store.head();
        nlohmann::json body = {{"status", "ready"},
                               {"head_position", head.position},
                               {"head_hash", ToHex(head.hash)}};
        if (options.readiness) {
          if (Status ready = options.readiness(body); !ready.ok()) {
            body["status"] = "not_ready";
            body["detail"] = ready.message();
            return JsonResponse(request, http::status::service_unavailable,
                                body);
          }
        }
        return JsonResponse(request, http::status::ok, body);
      },
      Access::kPublic);
  router.Add(
      http::verb::get, "/v1/events",
      [&store, &definition, options](const Request& request,
                                     const RouteParams& params) {
        if (Status allowed = MayReadLog(options, params); !allowed.ok()) {
          return ProblemFromStatus(request, allowed);
        }
        auto from = QueryNumber(params, "from", 1);
        if (!from.ok()) return ProblemFromStatus(request, from.status());
        auto limit = QueryNumber(params, "limit", 100);
        if (!limit.ok()) return ProblemFromStatus(request, limit.status());
        EventFilter filter;
        filter.types = QueryList(params, "types");
        if (auto it = params.query.find("stream"); it != params.query.end()) {
          filter.stream_prefix = it->second;
        }
        size_t count = std::min<std::uint64_t>(*limit, options.max_page_events);
        auto page = store.ReadAll(*from, count, filter);
        if (!page.ok()) return ProblemFromStatus(request, page.status());
        return JsonResponse(request, http::status::ok,
                            {{"events", EventsJson(definition, page->events,
                                                   options.personal_data)},
                             {"next", page->next_position},
                             {"head", store.head().position}});
      });
  router.Add(
      http::verb::get, "/v1/streams/{id}",
      [&store, &definition, options](const Request& request,
                                     const RouteParams& params) {
        if (Status allowed = MayReadLog(options, params); !allowed.ok()) {
          return ProblemFromStatus(request, allowed);
        }
        const std::string& id = params.path.at("id");
        auto from = QueryNumber(params, "from_version", 0);
        if (!from.ok()) return ProblemFromStatus(request, from.status());
        auto limit = QueryNumber(params, "limit", options.max_page_events);
        if (!limit.ok()) return ProblemFromStatus(request, limit.status());
        size_t count = std::min<std::uint64_t>(*limit, options.max_page_events);
        auto events = store.ReadStream(id, *from, Direction::kForward, count);
        if (!events.ok()) return ProblemFromStatus(request, events.status());
        if (events->empty() && *from == 0) {
          return Problem(request, http::status::not_found, "not_found",
                         "no stream " + id);
        }
        return JsonResponse(request, http::status::ok,
                            {{"stream_id", id},
                             {"events", EventsJson(definition, *events,
                                                   options.personal_data)}});
      });
}

}  // namespace exemplar::api
