#include "api/reference_routes.h"

#include <memory>

#include "api/read_scope.h"
#include "api/workflow_json.h"
#include "events/clock.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

class ReferenceRoutes {
 public:
  ReferenceRoutes(const Definition& definition, CommandHandler& handler)
      : definition_(definition),
        handler_(handler),
        workflow_(WorkflowToJson(definition)) {}

  Response Workflow(const Request& request, const RouteParams& params) const;
  Response CriteriaSets(const Request& request,
                        const RouteParams& params) const;
  Response Campaigns(const Request& request, const RouteParams& params) const;
  Response Campaign(const Request& request, const RouteParams& params) const;

 private:
  // The campaigns that concern the caller at `now_us`, or kPermissionDenied
  // for a caller without a grant.
  struct Reader {
    std::shared_ptr<const Authority> authority;
    std::vector<std::string> units;  // of the caller's grants
    std::int64_t now_us = 0;

    bool Concerns(const CampaignRecord& campaign) const;
  };
  Result<Reader> ReaderOf(const RouteParams& params) const;

  const Definition& definition_;
  CommandHandler& handler_;
  const json workflow_;  // rendered once: the definition never changes
};

bool ReferenceRoutes::Reader::Concerns(const CampaignRecord& campaign) const {
  for (const std::string& unit : units) {
    if (authority->IsWithin(campaign.unit_id, unit, now_us) ||
        authority->IsWithin(unit, campaign.unit_id, now_us)) {
      return true;
    }
  }
  return false;
}

Result<ReferenceRoutes::Reader> ReferenceRoutes::ReaderOf(
    const RouteParams& params) const {
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return authority.status();
  const std::int64_t now = SystemClockMicros();
  auto units = ReadableUnits(**authority, params.context.user_id, now);
  if (!units.ok()) return units.status();
  return Reader{std::move(*authority), std::move(*units), now};
}

Response ReferenceRoutes::Workflow(const Request& request,
                                   const RouteParams& params) const {
  if (auto reader = ReaderOf(params); !reader.ok()) {
    return ProblemFromStatus(request, reader.status());
  }
  return JsonResponse(request, http::status::ok, workflow_);
}

Response ReferenceRoutes::CriteriaSets(const Request& request,
                                       const RouteParams& params) const {
  if (auto reader = ReaderOf(params); !reader.ok()) {
    return ProblemFromStatus(request, reader.status());
  }
  return JsonResponse(request, http::status::ok,
                      {{"criteria_sets", workflow_["criteria_sets"]}});
}

Response ReferenceRoutes::Campaigns(const Request& request,
                                    const RouteParams& params) const {
  auto reader = ReaderOf(params);
  if (!reader.ok()) return ProblemFromStatus(request, reader.status());
  json list = json::array();
  for (const auto& [id, campaign] : reader->authority->campaigns()) {
    if (reader->Concerns(campaign)) {
      list.push_back(CampaignToJson(
          campaign, reader->now_us, definition_.utc_offset_minutes,
          definition_.FindDecidingBody(campaign.deciding_body)));
    }
  }
  return JsonResponse(request, http::status::ok, {{"campaigns", list}});
}

Response ReferenceRoutes::Campaign(const Request& request,
                                   const RouteParams& params) const {
  auto reader = ReaderOf(params);
  if (!reader.ok()) return ProblemFromStatus(request, reader.status());
  const std::string& id = params.path.at("id");
  const CampaignRecord* campaign = reader->authority->FindCampaign(id);
  if (campaign == nullptr || !reader->Concerns(*campaign)) {
    return Problem(request, http::status::not_found, "not_found",
                   "no campaign " + id);
  }
  json body =
      CampaignToJson(*campaign, reader->now_us, definition_.utc_offset_minutes,
                     definition_.FindDecidingBody(campaign->deciding_body));
  if (const CriteriaSet* set =
          definition_.FindCriteriaSet(campaign->criteria_set)) {
    const json detail = CriteriaSetToJson(*set);
    body["criteria"] = detail["criteria"];
    body["conditions"] = detail["conditions"];
  }
  return JsonResponse(request, http::status::ok, body);
}

}  // namespace

void AddReferenceRoutes(Router& router, const Definition& definition,
                        CommandHandler& handler) {
  auto routes = std::make_shared<const ReferenceRoutes>(definition, handler);
  auto bind = [routes](auto method) {
    return [routes, method](const Request& request, const RouteParams& params) {
      return Reply(((*routes).*method)(request, params));
    };
  };
  // Each reads memory only: answered on the I/O thread.
  RouteOptions quick;
  quick.quick = [](const Request&, const RouteParams&) { return true; };
  router.Add(http::verb::get, "/v1/workflow", bind(&ReferenceRoutes::Workflow),
             quick);
  router.Add(http::verb::get, "/v1/criteria-sets",
             bind(&ReferenceRoutes::CriteriaSets), quick);
  router.Add(http::verb::get, "/v1/campaigns",
             bind(&ReferenceRoutes::Campaigns), quick);
  router.Add(http::verb::get, "/v1/campaigns/{id}",
             bind(&ReferenceRoutes::Campaign), quick);
}

}  // namespace exemplar::api
