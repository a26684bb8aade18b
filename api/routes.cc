#include "api/routes.h"

#include "api/action_routes.h"
#include "api/audit_routes.h"
#include "api/auth.h"
#include "api/console_routes.h"
#include "api/document_routes.h"
#include "api/funnel_routes.h"
#include "api/process_metrics.h"
#include "api/query_routes.h"
#include "api/read_scope.h"
#include "api/reference_routes.h"
#include "api/reorganisation_routes.h"
#include "api/store_routes.h"
#include "api/subject_access_routes.h"
#include "events/clock.h"

namespace exemplar::api {
namespace {

// The raw log is for readers of the whole tree (api/read_scope.h); ready
// means every projection is healthy and within `kReadyLagEvents` of the
// head.
StoreRouteOptions StoreOptionsFor(const ApiServices& services) {
  constexpr std::uint64_t kReadyLagEvents = 1000;
  StoreRouteOptions options;
  CommandHandler& handler = services.handler;
  options.personal_data = handler.personal_data();
  options.authorize_log_read = [&handler](const RouteParams& params) {
    auto authority = handler.CurrentAuthority();
    if (!authority.ok()) return authority.status();
    return CheckReadsWholeTree(**authority, params.context.user_id,
                               SystemClockMicros());
  };
  const projections::Projections& projections = services.projections;
  options.readiness = [&projections, relay_detail = services.relay_detail](
                          nlohmann::json& body) {
    if (relay_detail) body["relay"] = relay_detail();
    Status ready;
    nlohmann::json detail = nlohmann::json::array();
    for (const projections::ProjectionStatus& status : projections.statuses()) {
      detail.push_back({{"name", status.name},
                        {"position", status.position},
                        {"lag", status.lag},
                        {"error", status.error}});
      if (ready.ok() && !status.error.empty()) {
        ready = Status::Unavailable("projection " + status.name +
                                    " stopped: " + status.error);
      } else if (ready.ok() && status.lag > kReadyLagEvents) {
        ready =
            Status::Unavailable("projection " + status.name + " is " +
                                std::to_string(status.lag) + " events behind");
      }
    }
    body["projections"] = std::move(detail);
    return ready;
  };
  return options;
}

// Each projection's position and lag, one family each, by projection.
void RegisterProjectionMetrics(Metrics& metrics,
                               const projections::Projections& projections) {
  auto each = [&projections](std::uint64_t projections::ProjectionStatus::*of) {
    return [&projections, of] {
      std::vector<Metrics::LabelledValue> values;
      for (const projections::ProjectionStatus& status :
           projections.statuses()) {
        values.push_back({status.name, static_cast<double>(status.*of)});
      }
      return values;
    };
  };
  metrics.RegisterFamily("exemplar_projection_lag_events", "gauge",
                         "Events a projection has still to fold.", "projection",
                         each(&projections::ProjectionStatus::lag));
  metrics.RegisterFamily("exemplar_projection_position", "gauge",
                         "Position of the last event a projection folded.",
                         "projection",
                         each(&projections::ProjectionStatus::position));
}

}  // namespace

void AddApiRoutes(Router& router, const ApiServices& services) {
  CommandHandler& handler = services.handler;
  router.SetGuard(CallerGuard(
      services.tokens, services.people.sessions(),
      [&handler](const std::string& user, std::int64_t at_us) -> Result<bool> {
        auto authority = handler.CurrentAuthority();
        if (!authority.ok()) return authority.status();
        const UserRecord* record = (*authority)->FindUser(user);
        return record != nullptr && record->ActiveAt(at_us);
      },
      services.people.public_origin()));
  AddPeopleRoutes(router, services.people, services.handler, services.metrics);
  AddStoreRoutes(router, services.store, services.definition,
                 StoreOptionsFor(services));
  // A fresh signature is for readers of the whole trail, as the raw log is.
  AuditRouteOptions audit;
  audit.authorize_fresh = StoreOptionsFor(services).authorize_log_read;
  AddAuditRoutes(router, services.audit, std::move(audit));
  AddCommandRoutes(router, services.handler, services.definition,
                   services.tokens, services.idempotency);
  AddActionRoutes(router, services.handler);
  AddReorganisationRoutes(router, services.store, services.handler,
                          services.projections, services.idempotency);
  AddFunnelRoutes(router, services.handler);
  AddQueryRoutes(router, services.store, services.projections, services.handler,
                 services.queries);
  AddRetentionRoutes(router, services.handler, services.retention);
  AddSubjectAccessRoutes(router, services.store, services.handler);
  AddDocumentRoutes(router, services.documents, services.store,
                    services.handler, services.queries.export_stream);
  AddReferenceRoutes(router, services.definition, services.handler);
  AddSseRoute(router, services.store, services.handler, services.event_streams);
  AddMetricsRoute(router, services.metrics);
  AddOpenApiRoute(router, services.openapi);
  AddConsoleRoutes(router);
  EventStore& store = services.store;
  services.metrics.Register(
      "exemplar_log_head_position", "gauge",
      "Position of the log's last event: every event ever appended.",
      [&store] { return static_cast<double>(store.head().position); });
  EventStreamService& streams = services.event_streams;
  services.metrics.Register(
      "exemplar_event_stream_subscribers", "gauge",
      "Open GET /v1/events/stream connections.",
      [&streams] { return static_cast<double>(streams.subscriber_count()); });
  RegisterProjectionMetrics(services.metrics, services.projections);
  RegisterProcessMetrics(services.metrics);
}

}  // namespace exemplar::api
