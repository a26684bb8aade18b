// One client cannot take what every client shares: event stream slots and
// the threads that wait for a position, against the real binary.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/api_test_world.h"
#include "tests/support/sse_client.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::ApiWorld;
using testing::HttpReply;
using testing::ServerProcessOptions;
using testing::SseClient;
using testing::SseClientOptions;

ServerProcessOptions WithArgs(std::vector<std::string> args) {
  ServerProcessOptions options;
  options.args = std::move(args);
  return options;
}

HttpReply GetWith(ApiWorld& world, const std::string& token,
                  const std::string& target) {
  return world.server().RequestWith(verb::get, target,
                                    {{"Authorization", "Bearer " + token}});
}

TEST(FairShareTest, OneUsersWaitsAreCappedAndOthersAreStillAnswered) {
  ApiWorld world(WithArgs({"--max-waits-per-user", "2"}));
  const std::string far_ahead =
      "?min_position=" + std::to_string(world.Head() + 1'000'000);
  const std::string& reporter = world.token("reporter");

  // The reporter's share of waits, taken by queries that wait their full
  // time for a position the log will not reach.
  std::atomic<int> finished{0};
  std::vector<int> waited(2);
  std::vector<std::thread> waiting;
  for (int i = 0; i < 2; ++i) {
    waiting.emplace_back([&, i] {
      waited[i] = GetWith(world, reporter, "/v1/ledger" + far_ahead).status;
      ++finished;
    });
  }
  // Their next wait is refused at once, with a time to retry...
  HttpReply refused;
  for (int attempt = 0; attempt < 50 && refused.status != 429; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    refused = GetWith(world, reporter, "/v1/exemplars" + far_ahead);
  }
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["type"], "too_many_requests");
  EXPECT_TRUE(refused.headers.count("Retry-After"));
  // ...while another user's ledger is answered.
  HttpReply other = GetWith(world, world.token("reporter2"), "/v1/ledger");
  EXPECT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(finished.load(), 0) << "the waits ended before the check";

  // A user who may read nothing is refused before any wait.
  world.Post("/v1/users", {{"user_id", "no-grant"},
                           {"full_name", "Chưa phân quyền"},
                           {"home_unit_id", "c1"}});
  json token = world.Post("/v1/users/no-grant/tokens", json::object());
  HttpReply no_grant = GetWith(world, token["token"], "/v1/ledger" + far_ahead);
  EXPECT_EQ(no_grant.status, 403) << no_grant.body;

  for (std::thread& thread : waiting) thread.join();
  EXPECT_EQ(waited, (std::vector<int>{503, 503}));
}

std::unique_ptr<SseClient> Stream(ApiWorld& world, const std::string& token) {
  SseClientOptions options;
  options.headers.emplace_back("Authorization", "Bearer " + token);
  return std::make_unique<SseClient>(world.server().port(), "/v1/events/stream",
                                     options);
}

TEST(FairShareTest, StreamsAreCappedPerTokenAndPerUser) {
  ApiWorld world(WithArgs(
      {"--max-streams-per-user", "2", "--max-streams-per-token", "1"}));
  const std::string first = world.token("reporter");
  const std::string second =
      world.Post("/v1/users/reporter/tokens", json::object())["token"];
  const std::string third =
      world.Post("/v1/users/reporter/tokens", json::object())["token"];

  auto open = Stream(world, first);
  EXPECT_EQ(open->status(), 200);
  auto same_token = Stream(world, first);
  EXPECT_EQ(same_token->status(), 429);
  EXPECT_EQ(json::parse(same_token->ReadBody())["type"], "too_many_requests");
  auto other_token = Stream(world, second);
  EXPECT_EQ(other_token->status(), 200);
  auto over_user = Stream(world, third);
  EXPECT_EQ(over_user->status(), 429);
  // Another user still gets a stream.
  auto other_user = Stream(world, world.token("reporter2"));
  EXPECT_EQ(other_user->status(), 200);
  // A closed stream gives its slot back.
  open->Close();
  std::unique_ptr<SseClient> again;
  for (int attempt = 0; attempt < 50; ++attempt) {
    again = Stream(world, third);
    if (again->status() == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(again->status(), 200);
}

}  // namespace
}  // namespace exemplar
