#include "api/audit_routes.h"

#include <memory>
#include <mutex>
#include <optional>

#include "api/query.h"
#include "engine/audit/audit_json.h"

namespace exemplar::api {
namespace {

// The rate of heads signed on demand, over every caller.
class FreshSigning {
 public:
  explicit FreshSigning(std::chrono::milliseconds interval)
      : interval_(interval) {}

  // True (and the interval starts again) when no fresh head was signed
  // within the interval.
  bool TryStart() {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (last_ && now - *last_ < interval_) return false;
    last_ = now;
    return true;
  }

 private:
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::optional<std::chrono::steady_clock::time_point> last_;  // guarded
};

}  // namespace

void AddAuditRoutes(Router& router, audit::AuditLog& log,
                    AuditRouteOptions options) {
  auto signing = std::make_shared<FreshSigning>(options.min_fresh_interval);
  router.Add(http::verb::get, "/v1/audit/head",
             [&log, signing, authorize = options.authorize_fresh](
                 const Request& request, const RouteParams& params) {
               bool force = params.query.count("fresh") > 0;
               if (force && authorize) {
                 if (Status may = authorize(params); !may.ok()) {
                   return ProblemFromStatus(request, may);
                 }
               }
               // Over the rate, the latest head: as fresh as the rate
               // allows, and a client polling fresh heads keeps working.
               if (force) force = signing->TryStart();
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
               auto proof = log.tree().Inclusion(*position, *size);
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
               auto proof = log.tree().Consistency(*from, *to);
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
