#include "api/router.h"

#include <gtest/gtest.h>

#include <thread>

namespace exemplar::api {
namespace {

Request Get(const std::string& target) {
  Request request(http::verb::get, target, 11);
  return request;
}

Reply Echo(const Request& request, const RouteParams& params) {
  Response response(http::status::ok, request.version());
  response.body() = params.path.count("id") ? params.path.at("id") : "";
  return response;
}

// Runs a match whose handler answers before Run returns.
Reply RunAnswered(const Router& router, const Request& request,
                  Router::Matched* matched) {
  std::optional<Reply> answer;
  router.Run(request, matched, [&](Reply reply) { answer = std::move(reply); });
  EXPECT_TRUE(answer.has_value());
  return answer ? std::move(*answer) : Reply(Response());
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    RouteOptions quick_unless_waiting;
    quick_unless_waiting.quick = [](const Request&, const RouteParams& params) {
      return !params.query.count("min_position");
    };
    router_.Add(http::verb::get, "/v1/things/{id}", Echo, quick_unless_waiting);
    router_.Add(http::verb::post, "/v1/things/{id}", Echo);
    router_.SetGuard(
        [this](const Request&,
               RequestContext& context) -> std::optional<Response> {
          ++guard_calls_;
          context.user_id = "someone";
          return std::nullopt;
        });
  }

  Router router_;
  int guard_calls_ = 0;
};

TEST_F(RouterTest, MatchDecodesPathAndQueryWithoutRunningAnything) {
  Request request = Get("/v1/things/a%20b?x=1&y=hai%20ba");
  Router::Matched matched = router_.Match(request, {"req-1", "::1", "", ""});
  EXPECT_FALSE(matched.refusal);
  EXPECT_EQ(matched.params.path.at("id"), "a b");
  EXPECT_EQ(matched.params.query.at("y"), "hai ba");
  EXPECT_EQ(matched.params.context.route, "/v1/things/{id}");
  EXPECT_EQ(matched.params.context.request_id, "req-1");
  EXPECT_EQ(guard_calls_, 0);
}

TEST_F(RouterTest, QuickOnlyWhereTheRouteSaysSoForTheseParameters) {
  Request plain = Get("/v1/things/a");
  EXPECT_TRUE(router_.Match(plain, {}).quick);
  Request waiting = Get("/v1/things/a?min_position=9");
  EXPECT_FALSE(router_.Match(waiting, {}).quick);
  Request post(http::verb::post, "/v1/things/a", 11);
  EXPECT_FALSE(router_.Match(post, {}).quick);  // no predicate: may block
}

TEST_F(RouterTest, RunPassesTheGuardThenTheHandler) {
  Request request = Get("/v1/things/abc");
  Router::Matched matched = router_.Match(request, {});
  Reply reply = RunAnswered(router_, request, &matched);
  EXPECT_EQ(reply.response.result(), http::status::ok);
  EXPECT_EQ(reply.response.body(), "abc");
  EXPECT_EQ(matched.params.context.user_id, "someone");
  EXPECT_EQ(guard_calls_, 1);
}

TEST_F(RouterTest, UnknownPathWrongMethodAndBadEscapeAreRefusedUnguarded) {
  Request unknown = Get("/v1/nothing");
  Request wrong_method(http::verb::delete_, "/v1/things/a", 11);
  Request bad_escape = Get("/v1/things/a?x=%zz");
  for (auto [request, status] :
       {std::pair{&unknown, http::status::not_found},
        {&wrong_method, http::status::method_not_allowed},
        {&bad_escape, http::status::bad_request}}) {
    Router::Matched matched = router_.Match(*request, {});
    ASSERT_TRUE(matched.refusal);
    EXPECT_FALSE(matched.quick);
    EXPECT_EQ(RunAnswered(router_, *request, &matched).response.result(),
              status);
  }
  EXPECT_EQ(guard_calls_, 0);
}

TEST_F(RouterTest, AsyncRouteIsQuickAndAnswersWhenItsWorkIsDone) {
  Respond later;
  router_.Add(http::verb::post, "/v1/slow/{id}",
              [&later](const Request&, const RouteParams&, Respond respond) {
                later = std::move(respond);
              });
  Request request(http::verb::post, "/v1/slow/x", 11);
  Router::Matched matched = router_.Match(request, {});
  EXPECT_TRUE(matched.quick);  // it never blocks its thread
  std::optional<Reply> answer;
  router_.Run(request, &matched,
              [&](Reply reply) { answer = std::move(reply); });
  EXPECT_FALSE(answer.has_value());
  EXPECT_EQ(guard_calls_, 1);
  ASSERT_TRUE(later);
  later(Response(http::status::accepted, 11));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->response.result(), http::status::accepted);
}

TEST_F(RouterTest, DispatchWaitsForAnAnswerFromAnotherThread) {
  std::thread worker;
  router_.Add(
      http::verb::post, "/v1/slow/{id}",
      [&worker](const Request&, const RouteParams& params, Respond respond) {
        std::string id = params.path.at("id");
        worker = std::thread([respond, id] {
          Response response(http::status::created, 11);
          response.body() = id;
          respond(std::move(response));
        });
      });
  Request request(http::verb::post, "/v1/slow/y", 11);
  Reply reply = router_.Dispatch(request);
  worker.join();
  EXPECT_EQ(reply.response.result(), http::status::created);
  EXPECT_EQ(reply.response.body(), "y");
}

}  // namespace
}  // namespace exemplar::api
