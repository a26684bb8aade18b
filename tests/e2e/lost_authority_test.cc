// Authority that is taken away is lost everywhere at once: a deactivated
// user, a revoked token and a revoked grant, against the real binary.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "tests/e2e/api_test_world.h"
#include "tests/support/sse_client.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::ApiWorld;
using testing::HttpReply;
using testing::SseClient;
using testing::SseClientOptions;

json Body(const HttpReply& reply) { return json::parse(reply.body); }

// GET `target` as `user`.
HttpReply GetAs(ApiWorld& world, const std::string& user,
                const std::string& target) {
  return world.server().RequestWith(
      verb::get, target, {{"Authorization", "Bearer " + world.token(user)}});
}

TEST(LostAuthorityTest, ADeactivatedUserCanNeitherReadNorActNorMintAToken) {
  ApiWorld world;
  ASSERT_EQ(GetAs(world, "reporter2", "/v1/exemplars").status, 200);
  world.Post("/v1/users/reporter2/deactivate", {{"reason", "nghỉ hưu"}});

  for (const std::string target :
       {"/v1/exemplars", "/v1/units", "/v1/ledger"}) {
    HttpReply read = GetAs(world, "reporter2", target);
    EXPECT_EQ(read.status, 401) << target << " " << read.body;
    EXPECT_EQ(Body(read)["type"], "user_inactive") << target;
  }
  SseClientOptions bearer;
  bearer.headers.emplace_back("Authorization",
                              "Bearer " + world.token("reporter2"));
  SseClient stream(world.server().port(), "/v1/events/stream", bearer);
  EXPECT_EQ(stream.status(), 401);
  HttpReply own_token = world.As("reporter2", "/v1/users/reporter2/tokens", {});
  EXPECT_EQ(own_token.status, 401) << own_token.body;
  HttpReply command =
      world.As("reporter2", "/v1/exemplars", testing::DetectFields("c2"));
  EXPECT_EQ(command.status, 401) << command.body;

  // Nor may an admin give the deactivated user a new token.
  HttpReply by_admin =
      world.server().Request(verb::post, "/v1/users/reporter2/tokens");
  EXPECT_EQ(by_admin.status, 422) << by_admin.body;
  EXPECT_EQ(Body(by_admin)["type"], "user_inactive");
  // Other users are untouched.
  EXPECT_EQ(GetAs(world, "reporter", "/v1/exemplars").status, 200);
}

// A reporter at c1 with a grant and a token of their own, both known by id.
struct Reader {
  std::string user;
  std::string grant_id;
  std::string token_id;
  std::string token;
};

Reader NewReader(ApiWorld& world, const std::string& user) {
  world.Post("/v1/users", {{"user_id", user},
                           {"full_name", "Cán bộ " + user},
                           {"home_unit_id", "c1"}});
  json grant = world.Post("/v1/users/" + user + "/grants",
                          {{"role", "reporter"}, {"unit_id", "c1"}});
  json token = world.Post("/v1/users/" + user + "/tokens", json::object());
  return {user, grant["grant_id"], token["token_id"], token["token"]};
}

std::unique_ptr<SseClient> OpenStream(ApiWorld& world, const Reader& reader) {
  SseClientOptions options;
  options.headers.emplace_back("Authorization", "Bearer " + reader.token);
  auto stream = std::make_unique<SseClient>(world.server().port(),
                                            "/v1/events/stream", options);
  EXPECT_EQ(stream->status(), 200) << stream->ReadBody();
  return stream;
}

// Reads up to the stream's `revoked` event and returns its data, checking
// that the stream then ends; fails the test when none comes.
json RevokedEvent(SseClient& stream) {
  for (int i = 0; i < 100; ++i) {
    auto event = stream.NextEvent(std::chrono::seconds(10));
    if (!event) break;
    if (event->event == "revoked") {
      EXPECT_FALSE(stream.NextEvent(std::chrono::seconds(5)).has_value())
          << "the stream goes on after its revoked event";
      return json::parse(event->data);
    }
  }
  ADD_FAILURE() << "the stream had no revoked event";
  return json::object();
}

// Reads until the event at `position`; false when the stream ends or stalls
// first, or ends with a final event.
bool Delivers(SseClient& stream, std::uint64_t position) {
  for (int i = 0; i < 100; ++i) {
    auto event = stream.NextEvent(std::chrono::seconds(10));
    if (!event || event->event == "revoked") return false;
    if (event->id == std::to_string(position)) return true;
  }
  return false;
}

TEST(LostAuthorityTest, AnOpenStreamEndsOnceItsTokenGrantOrUserIsRevoked) {
  ApiWorld world;
  Reader by_token = NewReader(world, "reader-token");
  Reader by_grant = NewReader(world, "reader-grant");
  Reader by_user = NewReader(world, "reader-user");
  auto token_stream = OpenStream(world, by_token);
  auto grant_stream = OpenStream(world, by_grant);
  auto user_stream = OpenStream(world, by_user);

  // Gaining a grant ends nothing: the stream still delivers what follows.
  world.Post("/v1/users/reader-token/grants",
             {{"role", "mentor"}, {"unit_id", "c1"}});
  HttpReply detected =
      world.As("reporter", "/v1/exemplars", testing::DetectFields());
  ASSERT_EQ(detected.status, 201) << detected.body;
  EXPECT_TRUE(Delivers(*token_stream, Body(detected)["position"]));

  ASSERT_EQ(world.server()
                .Request(verb::delete_, "/v1/tokens/" + by_token.token_id)
                .status,
            200);
  json token_end = RevokedEvent(*token_stream);
  EXPECT_EQ(token_end["reason"], "token_revoked");
  EXPECT_TRUE(token_end.contains("resume_from"));

  world.Post("/v1/users/reader-grant/grants/" + by_grant.grant_id + "/revoke",
             {{"reason", "hết nhiệm kỳ"}});
  EXPECT_EQ(RevokedEvent(*grant_stream)["reason"], "grant_revoked");

  world.Post("/v1/users/reader-user/deactivate", {{"reason", "nghỉ hưu"}});
  EXPECT_EQ(RevokedEvent(*user_stream)["reason"], "user_deactivated");
}

TEST(LostAuthorityTest, TokensExpireAsTheAdminChoseOrAfterTheDefault) {
  ApiWorld world;
  const auto now = std::chrono::system_clock::now();
  auto days_from_now = [&](const json& issued) {
    // "YYYY-MM-DDTHH:MM:SS+00:00": compare the dates only.
    std::string date = issued["expires_at"].get<std::string>().substr(0, 10);
    std::tm tm{};
    EXPECT_TRUE(strptime(date.c_str(), "%Y-%m-%d", &tm) != nullptr) << date;
    auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
    return std::chrono::duration_cast<std::chrono::hours>(at - now).count() /
           24.0;
  };
  json chosen =
      world.Post("/v1/users/reporter/tokens", {{"expires_in_days", 7}});
  EXPECT_NEAR(days_from_now(chosen), 7, 1);
  json by_default = world.Post("/v1/users/reporter/tokens", json::object());
  EXPECT_NEAR(days_from_now(by_default), 90, 1);
  for (const json& bad :
       {json{{"expires_in_days", 0}}, json{{"expires_in_days", 366}},
        json{{"expires_in_days", "7"}}, json{{"ttl", 7}}}) {
    HttpReply refused = world.server().Request(
        verb::post, "/v1/users/reporter/tokens", bad.dump());
    EXPECT_EQ(refused.status, 422) << bad.dump() << " " << refused.body;
    EXPECT_EQ(Body(refused)["type"], "validation_failed");
  }
}

}  // namespace
}  // namespace exemplar
