// What a newcomer does with the demo province, against the real binary: read
// an exemplar's version and send it back as If-Match, find the campaign's
// criteria, and appraise with them (an unknown criterion is refused naming
// its place in the body).
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/support/demo_world.h"

namespace exemplar::testing {
namespace {

using boost::beast::http::verb;
using nlohmann::json;

using DemoReadsTest = DemoWorldTest;

std::string Today() {
  return CivilDate::AtInstant(SystemClockMicros(), 420).ToString();
}

TEST_F(DemoReadsTest, TheViewsETagIsWhatIfMatchTakes) {
  DemoWorld& world = *world_;
  const std::string id =
      world.FirstIn("mentor-camlam-1", "nurturing", "camlam-1");
  const std::string path = "/v1/exemplars/" + id;
  HttpReply view = world.Get("mentor-camlam-1", path);
  ASSERT_EQ(view.status, 200) << view.body;
  const std::uint64_t version = Body(view)["version"];
  const std::string etag = "\"" + std::to_string(version) + "\"";
  EXPECT_EQ(view.headers["ETag"], etag);

  const json visit = {{"visit_date", Today()}, {"notes", "Hướng dẫn sổ sách"}};
  HttpReply logged = world.Post("mentor-camlam-1", path + "/log_support_visit",
                                visit, {{"If-Match", view.headers["ETag"]}});
  ASSERT_EQ(logged.status, 200) << logged.body;
  const std::string next = "\"" + std::to_string(version + 1) + "\"";
  EXPECT_EQ(logged.headers["ETag"], next);
  EXPECT_EQ(Body(logged)["version"], version + 1);

  HttpReply stale = world.Post("mentor-camlam-1", path + "/log_support_visit",
                               visit, {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(Body(stale)["type"], "version_conflict");
  EXPECT_EQ(Body(stale)["current_version"], version + 1);

  // The read side answers the command's version, and 304 while it holds.
  HttpReply current = world.Get(
      "mentor-camlam-1",
      path + "?min_position=" +
          std::to_string(Body(logged)["position"].get<std::uint64_t>()));
  ASSERT_EQ(current.status, 200) << current.body;
  EXPECT_EQ(current.headers["ETag"], next);
  EXPECT_EQ(Body(current)["version"], version + 1);
  HttpReply unchanged =
      world.Get("mentor-camlam-1", path, {{"If-None-Match", next}});
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
  EXPECT_EQ(unchanged.headers["ETag"], next);
  HttpReply changed =
      world.Get("mentor-camlam-1", path, {{"If-None-Match", etag}});
  EXPECT_EQ(changed.status, 200);
}

TEST_F(DemoReadsTest, ACommuneSeesItsProvincesCampaignsAndTheAuditorAll) {
  DemoWorld& world = *world_;
  auto ids = [&](const std::string& user) {
    HttpReply list = world.Get(user, "/v1/campaigns");
    EXPECT_EQ(list.status, 200) << list.body;
    std::set<std::string> out;
    const json body = Body(list);
    for (const json& campaign : body["campaigns"]) {
      out.insert(campaign["campaign_id"]);
    }
    return out;
  };
  EXPECT_EQ(ids("reporter-camlam-1"),
            (std::set<std::string>{"gen-2025", "pn-2025"}));
  EXPECT_EQ(ids("auditor-kh"),
            (std::set<std::string>{"gd-2025", "gen-2025", "pn-2025"}));
  // The education department's movement concerns its own units only.
  EXPECT_EQ(world.Get("reporter-camlam-1", "/v1/campaigns/gd-2025").status,
            404);
  HttpReply workflow = world.Get("reporter-camlam-1", "/v1/workflow");
  ASSERT_EQ(workflow.status, 200) << workflow.body;
  EXPECT_EQ(Body(workflow)["name"], "exemplar");
  HttpReply sets = world.Get("reporter-camlam-1", "/v1/criteria-sets");
  ASSERT_EQ(sets.status, 200) << sets.body;
  EXPECT_EQ(Body(sets)["criteria_sets"].size(),
            Body(workflow)["criteria_sets"].size());
}

TEST_F(DemoReadsTest, AnAppraisalTakesTheCampaignsCriteriaAndNoOther) {
  DemoWorld& world = *world_;
  const std::string id =
      world.FirstIn("nominator-camlam-1", "nurturing", "camlam-1");
  const std::string path = "/v1/exemplars/" + id;
  const std::string date = Today();
  const std::string quarter =
      date.substr(0, 4) + "-Q" +
      std::to_string((std::stoi(date.substr(5, 2)) - 1) / 3 + 1);
  HttpReply nominated = world.Post("nominator-camlam-1", path + "/nominate",
                                   {{"campaign_id", "gen-2025"},
                                    {"nomination_kind", "quarterly"},
                                    {"period", quarter},
                                    {"award_form", "giay_khen"},
                                    {"summary", "Giới thiệu điển hình"}});
  ASSERT_EQ(nominated.status, 200) << nominated.body;

  HttpReply campaign =
      world.Get("appraiser-camlam-1", "/v1/campaigns/gen-2025");
  ASSERT_EQ(campaign.status, 200) << campaign.body;
  json criteria = json::array();
  const json detail = Body(campaign);
  for (const json& criterion : detail["criteria"]) {
    if (criterion["mandatory"]) {
      criteria.push_back({{"criterion", criterion["id"]}, {"met", true}});
    }
  }
  ASSERT_FALSE(criteria.empty());
  json unknown = criteria;
  unknown.push_back({{"criterion", "C9"}, {"met", true}});
  HttpReply refused = world.Post("appraiser-camlam-1", path + "/appraise",
                                 {{"criteria", unknown}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Body(refused)["type"], "validation_failed");
  EXPECT_EQ(
      Body(refused)["field"],
      json("criteria[" + std::to_string(criteria.size()) + "].criterion"));

  HttpReply appraised = world.Post("appraiser-camlam-1", path + "/appraise",
                                   {{"criteria", criteria}});
  EXPECT_EQ(appraised.status, 200) << appraised.body;
}

// The demo's history is dated 2025–2026 and the log's times run in order
// (its admin token too is issued after the history), so a report as of a
// past day counts what was done by then.
TEST_F(DemoReadsTest, AReportAsOfAPastDayCountsThatDaysWork) {
  DemoWorld& world = *world_;
  auto nominated = [&](const std::string& query) {
    HttpReply quotas = world.Get(
        "auditor-kh",
        "/v1/reports/quotas?year=2026&min_position=" + world.head() + query);
    EXPECT_EQ(quotas.status, 200) << quotas.body;
    int total = 0;
    const json body = Body(quotas);
    for (const json& row : body["rows"]) {
      total += row["nominated"].get<int>();
    }
    return total;
  };
  const int by_june = nominated("&as_of=2026-06-30");
  EXPECT_GT(by_june, 0);
  EXPECT_GE(nominated(""), by_june);

  HttpReply deadlines =
      world.Get("auditor-kh",
                "/v1/reports/deadlines?year=2026&quarter=2&as_of=2026-06-30");
  ASSERT_EQ(deadlines.status, 200) << deadlines.body;
  EXPECT_FALSE(Body(deadlines)["rows"].empty());
  EXPECT_EQ(Body(deadlines)["lead_bloc_choices"],
            json::parse(R"([{"value": "education", "vi": "Giáo dục",
                             "en": "Education"}])"));
  HttpReply sheet =
      world.Get("auditor-kh", "/v1/reports/deadlines?year=2026&quarter=2",
                {{"Accept", "text/csv"}});
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  EXPECT_NE(sheet.body.find("lead_blocs_vi"), std::string::npos);
  EXPECT_NE(sheet.body.find("Giáo dục"), std::string::npos);
}

// A user's tokens are listed to an admin over them and to the user, never
// with their secrets; revoking one shows in the list.
TEST_F(DemoReadsTest, AnAdminListsAUsersTokensAndSeesARevocation) {
  DemoWorld& world = *world_;
  const std::string path = "/v1/users/reporter-camlam-1/tokens";
  HttpReply issued = world.Post("admin", path, {{"expires_in_days", 30}});
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string token_id = Body(issued)["token_id"];
  auto listed = [&](const std::string& user) {
    HttpReply list = world.Get(user, path);
    EXPECT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body.find("exm_"), std::string::npos) << "a secret";
    std::map<std::string, json> by_id;
    const json body = Body(list);
    for (const json& token : body["tokens"]) {
      by_id[token["token_id"]] = token;
    }
    return by_id;
  };
  std::map<std::string, json> tokens = listed("admin");
  ASSERT_EQ(tokens.count(token_id), 1u);
  EXPECT_EQ(tokens[token_id]["state"], "active");
  EXPECT_EQ(tokens.size(), 2u);                       // the demo's and this one
  EXPECT_EQ(listed("reporter-camlam-1").size(), 2u);  // their own

  HttpReply revoked = world.Delete("admin", "/v1/tokens/" + token_id);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  tokens = listed("admin");
  EXPECT_EQ(tokens[token_id]["state"], "revoked");
  EXPECT_TRUE(tokens[token_id].contains("revoked_at"));

  // Another user's tokens: refused to a peer of the unit, unknown to one
  // who cannot see the user, as is a user who does not exist.
  EXPECT_EQ(world.Get("mentor-camlam-1", path).status, 403);
  EXPECT_EQ(
      world.Get("reporter-camlam-1", "/v1/users/auditor-vn/tokens").status,
      404);
  EXPECT_EQ(world.Get("admin", "/v1/users/nobody/tokens").status, 404);
}

}  // namespace
}  // namespace exemplar::testing
