// The command side of the API against the real binary: authentication,
// workflow and organisation commands, If-Match, Idempotency-Key, problem
// responses, and that bad input changes nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/api_test_world.h"
#include "tests/support/opaque_id.h"

namespace exemplar {
namespace {

const std::string kLan = testing::OpaqueId("lan");

using boost::beast::http::verb;
using nlohmann::json;
using testing::ApiWorld;
using testing::DetectFields;
using testing::HttpReply;

json Body(const HttpReply& reply) { return json::parse(reply.body); }

json With(json body, const std::string& name, const std::string& value) {
  body[name] = value;
  return body;
}

TEST(ApiAuthTest, MissingWrongAndRevokedTokensAreUnauthenticated) {
  ApiWorld world;
  auto& server = world.server();
  HttpReply missing = server.RequestWith(verb::get, "/v1/events", {});
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  EXPECT_EQ(Body(missing)["type"], "unauthenticated");
  EXPECT_EQ(missing.headers["WWW-Authenticate"], "Bearer");

  HttpReply wrong = server.RequestWith(
      verb::get, "/v1/events", {{"Authorization", "Bearer not-a-token"}});
  EXPECT_EQ(wrong.status, 401);
  HttpReply basic = server.RequestWith(verb::get, "/v1/events",
                                       {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic.status, 401);

  HttpReply issued = server.Request(verb::post, "/v1/users/reporter/tokens");
  ASSERT_EQ(issued.status, 201) << issued.body;
  std::string token = Body(issued)["token"];
  std::string token_id = Body(issued)["token_id"];
  testing::Headers bearer = {{"Authorization", "Bearer " + token}};
  EXPECT_EQ(server.RequestWith(verb::get, "/v1/exemplars", bearer).status, 200);

  HttpReply revoked =
      server.RequestWith(verb::delete_, "/v1/tokens/" + token_id, bearer);
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(server.RequestWith(verb::get, "/v1/exemplars", bearer).status, 401);
  EXPECT_EQ(server.Request(verb::delete_, "/v1/tokens/" + token_id).status,
            422);
  EXPECT_EQ(server.Request(verb::delete_, "/v1/tokens/tok-unknown").status,
            404);

  // Health, readiness and the API description need no token.
  EXPECT_EQ(server.RequestWith(verb::get, "/healthz", {}).status, 200);
  EXPECT_EQ(server.RequestWith(verb::get, "/readyz", {}).status, 200);
}

TEST(ApiAuthTest, RevocationSurvivesARestart) {
  testing::TempDir dir;
  std::string token, token_id;
  {
    testing::ServerProcess server(dir.str());
    HttpReply issued = server.Request(verb::post, "/v1/users/admin/tokens");
    token = Body(issued)["token"];
    token_id = Body(issued)["token_id"];
    EXPECT_EQ(server.Request(verb::delete_, "/v1/tokens/" + token_id).status,
              200);
  }
  testing::ServerProcess server(dir.str());
  EXPECT_EQ(server
                .RequestWith(verb::get, "/v1/events",
                             {{"Authorization", "Bearer " + token}})
                .status,
            401);
  EXPECT_EQ(server.Request(verb::get, "/v1/events").status, 200);
}

TEST(ApiAuthTest, OnlyTheUserOrTheirAdminManagesTheirTokens) {
  ApiWorld world;
  HttpReply other =
      world.As("reporter", "/v1/users/mentor/tokens", json::object());
  EXPECT_EQ(other.status, 403) << other.body;
  HttpReply own =
      world.As("reporter", "/v1/users/reporter/tokens", json::object());
  EXPECT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(world.server().Request(verb::post, "/v1/users/ghost/tokens").status,
            404);
}

TEST(ApiCommandTest, AClientChoosesOnlyOpaqueExemplarIds) {
  ApiWorld world;
  // A name would travel in every URL, log line and event, beyond erasure.
  for (const std::string named : {"lan", "nguyen-thi-lan", "ex-123"}) {
    HttpReply refused = world.As("reporter", "/v1/exemplars",
                                 With(DetectFields(), "exemplar_id", named));
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(Body(refused)["field"], "exemplar_id");
    EXPECT_EQ(world
                  .As("reporter", "/v1/exemplars/" + named + "/detect",
                      DetectFields())
                  .status,
              422);
  }
  for (const std::string opaque :
       {"6F1C2A3B-0D4E-4F50-8A61-7B8C9D0E1F23", "ex-0123456789abcdef0123"}) {
    HttpReply taken = world.As("reporter", "/v1/exemplars",
                               With(DetectFields(), "exemplar_id", opaque));
    EXPECT_EQ(taken.status, 201) << taken.body;
  }
  HttpReply drawn = world.As("reporter", "/v1/exemplars", DetectFields());
  ASSERT_EQ(drawn.status, 201) << drawn.body;
  EXPECT_EQ(Body(drawn)["exemplar_id"].get<std::string>().rfind("ex-", 0), 0u);
}

TEST(ApiCommandTest, EventsRecordTheClientsRemoteAddress) {
  ApiWorld world;
  HttpReply detected = world.As("reporter", "/v1/exemplars",
                                With(DetectFields(), "exemplar_id", kLan));
  ASSERT_EQ(detected.status, 201) << detected.body;
  HttpReply issued =
      world.server().Request(verb::post, "/v1/users/reporter/tokens");
  ASSERT_EQ(issued.status, 201) << issued.body;

  // The test client connects over loopback: a workflow command, a token
  // change and an organisation command (ApiWorld creates units over HTTP).
  // The bootstrap events were made without a request.
  std::vector<std::string> pages = {
      "/v1/events?limit=1&from=" + Body(detected)["position"].dump(),
      "/v1/events?limit=1&from=" + Body(issued)["position"].dump(),
      "/v1/events?limit=1&stream=unit-kh"};
  for (const std::string& page : pages) {
    json event = Body(world.server().Request(verb::get, page))["events"][0];
    EXPECT_EQ(event["remote_address"], "127.0.0.1") << event.dump();
  }
  json first = Body(world.server().Request(verb::get, "/v1/events?limit=1"));
  EXPECT_EQ(first["events"][0]["remote_address"], "");
}

TEST(ApiCommandTest, DetectNominateAppraiseCarryVersionPositionAndActor) {
  ApiWorld world;
  HttpReply detected = world.As("reporter", "/v1/exemplars",
                                With(DetectFields(), "exemplar_id", kLan),
                                {{"X-Request-Id", "req-42"}});
  ASSERT_EQ(detected.status, 201) << detected.body;
  EXPECT_EQ(detected.headers["Location"], "/v1/exemplars/" + kLan);
  EXPECT_EQ(detected.headers["ETag"], "\"0\"");
  EXPECT_EQ(detected.headers["X-Request-Id"], "req-42");
  json body = Body(detected);
  EXPECT_EQ(body["exemplar_id"], kLan);
  EXPECT_EQ(body["version"], 0);
  std::uint64_t position = body["position"];

  HttpReply event = world.server().Request(
      verb::get, "/v1/events?limit=1&from=" + std::to_string(position));
  json recorded = Body(event)["events"][0];
  EXPECT_EQ(recorded["type"], "exemplar_detected");
  EXPECT_EQ(recorded["actor"]["user_id"], "reporter");
  EXPECT_EQ(recorded["actor"]["role"], "reporter");
  EXPECT_EQ(recorded["actor"]["unit_id"], "c1");
  EXPECT_EQ(recorded["request_id"], "req-42");

  ASSERT_EQ(world
                .As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
                    {{"mentor_id", "mentor"}})
                .status,
            200);
  HttpReply nominated =
      world.As("nominator", "/v1/exemplars/" + kLan + "/nominate",
               {{"campaign_id", "gen"},
                {"nomination_kind", "quarterly"},
                {"period", "2026-Q4"},
                {"award_form", "giay_khen"},
                {"summary", "Giới thiệu quý IV"}});
  ASSERT_EQ(nominated.status, 200) << nominated.body;
  EXPECT_EQ(Body(nominated)["version"], 2);

  // Holding two roles that may take an action, the user must name one.
  world.Post("/v1/users/nominator/grants",
             {{"role", "approver"}, {"unit_id", "c1"}});
  HttpReply ambiguous =
      world.As("nominator", "/v1/exemplars/" + kLan + "/release_mentor",
               {{"reason", "Chuyển công tác"}});
  EXPECT_EQ(ambiguous.status, 400) << ambiguous.body;
  EXPECT_EQ(Body(ambiguous)["type"], "ambiguous_role");
  HttpReply named = world.As(
      "nominator", "/v1/exemplars/" + kLan + "/release_mentor",
      {{"reason", "Chuyển công tác"}}, {{"X-Acting-Role", "approver"}});
  EXPECT_EQ(named.status, 200) << named.body;
}

TEST(ApiCommandTest, RejectionsAreProblemsWithTheRuleCodeAndAppendNothing) {
  ApiWorld world;
  ASSERT_EQ(
      world.As("reporter", "/v1/exemplars/" + kLan + "/detect", DetectFields())
          .status,
      201);
  std::uint64_t head = world.Head();

  HttpReply wrong_role =
      world.As("reporter", "/v1/exemplars/" + kLan + "/assign_mentor",
               {{"mentor_id", "mentor"}});
  EXPECT_EQ(wrong_role.status, 403) << wrong_role.body;
  EXPECT_EQ(wrong_role.content_type, "application/problem+json");
  EXPECT_EQ(Body(wrong_role)["type"], "role_not_permitted");

  HttpReply out_of_scope = world.As(
      "reporter2", "/v1/exemplars/" + testing::OpaqueId("other") + "/detect",
      DetectFields("c1"));
  EXPECT_EQ(out_of_scope.status, 403) << out_of_scope.body;
  EXPECT_EQ(Body(out_of_scope)["type"], "not_in_scope");

  HttpReply transition =
      world.As("nominator", "/v1/exemplars/" + kLan + "/nominate",
               {{"campaign_id", "gen"},
                {"nomination_kind", "quarterly"},
                {"period", "2026-Q4"},
                {"award_form", "giay_khen"},
                {"summary", "x"}});
  EXPECT_EQ(transition.status, 422);
  EXPECT_EQ(Body(transition)["type"], "invalid_transition");

  HttpReply missing_field =
      world.As("reporter", "/v1/exemplars", {{"subject_kind", "household"}});
  EXPECT_EQ(missing_field.status, 422);
  EXPECT_EQ(Body(missing_field)["type"], "validation_failed");
  EXPECT_FALSE(Body(missing_field)["field"].get<std::string>().empty());

  HttpReply unknown = world.As("nominator", "/v1/exemplars/ghost/assign_mentor",
                               {{"mentor_id", "mentor"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Body(unknown)["type"], "exemplar_not_found");

  EXPECT_EQ(world.Head(), head);
}

TEST(ApiCommandTest, MalformedBodiesAreRefusedAndChangeNothing) {
  ApiWorld world;
  auto& server = world.server();
  std::uint64_t head = world.Head();
  testing::Headers auth = {
      {"Authorization", "Bearer " + world.token("reporter")}};
  auto post = [&](const std::string& body, const std::string& type) {
    return server.RequestWith(verb::post, "/v1/exemplars", auth, body, type);
  };
  HttpReply malformed = post("{\"subject_kind\":", "application/json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Body(malformed)["type"], "malformed_json");
  HttpReply utf8 = post("{\"name\":\"\xC3\x28\"}", "application/json");
  EXPECT_EQ(utf8.status, 400);
  EXPECT_EQ(Body(utf8)["type"], "invalid_utf8");
  HttpReply media = post("name=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(media.status, 415);
  EXPECT_EQ(Body(media)["type"], "unsupported_media_type");
  HttpReply array = post("[1,2]", "application/json");
  EXPECT_EQ(array.status, 422);
  HttpReply unknown_member = server.Request(
      verb::post, "/v1/units",
      R"({"unit_id":"x","name":"X","level":"commune","parent_id":"d1","extra":1})");
  EXPECT_EQ(unknown_member.status, 422);
  EXPECT_EQ(Body(unknown_member)["field"], "extra");
  // Oversized bodies (413) are covered where the client cannot race the
  // server's early close: ServeTest and ApiConfigTest.
  EXPECT_EQ(world.Head(), head);
}

TEST(ApiCommandTest, IfMatchGuardsTheVersionAndReportsTheCurrentOne) {
  ApiWorld world;
  ASSERT_EQ(
      world.As("reporter", "/v1/exemplars/" + kLan + "/detect", DetectFields())
          .status,
      201);
  HttpReply stale =
      world.As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
               {{"mentor_id", "mentor"}}, {{"If-Match", "\"5\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(Body(stale)["type"], "version_conflict");
  EXPECT_EQ(Body(stale)["current_version"], 0);
  HttpReply bad =
      world.As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
               {{"mentor_id", "mentor"}}, {{"If-Match", "soon"}});
  EXPECT_EQ(bad.status, 400);
  HttpReply fresh =
      world.As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
               {{"mentor_id", "mentor"}}, {{"If-Match", "\"0\""}});
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.headers["ETag"], "\"1\"");
}

TEST(ApiCommandTest, IdempotencyKeyReplaysTheFirstResponseAndRefusesReuse) {
  ApiWorld world;
  testing::Headers key = {{"Idempotency-Key", "detect-1"}};
  HttpReply first = world.As("reporter", "/v1/exemplars", DetectFields(), key);
  ASSERT_EQ(first.status, 201) << first.body;
  std::uint64_t head = world.Head();
  HttpReply retry = world.As("reporter", "/v1/exemplars", DetectFields(), key);
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.headers["Idempotent-Replayed"], "true");
  EXPECT_EQ(world.Head(), head);

  HttpReply reused = world.As("reporter", "/v1/exemplars",
                              With(DetectFields(), "name", "Khác"), key);
  EXPECT_EQ(reused.status, 409);
  EXPECT_EQ(Body(reused)["type"], "idempotency_key_reused");
  // Keys are per user: another user's same key is a new command.
  HttpReply other =
      world.As("reporter2", "/v1/exemplars", DetectFields("c2"), key);
  EXPECT_EQ(other.status, 201) << other.body;
  EXPECT_NE(Body(other)["exemplar_id"], Body(first)["exemplar_id"]);
}

TEST(ApiCommandTest, OrganisationCommandsNeedAnAdmin) {
  ApiWorld world;
  HttpReply by_reporter = world.As("reporter", "/v1/units",
                                   {{"unit_id", "c9"},
                                    {"name", "Xã mới"},
                                    {"level", "commune"},
                                    {"parent_id", "d1"}});
  EXPECT_EQ(by_reporter.status, 403);
  EXPECT_EQ(Body(by_reporter)["type"], "not_authorised");
  auto& server = world.server();
  EXPECT_EQ(server
                .Request(verb::post, "/v1/units/c1/rename",
                         R"({"name":"Xã Cam Hải Tây mới"})")
                .status,
            200);
  EXPECT_EQ(
      server.Request(verb::post, "/v1/units/nowhere/rename", R"({"name":"X"})")
          .status,
      404);
  json grant = world.Post("/v1/users/reporter/grants",
                          {{"role", "mentor"}, {"unit_id", "c1"}});
  EXPECT_EQ(server
                .Request(verb::post,
                         "/v1/users/reporter/grants/" +
                             grant["grant_id"].get<std::string>() + "/revoke",
                         R"({"reason":"hết nhiệm kỳ"})")
                .status,
            200);
  EXPECT_EQ(server
                .Request(verb::post, "/v1/campaigns/gen/close",
                         R"({"reason":"hết kỳ"})")
                .status,
            200);
  EXPECT_EQ(server
                .Request(verb::post, "/v1/users/reporter2/deactivate",
                         R"({"reason":"nghỉ hưu"})")
                .status,
            200);
  HttpReply inactive =
      world.As("reporter2", "/v1/exemplars", DetectFields("c2"));
  EXPECT_EQ(inactive.status, 401);  // refused at the door
  EXPECT_EQ(Body(inactive)["type"], "user_inactive");
}

TEST(ApiCommandTest, GracefulShutdownLosesNoAcknowledgedCommand) {
  testing::TempDir dir;
  std::vector<std::string> acknowledged;
  std::mutex mutex;
  {
    testing::ServerProcess server(dir.str());
    server.Request(
        verb::post, "/v1/units",
        R"({"unit_id":"kh","name":"Khánh Hòa","level":"province","parent_id":"vn"})");
    server.Request(verb::post, "/v1/users/admin/grants",
                   R"({"role":"reporter","unit_id":"kh"})");
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; !stop; ++i) {
          std::string id = testing::OpaqueId("w" + std::to_string(w) + "-" +
                                             std::to_string(i));
          try {
            HttpReply reply =
                server.Request(verb::post, "/v1/exemplars/" + id + "/detect",
                               DetectFields("kh").dump());
            if (reply.status == 201) {
              std::lock_guard<std::mutex> lock(mutex);
              acknowledged.push_back(id);
            }
          } catch (const std::exception&) {
            return;  // the server went away mid-request: not acknowledged
          }
        }
      });
    }
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (acknowledged.size() >= 20) break;
      }
      std::this_thread::yield();
    }
    EXPECT_EQ(server.Terminate(), 0);
    stop = true;
    for (auto& writer : writers) writer.join();
  }
  testing::ServerProcess server(dir.str());
  for (const std::string& id : acknowledged) {
    HttpReply stream = server.Request(verb::get, "/v1/streams/exemplar-" + id);
    ASSERT_EQ(stream.status, 200) << id;
    EXPECT_EQ(Body(stream)["events"].size(), 1u) << id;
  }
}

TEST(ApiOperationsTest, OpenApiIsPublicAndMetricsCountRequestsByRoute) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.str());
  HttpReply openapi = server.RequestWith(verb::get, "/openapi.json", {});
  ASSERT_EQ(openapi.status, 200);
  EXPECT_EQ(Body(openapi)["openapi"], "3.1.0");
  EXPECT_EQ(server.RequestWith(verb::get, "/metrics", {}).status, 401);
  server.Request(verb::get, "/v1/streams/unit-vn");
  HttpReply metrics = server.Request(verb::get, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("exemplar_http_requests_total{route=\"/v1/"
                              "streams/{id}\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("exemplar_http_request_duration_seconds_count"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("exemplar_log_head_position 5"),
            std::string::npos);
  // The first start's bootstrap commands were synced batch by batch.
  EXPECT_NE(metrics.body.find("exemplar_store_batch_events_count 5"),
            std::string::npos)
      << metrics.body;
  // The access log never holds a token; the response names the request.
  EXPECT_FALSE(metrics.headers["X-Request-Id"].empty());
}

TEST(ApiConfigTest, FlagsBeatTheEnvironmentWhichBeatsTheConfigFile) {
  testing::TempDir dir;
  {
    std::ofstream config(dir.str() + "/config.json");
    // The port is overridden by the --port 0 flag ServerProcess passes; the
    // body limit by the environment.
    config
        << R"({"port": 1, "body_limit_bytes": 1000000, "idle_timeout_seconds": 5})";
  }
  testing::ServerProcess server(dir.str() + "/data",
                                {{{"EXEMPLAR_BODY_LIMIT", "300"}},
                                 {"--config", dir.str() + "/config.json"}});
  // Only the headers are sent: the server refuses on the announced length,
  // and a body it will not read could reset the connection first.
  std::string big = server.SendRaw(
      "POST /v1/units HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n"
      "Content-Type: application/json\r\n\r\n");
  EXPECT_NE(big.find("413"), std::string::npos) << big;
  EXPECT_EQ(server.Request(verb::get, "/healthz").status, 200);
}

}  // namespace
}  // namespace exemplar
