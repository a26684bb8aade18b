// /v1/audit/head in process: who may have a head signed on demand, and how
// often one is.
#include "api/audit_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

class AuditRoutesTest : public ::testing::Test {
 protected:
  AuditRoutesTest() {
    store_ = std::move(EventStore::Open(dir_.str())).value();
    log_ =
        std::move(audit::AuditLog::Open(
                      store_.get(),
                      std::move(audit::HeadSigner::Open(dir_.str())).value()))
            .value();
  }

  void Append() {
    AppendRequest request;
    request.stream_id = "exemplar-1";
    NewEvent event;
    event.type = "recorded";
    event.payload = "p";
    request.events.push_back(std::move(event));
    ASSERT_TRUE(store_->Append(std::move(request)).ok());
  }

  // GET `target` as `user`; the status and the body.
  std::pair<int, nlohmann::json> Get(const Router& router,
                                     const std::string& target,
                                     const std::string& user = "auditor") {
    Request request(http::verb::get, target, 11);
    RequestContext context;
    context.user_id = user;
    Router::Matched matched = router.Match(request, context);
    matched.params.context.user_id = user;  // no guard: as if it let through
    std::optional<Reply> reply;
    router.Run(request, &matched, [&](Reply r) { reply = std::move(r); });
    EXPECT_TRUE(reply.has_value());
    return {static_cast<int>(reply->response.result()),
            nlohmann::json::parse(reply->response.body())};
  }

  testing::TempDir dir_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<audit::AuditLog> log_;
};

TEST_F(AuditRoutesTest, OnlyAuthorisedReadersHaveAFreshHeadSigned) {
  Router router;
  AuditRouteOptions options;
  options.authorize_fresh = [](const RouteParams& params) {
    return params.context.user_id == "auditor"
               ? Status::Ok()
               : Status::PermissionDenied("not a reader of the whole log");
  };
  AddAuditRoutes(router, *log_, options);
  Append();
  auto [status, body] = Get(router, "/v1/audit/head?fresh=1", "reporter");
  EXPECT_EQ(status, 403);
  EXPECT_EQ(body["type"], "forbidden");
  EXPECT_EQ(Get(router, "/v1/audit/head", "reporter").first, 200);
  auto [signed_status, head] = Get(router, "/v1/audit/head?fresh=1");
  EXPECT_EQ(signed_status, 200);
  EXPECT_EQ(head["tree_size"], 1);
}

TEST_F(AuditRoutesTest, FreshHeadsAreSignedAtMostOncePerInterval) {
  Router router;
  AuditRouteOptions options;
  options.min_fresh_interval = std::chrono::hours(1);
  AddAuditRoutes(router, *log_, options);
  Append();
  auto first = Get(router, "/v1/audit/head?fresh=1").second;
  EXPECT_EQ(first["tree_size"], 1);
  Append();
  // Within the interval: the latest head, not a new signature.
  auto second = Get(router, "/v1/audit/head?fresh=1").second;
  EXPECT_EQ(second, first);

  Router unlimited;
  options.min_fresh_interval = std::chrono::milliseconds(0);
  AddAuditRoutes(unlimited, *log_, options);
  EXPECT_EQ(Get(unlimited, "/v1/audit/head?fresh=1").second["tree_size"], 2);
}

}  // namespace
}  // namespace exemplar::api
