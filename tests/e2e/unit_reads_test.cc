// The units over HTTP across their history: search by a former name, a
// unit's lineage (out of sight as unknown), the reorganisation report in
// JSON and CSV, and the definition's dated minimums at /v1/workflow.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/api_test_world.h"

namespace exemplar::testing {
namespace {

using boost::beast::http::verb;
using nlohmann::json;

HttpReply Get(ApiWorld& world, const std::string& user,
              const std::string& target, Headers headers = {}) {
  headers.emplace_back("Authorization", "Bearer " + world.token(user));
  return world.server().RequestWith(verb::get, target, headers);
}

TEST(UnitReadsTest, AUnitIsFoundByAFormerNameWithoutDiacritics) {
  ApiWorld world;
  world.Post("/v1/units/c1/rename", {{"name", "Xã Cam Hải"}});
  const std::string wait = "&min_position=" + std::to_string(world.Head());
  HttpReply found =
      Get(world, "reporter", "/v1/units?q=CAM%20HAI%20TAY" + wait);
  ASSERT_EQ(found.status, 200) << found.body;
  const json units = json::parse(found.body)["units"];
  ASSERT_EQ(units.size(), 1u) << found.body;
  EXPECT_EQ(units[0]["id"], "c1");
  EXPECT_EQ(units[0]["name"], "Xã Cam Hải");
  EXPECT_EQ(units[0]["matched_name"], "Xã Cam Hải Tây");
  EXPECT_EQ(units[0]["former_names"], json::array({"Xã Cam Hải Tây"}));
  EXPECT_TRUE(units[0]["through"].is_null());
  // Out of the reader's scope: not found.
  HttpReply other = Get(world, "reporter", "/v1/units?q=dien%20an" + wait);
  ASSERT_EQ(other.status, 200);
  EXPECT_TRUE(json::parse(other.body)["units"].empty()) << other.body;
}

TEST(UnitReadsTest, ALineageOutOfSightAnswersAsAnUnknownUnit) {
  ApiWorld world;
  HttpReply own = Get(world, "reporter", "/v1/units/c1/lineage");
  ASSERT_EQ(own.status, 200) << own.body;
  const json lineage = json::parse(own.body);
  EXPECT_EQ(lineage["unit"]["id"], "c1");
  EXPECT_TRUE(lineage["predecessors"].empty());
  EXPECT_TRUE(lineage["reorganisations"].empty());
  for (const char* unit : {"c2", "nowhere"}) {
    HttpReply hidden =
        Get(world, "reporter", std::string("/v1/units/") + unit + "/lineage");
    EXPECT_EQ(hidden.status, 404) << hidden.body;
    EXPECT_EQ(json::parse(hidden.body)["field"], "id") << hidden.body;
  }
}

TEST(UnitReadsTest, TheReorganisationReportAnswersJsonAndCsv) {
  ApiWorld world;
  HttpReply report = Get(world, "approver", "/v1/reports/reorganisation");
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_TRUE(json::parse(report.body)["items"].empty());
  HttpReply sheet = Get(world, "approver", "/v1/reports/reorganisation",
                        {{"Accept", "text/csv"}});
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  EXPECT_NE(sheet.body.find("category (loại việc cần xử lý)"),
            std::string::npos);
  EXPECT_NE(sheet.body.find("successor units (đơn vị kế thừa)"),
            std::string::npos);
}

TEST(UnitReadsTest, TheWorkflowShowsTheMinimumsPeriods) {
  ApiWorld world;
  HttpReply workflow = Get(world, "reporter", "/v1/workflow");
  ASSERT_EQ(workflow.status, 200);
  const json body = json::parse(workflow.body);
  EXPECT_EQ(body["part_year"], "pro_rata_months");
  EXPECT_EQ(body["quotas"][0]["unit_level"], "district");
  EXPECT_EQ(body["quotas"][0]["until"], "2025-07-01");
  EXPECT_FALSE(body["quotas"][0].contains("from"));
  EXPECT_EQ(body["quotas"][2]["from"], "2025-07-01");
  EXPECT_EQ(body["quotas"][2]["takes_over"], "district");
  EXPECT_EQ(body["deadlines"]["annual_registration"][3]["unit_level"],
            "province");
  EXPECT_EQ(body["deadlines"]["annual_registration"][3]["from"], "2025-07-01");
}

}  // namespace
}  // namespace exemplar::testing
