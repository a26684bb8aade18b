// Starts the real binary and talks HTTP to it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/server_process.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using testing::ServerProcess;
using testing::TempDir;

TEST(ServeTest, HealthAndReadinessAnswerOnAFreshStore) {
  TempDir dir;
  ServerProcess server(dir.str() + "/data");
  auto health = server.Request(verb::get, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "ok");
  auto ready = server.Request(verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ready.body)["head_position"], 0);
}

TEST(ServeTest, BadRequestsGetProblemJsonAndTheServerStaysUp) {
  TempDir dir;
  ServerProcess server(dir.str());
  auto bad_number = server.Request(verb::get, "/v1/events?from=-1");
  EXPECT_EQ(bad_number.status, 400);
  EXPECT_EQ(bad_number.content_type, "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(bad_number.body)["field"], "from");

  EXPECT_EQ(server.Request(verb::get, "/nowhere").status, 404);
  EXPECT_EQ(server.Request(verb::delete_, "/healthz").status, 405);
  EXPECT_EQ(server.Request(verb::get, "/v1/events?x=%zz").status, 400);

  auto too_big = server.Request(verb::post, "/v1/events",
                                std::string(2 * 1024 * 1024, 'x'));
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(nlohmann::json::parse(too_big.body)["type"], "body_too_large");

  std::string garbage = server.SendRaw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_NE(garbage.find("400"), std::string::npos) << garbage;
  std::string huge_header = server.SendRaw(
      "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') +
      "\r\n\r\n");
  EXPECT_NE(huge_header.find("431"), std::string::npos) << huge_header;

  EXPECT_EQ(server.Request(verb::get, "/healthz").status, 200);
}

TEST(ServeTest, SigtermExitsCleanly) {
  TempDir dir;
  ServerProcess server(dir.str());
  EXPECT_EQ(server.Request(verb::get, "/healthz").status, 200);
  int status = server.Terminate();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace exemplar
