// Input a hostile or careless client sends, against the real binary: rules
// about who did what judged from the exemplar's history, commands that must
// not tell whether an exemplar out of scope exists, control characters in
// text fields, and spreadsheet formulas in CSV exports. Each refusal leaves
// the log's head where it was.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/api_test_world.h"
#include "tests/support/default_definition.h"
#include "tests/support/opaque_id.h"

namespace exemplar::testing {
namespace {

const std::string kLan = OpaqueId("lan");

// The year after today's (UTC), as a query parameter.
std::string NextYear() {
  const auto today =
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return std::to_string(
      static_cast<int>(std::chrono::year_month_day(today).year()) + 1);
}

using boost::beast::http::verb;
using nlohmann::json;

json Body(const HttpReply& reply) { return json::parse(reply.body); }

// The default definition with a certificate of merit that needs neither
// public comment nor a vote, so a nomination can be approved at once.
class QuickApprovalWorld {
 public:
  QuickApprovalWorld() : world_(Options()) {}
  ApiWorld& operator*() { return world_; }
  ApiWorld* operator->() { return &world_; }

 private:
  ServerProcessOptions Options() {
    json definition = DefaultDefinitionJson();
    for (json& form : definition["award_forms"]) {
      if (form["name"] == "giay_khen") {
        form["requires_public_comment"] = false;
        form["requires_council_vote"] = false;
      }
    }
    const std::string path = dir_.str() + "/workflow.json";
    std::ofstream(path) << definition.dump();
    return ServerProcessOptions{{}, {"--workflow", path}};
  }

  TempDir dir_;  // before world_: the file outlives the server
  ApiWorld world_;
};

json Nomination() {
  return {{"campaign_id", "gen"},
          {"nomination_kind", "quarterly"},
          {"period", "2026-Q4"},
          {"award_form", "giay_khen"},
          {"summary", "Giới thiệu quý IV"}};
}

json Appraisal() {
  return {{"criteria",
           {{{"criterion", "policy_compliance"}, {"met", true}},
            {{"criterion", "outstanding_achievement"}, {"met", true}}}}};
}

TEST(ApiMentorRuleTest, AFormerMentorMayNotApproveAfterReleasingThemselves) {
  QuickApprovalWorld world;
  world->Person("approver2", "approver", "d1");
  json detect = DetectFields();
  detect["exemplar_id"] = kLan;
  ASSERT_EQ(world->As("reporter", "/v1/exemplars", detect).status, 201);
  for (const auto& [user, action, body] :
       std::vector<std::tuple<std::string, std::string, json>>{
           {"nominator", "assign_mentor", {{"mentor_id", "approver"}}},
           {"nominator", "nominate", Nomination()},
           {"appraiser", "appraise", Appraisal()},
           {"approver", "release_mentor", {{"reason", "Thôi theo dõi"}}}}) {
    HttpReply reply =
        world->As(user, "/v1/exemplars/" + kLan + "/" + action, body);
    ASSERT_EQ(reply.status, 200) << action << ": " << reply.body;
  }
  const std::uint64_t head = world->Head();
  HttpReply refused = world->As(
      "approver", "/v1/exemplars/" + kLan + "/approve", json::object());
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Body(refused)["type"], "four_eyes_violation");
  EXPECT_EQ(world->Head(), head);
  // Anyone else holding the role may.
  HttpReply approved = world->As(
      "approver2", "/v1/exemplars/" + kLan + "/approve", json::object());
  EXPECT_EQ(approved.status, 200) << approved.body;
}

// The problem a command got, with the exemplar's id taken out of the
// detail, so answers about two ids can be compared.
json Shape(const HttpReply& reply, const std::string& id) {
  json shape = Body(reply);
  shape.erase("instance");
  shape["status_code"] = reply.status;
  std::string detail = shape.value("detail", "");
  for (size_t at; (at = detail.find(id)) != std::string::npos;) {
    detail.replace(at, id.size(), "<id>");
  }
  shape["detail"] = detail;
  return shape;
}

TEST(ApiCommandScopeTest, OutOfScopeAnswersLikeUnknownOnEveryActionRoute) {
  ApiWorld world;
  world.Person("approver_d2", "approver", "d2");
  world.Person("nominator_d2", "nominator", "c2");
  json detect = DetectFields();
  detect["exemplar_id"] = kLan;
  ASSERT_EQ(world.As("reporter", "/v1/exemplars", detect).status, 201);
  ASSERT_EQ(world
                .As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
                    {{"mentor_id", "mentor"}})
                .status,
            200);
  const std::uint64_t head = world.Head();
  const json definition = DefaultDefinitionJson();
  int compared = 0;
  for (const json& action : definition["actions"]) {
    if (action.value("creates", false)) continue;
    const std::string name = action["name"];
    for (const std::string user :
         {"reporter2", "approver_d2", "nominator_d2"}) {
      for (const Headers& headers :
           {Headers{}, Headers{{"If-Match", "\"7\""}},
            Headers{{"Idempotency-Key", "k-" + name}}}) {
        for (const json& body :
             {json::object(), json{{"reason", "x"}}, json{{"bogus", 1}}}) {
          HttpReply hidden = world.As(
              user, "/v1/exemplars/" + kLan + "/" + name, body, headers);
          HttpReply unknown =
              world.As(user, "/v1/exemplars/ghost/" + name, body, headers);
          EXPECT_EQ(hidden.status, 404) << name << " " << hidden.body;
          EXPECT_EQ(Shape(hidden, kLan), Shape(unknown, "ghost"))
              << user << " " << name;
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 200);
  EXPECT_EQ(world.Head(), head);
}

// The organisation's routes likewise: an admin of district d2 learns
// nothing of what lies outside it, and a user who is no admin is refused
// before any target is looked up.
TEST(ApiCommandScopeTest, OrganisationRoutesAnswerOutOfScopeLikeUnknown) {
  ApiWorld world;
  world.Person("admin_d2", "admin", "d2");
  json grant = world.Post("/v1/users/reporter/grants",
                          {{"role", "mentor"}, {"unit_id", "c1"}});
  const std::string grant_id = grant["grant_id"];
  HttpReply token =
      world.server().Request(verb::post, "/v1/users/reporter/tokens");
  const std::string token_id = Body(token)["token_id"];
  const std::uint64_t head = world.Head();
  struct Pair {
    std::string hidden, unknown;
    json body;
  };
  const std::vector<Pair> pairs = {
      {"/v1/units/c1/rename", "/v1/units/c9/rename", {{"name", "X"}}},
      {"/v1/units/d1/close", "/v1/units/d9/close", {{"reason", "x"}}},
      {"/v1/units/c1/move", "/v1/units/c9/move", {{"parent_id", "d2"}}},
      {"/v1/units",
       "/v1/units",
       {{"unit_id", "c8"}, {"name", "X"}, {"level", "commune"}}},
      {"/v1/users/reporter/deactivate",
       "/v1/users/ghost/deactivate",
       {{"reason", "x"}}},
      {"/v1/users/reporter/grants",
       "/v1/users/ghost/grants",
       {{"role", "mentor"}, {"unit_id", "c2"}}},
      {"/v1/users/reporter/grants/" + grant_id + "/revoke",
       "/v1/users/reporter/grants/g-none/revoke",
       {{"reason", "x"}}},
      {"/v1/campaigns/gen/close",
       "/v1/campaigns/none/close",
       {{"reason", "x"}}},
      {"/v1/users/reporter/tokens", "/v1/users/ghost/tokens", json::object()},
  };
  for (const Pair& pair : pairs) {
    json hidden_body = pair.body, unknown_body = pair.body;
    if (pair.hidden == "/v1/units") {
      hidden_body["parent_id"] = "d1";
      unknown_body["parent_id"] = "d9";
    }
    HttpReply hidden = world.As("admin_d2", pair.hidden, hidden_body);
    HttpReply unknown = world.As("admin_d2", pair.unknown, unknown_body);
    EXPECT_EQ(hidden.status, 404) << pair.hidden << " " << hidden.body;
    json hidden_shape = Body(hidden), unknown_shape = Body(unknown);
    EXPECT_EQ(hidden_shape["type"], unknown_shape["type"]) << pair.hidden;
    EXPECT_EQ(hidden_shape["field"], unknown_shape["field"]) << pair.hidden;
    // A user who is no admin is refused alike, known target or not.
    HttpReply by_reporter = world.As("reporter2", pair.hidden, hidden_body);
    HttpReply by_reporter_unknown =
        world.As("reporter2", pair.unknown, unknown_body);
    if (pair.hidden.ends_with("/tokens")) continue;  // their own business
    EXPECT_EQ(by_reporter.status, 403) << pair.hidden << by_reporter.body;
    EXPECT_EQ(Body(by_reporter), Body(by_reporter_unknown)) << pair.hidden;
  }
  HttpReply revoke_hidden = world.server().RequestWith(
      verb::delete_, "/v1/tokens/" + token_id,
      {{"Authorization", "Bearer " + world.token("admin_d2")}});
  HttpReply revoke_unknown = world.server().RequestWith(
      verb::delete_, "/v1/tokens/t-none",
      {{"Authorization", "Bearer " + world.token("admin_d2")}});
  EXPECT_EQ(revoke_hidden.status, 404) << revoke_hidden.body;
  EXPECT_EQ(Body(revoke_hidden)["type"], Body(revoke_unknown)["type"]);
  EXPECT_EQ(world.Head(), head);
}

TEST(ApiControlCharacterTest, OneLineFieldsRefuseControlCharacters) {
  ApiWorld world;
  const std::uint64_t head = world.Head();
  for (const std::string& name :
       {std::string("Lan\x1b[2J"), std::string("Lan\r\nX-Injected: 1"),
        std::string("Lan\0", 4), std::string("Lan\x7f"),
        std::string("Lan\xC2\x9B")}) {
    json detect = DetectFields();
    detect["name"] = name;
    HttpReply reply = world.As("reporter", "/v1/exemplars", detect);
    EXPECT_EQ(reply.status, 422) << reply.body;
    EXPECT_EQ(Body(reply)["type"], "validation_failed");
    EXPECT_EQ(Body(reply)["field"], "name");
  }
  HttpReply unit = world.server().Request(verb::post, "/v1/units",
                                          json{{"unit_id", "c9"},
                                               {"name", "Xã\nMới"},
                                               {"level", "commune"},
                                               {"parent_id", "d1"}}
                                              .dump());
  EXPECT_EQ(unit.status, 422) << unit.body;
  EXPECT_EQ(Body(unit)["field"], "name");
  EXPECT_EQ(world.Head(), head);
  // Free text keeps its lines.
  json detect = DetectFields();
  detect["summary"] = "Dòng 1\n\tDòng 2";
  EXPECT_EQ(world.As("reporter", "/v1/exemplars", detect).status, 201);
}

// The cells of an RFC 4180 CSV body (after the BOM), unquoted.
std::vector<std::string> CsvCells(const std::string& csv) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (size_t i = 3; i < csv.size(); ++i) {
    char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',' || c == '\n') {
      cells.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  return cells;
}

TEST(ApiCsvExportTest, EveryExportNeutralisesFormulas) {
  ApiWorld world;
  world.Person("reader", "auditor", "kh");
  world.Post("/v1/units", {{"unit_id", "c3"},
                           {"name", "=1+1"},
                           {"level", "commune"},
                           {"parent_id", "d1"}});
  const std::string formula = "=HYPERLINK(\"http://x\",\"Bấm\")";
  json detect = DetectFields();
  detect["exemplar_id"] = kLan;
  detect["name"] = formula;
  ASSERT_EQ(world.As("reporter", "/v1/exemplars", detect).status, 201);
  ASSERT_EQ(world
                .As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
                    {{"mentor_id", "mentor"}})
                .status,
            200);
  ASSERT_EQ(
      world.As("nominator", "/v1/exemplars/" + kLan + "/nominate", Nomination())
          .status,
      200);
  HttpReply rejected = world.As("approver", "/v1/exemplars/" + kLan + "/reject",
                                {{"reason", "+cmd|' /C calc'!A0"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  const std::string wait =
      "min_position=" +
      std::to_string(Body(rejected)["position"].get<std::uint64_t>());
  const std::vector<std::pair<std::string, std::string>> exports = {
      {"/v1/exemplars?" + wait, "'" + formula},
      {"/v1/ledger?" + wait, "'+cmd|' /C calc'!A0"},
      {"/v1/reports/quotas?year=2026&" + wait, "'=1+1"},
      // A quarter whose deadline is still ahead, so that the commune made
      // just now was open on it and has its row.
      {"/v1/reports/deadlines?year=" + NextYear() + "&quarter=1&" + wait,
       "'=1+1"},
      {"/v1/reports/follow-up?" + wait, ""}};
  for (const auto& [target, expected] : exports) {
    HttpReply csv = world.server().RequestWith(
        verb::get, target,
        {{"Authorization", "Bearer " + world.token("reader")},
         {"Accept", "text/csv"}});
    ASSERT_EQ(csv.status, 200) << target << " " << csv.body;
    std::vector<std::string> cells = CsvCells(csv.body);
    for (const std::string& cell : cells) {
      EXPECT_TRUE(cell.empty() ||
                  std::string("=+-@\t\r").find(cell[0]) == std::string::npos)
          << target << ": " << cell;
    }
    if (!expected.empty()) {
      EXPECT_NE(std::find(cells.begin(), cells.end(), expected), cells.end())
          << target << "\n"
          << csv.body;
    }
  }
}

}  // namespace
}  // namespace exemplar::testing
