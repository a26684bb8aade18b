#include "api/audit_routes.h"

#include "api/query.h"
#include "engine/audit/audit_json.h"

namespace exemplar::api {

void AddAuditRoutes(Router& router, audit::AuditLog& log) {
  router.Add(http::verb::get, "/v1/audit/head",
             [&log](const Request& request, const RouteParams& params) {
               bool force = params.query.count("fresh") > 0;
               auto head = log.Head(force);
               if (!head.ok()) return ProblemFromStatus(request, head.status());
               return JsonResponse(request, http::status::ok,
                                   audit::ToJson(*head));
             });
  router.Add(http::verb::get, "/v1/audit/proof/inclusion",
             [&log](const Request& request, const RouteParams& params) {
               auto position = RequiredNumber(params, "position");
               if (!position.ok())
                 return ProblemFromStatus(request, position.status());
               auto size = RequiredNumber(params, "tree_size");
               if (!size.ok()) return ProblemFromStatus(request, size.status());
               auto proof = log.Inclusion(*position, *size);
               if (!proof.ok())
                 return ProblemFromStatus(request, proof.status());
               return JsonResponse(request, http::status::ok,
                                   audit::ToJson(*proof));
             });
  router.Add(http::verb::get, "/v1/audit/proof/consistency",
             [&log](const Request& request, const RouteParams& params) {
               auto from = RequiredNumber(params, "from");
               if (!from.ok()) return ProblemFromStatus(request, from.status());
               auto to = RequiredNumber(params, "to");
               if (!to.ok()) return ProblemFromStatus(request, to.status());
               auto proof = log.Consistency(*from, *to);
               if (!proof.ok())
                 return ProblemFromStatus(request, proof.status());
               return JsonResponse(request, http::status::ok,
                                   audit::ToJson(*proof));
             });
  router.Add(http::verb::get, "/v1/audit/public-key",
             [&log](const Request& request, const RouteParams&) {
               return JsonResponse(request, http::status::ok,
                                   {{"algorithm", "Ed25519"},
                                    {"pem", log.signer().PublicKeyPem()},
                                    {"hex", log.signer().PublicKeyHex()}});
             });
}

}  // namespace exemplar::api
