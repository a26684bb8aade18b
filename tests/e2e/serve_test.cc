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
  // The first start wrote the root unit, the admin, their grant and token,
  // and recorded the workflow definition.
  EXPECT_EQ(nlohmann::json::parse(ready.body)["head_position"], 5);
}

TEST(ServeTest, AnEmptyAdminTokenVariableCountsAsUnsetAndTheTokenIsPrinted) {
  TempDir dir;
  testing::ServerProcessOptions options;
  options.env = {{"EXEMPLAR_ADMIN_TOKEN", ""}};
  ServerProcess server(dir.str() + "/data", options);
  EXPECT_NE(server.Output().find("First start: admin token (shown once"),
            std::string::npos)
      << server.Output();
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

  // Headers announcing a body over the limit are refused before the body is
  // read, so a client waiting to be told to go on sends none.
  std::string too_big = server.SendRaw(
      "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n"
      "Content-Type: application/json\r\n\r\n");
  EXPECT_NE(too_big.find("413"), std::string::npos) << too_big;
  EXPECT_NE(too_big.find("body_too_large"), std::string::npos) << too_big;

  std::string garbage = server.SendRaw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_NE(garbage.find("400"), std::string::npos) << garbage;
  // The server stops parsing at the header limit and answers 431; it reads
  // and drops the rest before closing, so no reset takes the answer away.
  std::string huge_header = server.SendRaw(
      "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
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

namespace exemplar {
namespace {

TEST(ServeAuditTest, HeadIsSignedAndProofQueriesValidateTheirInput) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.str());
  auto head = server.Request(boost::beast::http::verb::get, "/v1/audit/head");
  ASSERT_EQ(head.status, 200) << head.body;
  auto json = nlohmann::json::parse(head.body);
  // The first start's five events (root unit, admin, grant, token, the
  // workflow definition).
  EXPECT_EQ(json["tree_size"], 5);
  EXPECT_EQ(json["root_hash"].get<std::string>().size(), 64u);
  EXPECT_FALSE(json["signature"].get<std::string>().empty());

  auto key =
      server.Request(boost::beast::http::verb::get, "/v1/audit/public-key");
  ASSERT_EQ(key.status, 200);
  EXPECT_EQ(nlohmann::json::parse(key.body)["hex"].get<std::string>().size(),
            64u);

  auto missing = server.Request(boost::beast::http::verb::get,
                                "/v1/audit/proof/inclusion?position=1");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(nlohmann::json::parse(missing.body)["field"], "tree_size");
  auto past_log =
      server.Request(boost::beast::http::verb::get,
                     "/v1/audit/proof/inclusion?position=9&tree_size=9");
  EXPECT_EQ(past_log.status, 400);
  auto consistency = server.Request(boost::beast::http::verb::get,
                                    "/v1/audit/proof/consistency?from=0&to=0");
  EXPECT_EQ(consistency.status, 400);
}

}  // namespace
}  // namespace exemplar

namespace exemplar {
namespace {

TEST(ServeWorkflowTest, InvalidDefinitionIsRefusedWithTheProblemNamed) {
  testing::TempDir dir;
  std::string definition = dir.str() + "/broken.json";
  FILE* file = fopen(definition.c_str(), "w");
  ASSERT_NE(file, nullptr);
  fputs("{\"name\": \"broken\"", file);
  fclose(file);
  std::string command = std::string(EXEMPLAR_BINARY) + " serve --data " +
                        dir.str() + "/data --port 0 --workflow " + definition +
                        " 2>&1";
  FILE* process = popen(command.c_str(), "r");
  ASSERT_NE(process, nullptr);
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, process)) output += buffer;
  int status = pclose(process);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(output.find("invalid workflow definition"), std::string::npos)
      << output;
}

}  // namespace
}  // namespace exemplar
