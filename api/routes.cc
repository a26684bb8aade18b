#include "api/routes.h"

#include "api/audit_routes.h"
#include "api/auth.h"
#include "api/store_routes.h"

namespace exemplar::api {

void AddApiRoutes(Router& router, const ApiServices& services) {
  router.SetGuard(BearerGuard(services.tokens));
  AddStoreRoutes(router, services.store);
  AddAuditRoutes(router, services.audit);
  AddCommandRoutes(router, services.handler, services.definition,
                   services.tokens, services.idempotency);
  AddMetricsRoute(router, services.metrics);
  AddOpenApiRoute(router, services.openapi);
  EventStore& store = services.store;
  services.metrics.Register(
      "exemplar_log_head_position", "counter",
      "Events appended to the log in all (the head's position).",
      [&store] { return static_cast<double>(store.head().position); });
}

}  // namespace exemplar::api
