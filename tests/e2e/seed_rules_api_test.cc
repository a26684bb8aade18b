// The seeds' rules over HTTP against the real binary: the eight criteria of
// a "5 không, 3 sạch" household and the detection sources as the reference
// routes show them, the exemplar's own words recorded on their behalf, a
// partner that must exist, and the body a campaign names to decide it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/api_test_world.h"
#include "tests/support/opaque_id.h"

namespace exemplar {
namespace {

const std::string kLan = testing::OpaqueId("lan");
const std::string kXa = testing::OpaqueId("xa");
const std::string kHoa = testing::OpaqueId("hoa");

using boost::beast::http::verb;
using nlohmann::json;
using testing::ApiWorld;
using testing::DetectFields;
using testing::HttpReply;

json Body(const HttpReply& reply) { return json::parse(reply.body); }

HttpReply Get(ApiWorld& world, const std::string& user,
              const std::string& target) {
  return world.server().RequestWith(
      verb::get, target, {{"Authorization", "Bearer " + world.token(user)}},
      "");
}

json Detected(ApiWorld& world, const std::string& id) {
  json fields = DetectFields();
  fields["exemplar_id"] = id;
  HttpReply detected = world.As("reporter", "/v1/exemplars", fields);
  EXPECT_EQ(detected.status, 201) << detected.body;
  return Body(detected);
}

TEST(SeedRulesApiTest, TheReferenceRoutesShowTheCriteriaSourcesAndBodies) {
  ApiWorld world;
  HttpReply sets = Get(world, "reporter", "/v1/criteria-sets");
  ASSERT_EQ(sets.status, 200) << sets.body;
  int household = 0;
  const json body = Body(sets);
  for (const json& set : body["criteria_sets"]) {
    if (set["name"] != "womens_union") continue;
    for (const json& criterion : set["criteria"]) {
      const std::string id = criterion["id"];
      if (id.starts_with("wu_household_no_") ||
          id.starts_with("wu_household_clean_")) {
        ++household;
        EXPECT_FALSE(criterion["vi"].get<std::string>().empty()) << id;
      }
    }
  }
  EXPECT_EQ(household, 8);
  json workflow = Body(Get(world, "reporter", "/v1/workflow"));
  std::set<std::string> sources;
  for (const json& action : workflow["actions"]) {
    if (action["name"] != "detect") continue;
    for (const json& field : action["fields"]) {
      if (field["name"] != "source") continue;
      for (const json& choice : field["choices"])
        sources.insert(choice["value"]);
    }
  }
  for (const char* source :
       {"branch_report", "branch_adhoc_report", "commune_inspection",
        "district_field_visit", "mass_media"}) {
    EXPECT_TRUE(sources.count(source)) << source << " " << workflow.dump();
  }
  ASSERT_EQ(workflow["deciding_bodies"].size(), 2u);
  EXPECT_EQ(workflow["deciding_bodies"][1]["roles"],
            json::array({"standing_committee"}));
}

TEST(SeedRulesApiTest, TheExemplarsOwnWordsAreRecordedAsTheirs) {
  ApiWorld world;
  Detected(world, kLan);
  ASSERT_EQ(world
                .As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
                    {{"mentor_id", "mentor"}})
                .status,
            200);
  const json experience = {{"title", "Kinh nghiệm nuôi tôm"},
                           {"content", "Chúng tôi chọn giống kỹ."},
                           {"on_behalf_of", kLan}};
  HttpReply written = world.As(
      "mentor", "/v1/exemplars/" + kLan + "/document_experience", experience);
  ASSERT_EQ(written.status, 200) << written.body;
  HttpReply event = world.server().Request(
      verb::get, "/v1/events?limit=1&from=" +
                     std::to_string(Body(written)["position"].get<int>()));
  json recorded = Body(event)["events"][0];
  EXPECT_EQ(recorded["on_behalf_of"], kLan);
  EXPECT_EQ(recorded["actor"]["user_id"], "mentor");
  HttpReply view = Get(world, "mentor", "/v1/exemplars/" + kLan);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_NE(view.body.find("\"on_behalf_of\":\"" + kLan + "\""),
            std::string::npos)
      << view.body;

  const std::uint64_t head = world.Head();
  HttpReply elsewhere =
      world.As("mentor", "/v1/exemplars/" + kLan + "/log_support_visit",
               {{"visit_date", "2026-01-05"},
                {"notes", "Thăm hỏi"},
                {"on_behalf_of", kLan}});
  EXPECT_EQ(elsewhere.status, 422) << elsewhere.body;
  EXPECT_EQ(Body(elsewhere)["type"], "on_behalf_of_not_allowed");
  EXPECT_EQ(Body(elsewhere)["field"], "on_behalf_of");
  json someone_else = experience;
  someone_else["on_behalf_of"] = kHoa;
  HttpReply other = world.As(
      "mentor", "/v1/exemplars/" + kLan + "/document_experience", someone_else);
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(Body(other)["field"], "on_behalf_of");
  someone_else["on_behalf_of"] = 7;
  EXPECT_EQ(world
                .As("mentor", "/v1/exemplars/" + kLan + "/document_experience",
                    someone_else)
                .status,
            422);
  EXPECT_EQ(world.Head(), head);
}

TEST(SeedRulesApiTest, AnEmulationPartnerExistsWhereTheActorSees) {
  ApiWorld world;
  Detected(world, kLan);
  Detected(world, kHoa);
  json far = DetectFields("c2");
  far["exemplar_id"] = kXa;
  ASSERT_EQ(world.As("reporter2", "/v1/exemplars", far).status, 201);
  ASSERT_EQ(world
                .As("nominator", "/v1/exemplars/" + kLan + "/assign_mentor",
                    {{"mentor_id", "mentor"}})
                .status,
            200);
  for (const std::string& partner : {std::string("nobody"), kXa}) {
    HttpReply refused = world.As(
        "mentor", "/v1/exemplars/" + kLan + "/register_emulation",
        {{"partner_exemplar_id", partner}, {"pledge", "Cùng thi đua"}});
    EXPECT_EQ(refused.status, 422) << partner << " " << refused.body;
    EXPECT_EQ(Body(refused)["field"], "partner_exemplar_id");
  }
  HttpReply registered =
      world.As("mentor", "/v1/exemplars/" + kLan + "/register_emulation",
               {{"partner_exemplar_id", kHoa}, {"pledge", "Cùng thi đua"}});
  EXPECT_EQ(registered.status, 200) << registered.body;
}

TEST(SeedRulesApiTest, ACampaignNamesTheBodyThatDecidesIt) {
  ApiWorld world;
  json campaign = {{"campaign_id", "pn"},
                   {"name", "Phụ nữ tích cực học tập"},
                   {"unit_id", "kh"},
                   {"period_start", "2020-01-01"},
                   {"period_end", "2030-12-31"},
                   {"criteria_set", "womens_union"},
                   {"deciding_body", "party_cell"}};
  HttpReply unknown =
      world.server().Request(verb::post, "/v1/campaigns", campaign.dump());
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(Body(unknown)["type"], "unknown_deciding_body");
  EXPECT_EQ(Body(unknown)["field"], "deciding_body");
  campaign["deciding_body"] = "wu_standing_committee";
  world.Post("/v1/campaigns", campaign);
  json union_campaign = Body(Get(world, "reporter", "/v1/campaigns/pn"));
  EXPECT_EQ(union_campaign["deciding_body"]["name"], "wu_standing_committee");
  json government = Body(Get(world, "reporter", "/v1/campaigns/gen"));
  EXPECT_EQ(government["deciding_body"]["name"], "emulation_council");
}

}  // namespace
}  // namespace exemplar
