// Read scope against the real binary: one rule for every read, live or as
// of the past, the event stream's history included. A reader sees what
// belongs to the units that lie, in the unit tree as it is now, in the
// subtrees of their grants valid now.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/e2e/api_test_world.h"
#include "tests/support/opaque_id.h"
#include "tests/support/sse_client.h"

namespace exemplar::testing {
namespace {

const std::string kLan = OpaqueId("lan");

using boost::beast::http::verb;
using nlohmann::json;

json Body(const HttpReply& reply) { return json::parse(reply.body); }

HttpReply Get(ApiWorld& world, const std::string& user,
              const std::string& target) {
  return world.server().RequestWith(
      verb::get, target, {{"Authorization", "Bearer " + world.token(user)}});
}

// Runs `action` on exemplar `id` as `user`; fails the test unless 200.
void Do(ApiWorld& world, const std::string& user, const std::string& id,
        const std::string& action, const json& fields) {
  HttpReply reply =
      world.As(user, "/v1/exemplars/" + id + "/" + action, fields);
  ASSERT_EQ(reply.status, 200) << action << " " << reply.body;
}

// Detects kLan in c1 and takes it to a decision by d1's approver (a
// ledger row) after a quarterly introduction by c1 (a deadline row).
void DecideOnLan(ApiWorld& world) {
  ASSERT_EQ(
      world.As("reporter", "/v1/exemplars/" + kLan + "/detect", DetectFields())
          .status,
      201);
  Do(world, "nominator", kLan, "assign_mentor", {{"mentor_id", "mentor"}});
  Do(world, "nominator", kLan, "nominate",
     {{"campaign_id", "gen"},
      {"nomination_kind", "quarterly"},
      {"period", "2026-Q4"},
      {"award_form", "giay_khen"},
      {"summary", "Giới thiệu quý IV"}});
  Do(world, "approver", kLan, "return_for_revision",
     {{"reason", "Bổ sung hồ sơ"}});
}

// Every unit id in a /v1/units tree, with whether it is in scope.
void CollectUnits(const json& nodes, std::map<std::string, bool>* units) {
  for (const json& node : nodes) {
    (*units)[node["id"]] = node.value("in_scope", true);
    CollectUnits(node["children"], units);
  }
}

std::map<std::string, bool> UnitsOf(const HttpReply& reply) {
  std::map<std::string, bool> units;
  CollectUnits(Body(reply)["units"], &units);
  return units;
}

// The quota rows of a report by unit id, with their detected counts.
std::map<std::string, int> DetectedByUnit(const HttpReply& reply) {
  std::map<std::string, int> detected;
  const json body = Body(reply);
  for (const json& row : body["rows"]) {
    detected[row["unit_id"]] = row["detected"];
  }
  return detected;
}

std::set<std::string> DeadlineUnits(const HttpReply& reply) {
  std::set<std::string> units;
  const json body = Body(reply);
  for (const json& row : body["rows"]) units.insert(row["unit_id"]);
  return units;
}

// The stream ids of the events a reader's replay from position 1 carries,
// up to and including the first event of stream `marker`.
std::set<std::string> ReplayedStreams(ApiWorld& world, const std::string& user,
                                      const std::string& marker) {
  SseClientOptions options;
  options.headers.emplace_back("Authorization", "Bearer " + world.token(user));
  SseClient client(world.server().port(), "/v1/events/stream?from=1", options);
  EXPECT_EQ(client.status(), 200);
  std::set<std::string> streams;
  while (auto event = client.NextEvent(std::chrono::seconds(5))) {
    streams.insert(json::parse(event->data)["stream_id"].get<std::string>());
    if (streams.contains(marker)) return streams;
  }
  ADD_FAILURE() << user << "'s replay ended before " << marker;
  return streams;
}

// c1 (with exemplar kLan and decisions on it) moves from d1 to d2; then
// "d1_reader" is granted at d1 and "d2_reader" at d2. As of the moment
// before the move, c1 lay in d1, but d1_reader may not read it now, so no
// read in the past shows it to them; d2_reader, who may, sees it.
TEST(ReadScopeTest, NoReadInThePastShowsWhatTheReaderCannotSeeNow) {
  ApiWorld world;
  DecideOnLan(world);
  const std::string before = std::to_string(world.Head());
  world.Post("/v1/units/c1/move", {{"parent_id", "d2"}});
  world.Person("d1_reader", "auditor", "d1");
  world.Person("d2_reader", "auditor", "d2");
  // Markers each reader's stream carries, after everything else.
  world.Post("/v1/units", {{"unit_id", "c3"},
                           {"name", "Xã Cam Hòa"},
                           {"level", "commune"},
                           {"parent_id", "d1"}});
  world.Post("/v1/units", {{"unit_id", "c4"},
                           {"name", "Xã Diên Lạc"},
                           {"level", "commune"},
                           {"parent_id", "d2"}});
  const std::string past = "as_of_position=" + before +
                           "&min_position=" + std::to_string(world.Head());
  // The local year lan was detected in, for the quota report, as the admin
  // sees it now.
  HttpReply now = world.server().Request(
      verb::get, "/v1/exemplars?min_position=" + std::to_string(world.Head()));
  ASSERT_EQ(Body(now)["items"].size(), 1u) << now.body;
  const std::string year =
      Body(now)["items"][0]["detected_at"].get<std::string>().substr(0, 4);

  HttpReply list = Get(world, "d1_reader", "/v1/exemplars?" + past);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Body(list)["items"].empty()) << list.body;
  EXPECT_EQ(
      Get(world, "d1_reader", "/v1/exemplars/" + kLan + "?" + past).status,
      404);
  EXPECT_EQ(
      Get(world, "d1_reader", "/v1/exemplars/" + kLan + "/history?" + past)
          .status,
      404);
  HttpReply ledger = Get(world, "d1_reader", "/v1/ledger?" + past);
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  EXPECT_TRUE(Body(ledger)["rows"].empty()) << ledger.body;
  HttpReply quotas =
      Get(world, "d1_reader", "/v1/reports/quotas?year=" + year + "&" + past);
  ASSERT_EQ(quotas.status, 200) << quotas.body;
  // Since 1 July 2025 a district has no minimum (the shipped definition's
  // periods), so d1 has no row of its own this year; c1 is out of sight.
  EXPECT_EQ(DetectedByUnit(quotas), (std::map<std::string, int>{}))
      << quotas.body;
  HttpReply deadlines = Get(
      world, "d1_reader", "/v1/reports/deadlines?year=2026&quarter=4&" + past);
  ASSERT_EQ(deadlines.status, 200) << deadlines.body;
  EXPECT_FALSE(DeadlineUnits(deadlines).contains("c1")) << deadlines.body;
  HttpReply follow_up =
      Get(world, "d1_reader", "/v1/reports/follow-up?" + past);
  ASSERT_EQ(follow_up.status, 200) << follow_up.body;
  EXPECT_EQ(Body(follow_up)["total"], 0) << follow_up.body;
  HttpReply units = Get(world, "d1_reader", "/v1/units?" + past);
  ASSERT_EQ(units.status, 200) << units.body;
  EXPECT_EQ(UnitsOf(units), (std::map<std::string, bool>{
                                {"vn", false}, {"kh", false}, {"d1", true}}));
  HttpReply users = Get(world, "d1_reader", "/v1/users?" + past);
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_EQ(users.body.find("\"c1\""), std::string::npos) << users.body;
  std::set<std::string> d1_streams =
      ReplayedStreams(world, "d1_reader", "unit-c3");
  EXPECT_FALSE(d1_streams.contains("exemplar-" + kLan));
  EXPECT_FALSE(d1_streams.contains("unit-c1"));

  // The reader who may see c1 now sees it in the past too.
  HttpReply d2_list = Get(world, "d2_reader", "/v1/exemplars?" + past);
  ASSERT_EQ(Body(d2_list)["items"].size(), 1u) << d2_list.body;
  EXPECT_EQ(
      Get(world, "d2_reader", "/v1/exemplars/" + kLan + "?" + past).status,
      200);
  EXPECT_EQ(
      Get(world, "d2_reader", "/v1/exemplars/" + kLan + "/history?" + past)
          .status,
      200);
  EXPECT_EQ(Body(Get(world, "d2_reader", "/v1/ledger?" + past))["rows"].size(),
            1u);
  EXPECT_EQ(DetectedByUnit(Get(world, "d2_reader",
                               "/v1/reports/quotas?year=" + year + "&" + past)),
            (std::map<std::string, int>{{"c1", 1}, {"c2", 0}}));
  EXPECT_TRUE(
      DeadlineUnits(Get(world, "d2_reader",
                        "/v1/reports/deadlines?year=2026&quarter=4&" + past))
          .contains("c1"));
  EXPECT_EQ(
      Body(Get(world, "d2_reader", "/v1/reports/follow-up?" + past))["total"],
      1);
  std::set<std::string> d2_streams =
      ReplayedStreams(world, "d2_reader", "unit-c4");
  EXPECT_TRUE(d2_streams.contains("exemplar-" + kLan));
  EXPECT_TRUE(d2_streams.contains("unit-c1"));
}

// The units list shows the subtrees of the reader's grants and, to place
// them, their ancestors (in_scope false), nothing else.
TEST(ReadScopeTest, UnitsShowTheReadersSubtreesAndTheirAncestors) {
  ApiWorld world;
  HttpReply commune = Get(world, "reporter2", "/v1/units");
  ASSERT_EQ(commune.status, 200) << commune.body;
  EXPECT_EQ(UnitsOf(commune),
            (std::map<std::string, bool>{
                {"vn", false}, {"kh", false}, {"d2", false}, {"c2", true}}));
  HttpReply district = Get(world, "approver", "/v1/units");
  EXPECT_EQ(UnitsOf(district),
            (std::map<std::string, bool>{
                {"vn", false}, {"kh", false}, {"d1", true}, {"c1", true}}));
  // The admin, granted at the root, sees the whole tree.
  HttpReply all = world.server().Request(verb::get, "/v1/units");
  EXPECT_EQ(UnitsOf(all).size(), 6u) << all.body;
}

// A commune's users see the decisions made on their exemplars by the
// district; users of another commune do not.
TEST(ReadScopeTest, TheLedgerIsScopedByTheExemplarsUnit) {
  ApiWorld world;
  DecideOnLan(world);
  const std::string wait = "min_position=" + std::to_string(world.Head());
  HttpReply own = Get(world, "reporter", "/v1/ledger?" + wait);
  ASSERT_EQ(own.status, 200) << own.body;
  ASSERT_EQ(Body(own)["rows"].size(), 1u) << own.body;
  EXPECT_EQ(Body(own)["rows"][0]["action"], "return_for_revision");
  EXPECT_EQ(Body(own)["rows"][0]["unit_id"], "d1");
  EXPECT_EQ(Body(own)["rows"][0]["exemplar_unit_id"], "c1");
  HttpReply other = Get(world, "reporter2", "/v1/ledger?" + wait);
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_TRUE(Body(other)["rows"].empty()) << other.body;
  // The unit filter selects by the exemplar's unit too, whoever decided:
  // the district's decision on c1's exemplar is c1's (and so d1's).
  HttpReply by_d1 = Get(world, "approver", "/v1/ledger?unit=d1&" + wait);
  EXPECT_EQ(Body(by_d1)["rows"].size(), 1u) << by_d1.body;
  HttpReply by_c1 = Get(world, "approver", "/v1/ledger?unit=c1&" + wait);
  EXPECT_EQ(Body(by_c1)["rows"].size(), 1u) << by_c1.body;
  HttpReply by_c2 = Get(world, "approver", "/v1/ledger?unit=c2&" + wait);
  EXPECT_TRUE(Body(by_c2)["rows"].empty()) << by_c2.body;
}

}  // namespace
}  // namespace exemplar::testing
