// The query routes against the real binary: read-your-writes, scope, search,
// time travel, exports and bad parameters.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/e2e/api_test_world.h"
#include "tests/support/opaque_id.h"

namespace exemplar::testing {
namespace {

const std::string kLan = OpaqueId("lan");

using boost::beast::http::verb;
using nlohmann::json;

json Body(const HttpReply& reply) { return json::parse(reply.body); }

// GET as `user` (a token of the world), with extra headers.
HttpReply Get(ApiWorld& world, const std::string& user,
              const std::string& target, Headers headers = {}) {
  headers.emplace_back("Authorization", "Bearer " + world.token(user));
  return world.server().RequestWith(verb::get, target, headers);
}

// A world with "admin_reader", an auditor granted at the province, who may
// read everything in it.
struct ReadableWorld : ApiWorld {
  ReadableWorld() { Person("admin_reader", "auditor", "kh"); }
};

// Detects exemplar `id` as the reporter of c1; returns the log position.
std::uint64_t Detect(ApiWorld& world, const std::string& id,
                     const std::string& name) {
  json fields = DetectFields();
  fields["exemplar_id"] = id;
  fields["name"] = name;
  HttpReply reply = world.As("reporter", "/v1/exemplars", fields);
  EXPECT_EQ(reply.status, 201) << reply.body;
  return Body(reply)["position"];
}

TEST(ApiQueryTest, AViewWaitsForTheCommandsPositionAndKeepsTheNameByteForByte) {
  ReadableWorld world;
  std::uint64_t position = Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  HttpReply view = Get(
      world, "reporter",
      "/v1/exemplars/" + kLan + "?min_position=" + std::to_string(position));
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(Body(view)["name"], "Hộ bà Nguyễn Thị Lan");
  EXPECT_EQ(Body(view)["state"], "detected");
  EXPECT_EQ(Body(view)["unit_id"], "c1");

  HttpReply history = Get(world, "reporter",
                          "/v1/exemplars/" + kLan + "/history?min_position=" +
                              std::to_string(position));
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(Body(history)["events"][0]["type"], "exemplar_detected");
  EXPECT_EQ(Body(history)["events"][0]["position"], position);
}

TEST(ApiQueryTest, RepeatedViewsShowEveryChangeAtOnce) {
  ReadableWorld world;
  Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  // Read twice (rendered, then from the cache), then change the exemplar:
  // the next plain read, with no wait, must show the change.
  for (int i = 0; i < 2; ++i) {
    HttpReply view = Get(world, "admin_reader", "/v1/exemplars/" + kLan);
    ASSERT_EQ(view.status, 200) << view.body;
    EXPECT_TRUE(Body(view)["mentor_id"].is_null());
  }
  HttpReply assigned =
      world.As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
               {{"mentor_id", "mentor"}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  HttpReply view = Get(world, "admin_reader", "/v1/exemplars/" + kLan);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(Body(view)["mentor_id"], "mentor");
  EXPECT_EQ(Body(view)["position"], Body(assigned)["position"]);
}

TEST(ApiQueryTest, AnUnknownAndAnOutOfScopeExemplarAnswerTheSame) {
  ReadableWorld world;
  Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  HttpReply unknown = Get(world, "reporter2", "/v1/exemplars/nobody");
  HttpReply hidden = Get(world, "reporter2", "/v1/exemplars/" + kLan);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(Body(unknown)["detail"], "no exemplar nobody");
  EXPECT_EQ(Body(hidden)["detail"], "no exemplar " + kLan);
}

TEST(ApiQueryTest, SearchIgnoresCaseAndDiacritics) {
  ReadableWorld world;
  Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  std::uint64_t last = Detect(world, OpaqueId("dung"), "Ông Đặng Văn Dũng");
  std::string wait = "&min_position=" + std::to_string(last);
  HttpReply found =
      Get(world, "admin_reader", "/v1/exemplars?q=nguyen%20thi" + wait);
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(Body(found)["items"].size(), 1u);
  EXPECT_EQ(Body(found)["items"][0]["id"], kLan);
  HttpReply dang = Get(world, "admin_reader", "/v1/exemplars?q=dang" + wait);
  ASSERT_EQ(Body(dang)["items"].size(), 1u);
  EXPECT_EQ(Body(dang)["items"][0]["id"], OpaqueId("dung"));
}

TEST(ApiQueryTest, UsersSeeOnlyTheSubtreesOfTheirGrants) {
  ReadableWorld world;
  std::uint64_t position = Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  std::string wait = "min_position=" + std::to_string(position);
  // reporter2 holds a grant at c2 only; lan lives in c1.
  HttpReply view =
      Get(world, "reporter2", "/v1/exemplars/" + kLan + "?" + wait);
  EXPECT_EQ(view.status, 404) << view.body;
  HttpReply list = Get(world, "reporter2", "/v1/exemplars?" + wait);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Body(list)["items"].empty());
  // The appraiser at d1 sees c1 below it.
  HttpReply appraiser = Get(world, "appraiser", "/v1/exemplars?" + wait);
  ASSERT_EQ(Body(appraiser)["items"].size(), 1u);
  // A user without any grant reads nothing.
  world.Post(
      "/v1/users",
      {{"user_id", "nobody"}, {"full_name", "Ai đó"}, {"home_unit_id", "c1"}});
  HttpReply token =
      world.server().Request(verb::post, "/v1/users/nobody/tokens");
  ASSERT_EQ(token.status, 201);
  HttpReply refused = world.server().RequestWith(
      verb::get, "/v1/exemplars",
      {{"Authorization", "Bearer " + Body(token)["token"].get<std::string>()}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Body(refused)["type"], "forbidden");
  // Without a token nothing is read at all.
  EXPECT_EQ(world.server().RequestWith(verb::get, "/v1/exemplars", {}).status,
            401);
}

TEST(ApiQueryTest, TheRawLogIsForWholeTreeReadersOnly) {
  ReadableWorld world;
  Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  // The admin holds its grant at the root; the others below it.
  EXPECT_EQ(world.server().Request(verb::get, "/v1/events").status, 200);
  for (const char* user : {"reporter", "admin_reader"}) {
    HttpReply events = Get(world, user, "/v1/events");
    EXPECT_EQ(events.status, 403) << user << " " << events.body;
    EXPECT_EQ(Body(events)["type"], "forbidden");
    EXPECT_EQ(Get(world, user, "/v1/streams/exemplar-" + kLan).status, 403);
  }
}

TEST(ApiQueryTest, ReadinessReportsEveryProjection) {
  ReadableWorld world;
  HttpReply ready = world.server().Request(verb::get, "/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  std::set<std::string> names;
  const json body = Body(ready);
  for (const json& projection : body["projections"]) {
    names.insert(projection["name"].get<std::string>());
    EXPECT_EQ(projection["error"], "");
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"authority", "exemplars", "ledger",
                                   "unit_records", "propagation", "timeline"}));
}

TEST(ApiQueryTest, TimeTravelShowsTheExemplarAsItWas) {
  ReadableWorld world;
  std::uint64_t detected = Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  HttpReply assigned =
      world.As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
               {{"mentor_id", "mentor"}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  std::uint64_t now = Body(assigned)["position"];
  std::string wait = "min_position=" + std::to_string(now);
  HttpReply current =
      Get(world, "admin_reader", "/v1/exemplars/" + kLan + "?" + wait);
  EXPECT_EQ(Body(current)["mentor_id"], "mentor");
  HttpReply before = Get(
      world, "admin_reader",
      "/v1/exemplars/" + kLan + "?as_of_position=" + std::to_string(detected));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_NE(Body(before)["mentor_id"], "mentor");
  HttpReply not_yet = Get(world, "admin_reader",
                          "/v1/exemplars/" + kLan + "?as_of_position=" +
                              std::to_string(detected - 1));
  EXPECT_EQ(not_yet.status, 404);
}

TEST(ApiQueryTest, ListsAndReportsExportCsvWithABomAndJsonLines) {
  ReadableWorld world;
  std::uint64_t position = Detect(world, kLan, "Hộ bà Nguyễn Thị Lan");
  std::string wait = "min_position=" + std::to_string(position);
  HttpReply csv = Get(world, "admin_reader", "/v1/exemplars?" + wait,
                      {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.body.find("Hộ bà Nguyễn Thị Lan"), std::string::npos);
  HttpReply lines = Get(world, "admin_reader", "/v1/reports/quotas?year=2026",
                        {{"Accept", "application/x-ndjson"}});
  ASSERT_EQ(lines.status, 200) << lines.body;
  EXPECT_EQ(lines.content_type, "application/x-ndjson");
  EXPECT_NO_THROW(json::parse(lines.body.substr(0, lines.body.find('\n'))));
  for (const char* target :
       {"/v1/ledger", "/v1/reports/deadlines?year=2026&quarter=4",
        "/v1/reports/follow-up", "/v1/units", "/v1/users"}) {
    EXPECT_EQ(Get(world, "admin_reader", target).status, 200) << target;
  }
}

TEST(ApiQueryTest, BadParametersAreProblemsNamingTheParameter) {
  ReadableWorld world;
  struct Case {
    std::string target;
    std::string field;
  };
  for (const Case& bad : std::vector<Case>{
           {"/v1/exemplars?sort=size", "sort"},
           {"/v1/exemplars?order=up", "order"},
           {"/v1/exemplars?has_mentor=yes", "has_mentor"},
           {"/v1/exemplars?limit=-1", "limit"},
           {"/v1/exemplars/" + kLan + "?as_of=yesterday", "as_of"},
           {"/v1/ledger?from=soon", "from"},
           {"/v1/reports/quotas", "year"},
           {"/v1/reports/deadlines?year=2026", "quarter"},
           {"/v1/exemplars?min_position=x", "min_position"}}) {
    HttpReply reply = Get(world, "admin_reader", bad.target);
    EXPECT_EQ(reply.status, 400) << bad.target << " " << reply.body;
    EXPECT_EQ(Body(reply)["field"], bad.field) << bad.target;
  }
  EXPECT_EQ(Get(world, "admin_reader", "/v1/exemplars/nobody").status, 404);
  HttpReply far =
      Get(world, "admin_reader", "/v1/exemplars?min_position=999999999");
  EXPECT_EQ(far.status, 503);
  EXPECT_EQ(Body(far)["type"], "not_caught_up");
}

}  // namespace
}  // namespace exemplar::testing
