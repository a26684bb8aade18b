// Authority that is taken away is lost everywhere at once: a deactivated
// user, a revoked token and a revoked grant, against the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/api_test_world.h"
#include "tests/support/sse_client.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::ApiWorld;
using testing::HttpReply;

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
       {"/v1/exemplars", "/v1/units", "/v1/ledger", "/v1/events/stream"}) {
    HttpReply read = GetAs(world, "reporter2", target);
    EXPECT_EQ(read.status, 401) << target << " " << read.body;
    EXPECT_EQ(Body(read)["type"], "user_inactive") << target;
  }
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

}  // namespace
}  // namespace exemplar
