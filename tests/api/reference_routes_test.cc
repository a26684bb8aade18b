// The reference routes: the workflow's public part, its criteria sets, and
// the campaigns that concern the caller, each read under the read scope.
#include "api/reference_routes.h"

#include <gtest/gtest.h>

#include <set>

#include "api/bootstrap.h"
#include "events/clock.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

constexpr std::int64_t kMinute = 60LL * 1000 * 1000;

// vn ─ kh ─┬─ d1 ── c1
//          └─ d2 ── c2
// Campaigns at kh (gen), d1, d2 and c1; a reporter at c1, an appraiser at
// d1, an auditor at vn, and a registered user without a grant.
class ReferenceRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(EventStore::Open(dir_.str())).value();
    handler_ = std::make_unique<CommandHandler>(store_.get(), &definition_);
    tokens_ = std::move(TokenRegistry::Load(store_.get())).value();
    ASSERT_TRUE(BootstrapIfEmpty(*store_, *handler_, *tokens_, "", now_).ok());
    for (const auto& [id, level, parent] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"kh", "province", "vn"},
             {"d1", "district", "kh"},
             {"d2", "district", "kh"},
             {"c1", "commune", "d1"},
             {"c2", "commune", "d2"}}) {
      System(UnitCreated{id, "Đơn vị " + id, level, parent});
    }
    for (const auto& [user, role, unit] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"reporter", "reporter", "c1"},
             {"appraiser", "appraiser", "d1"},
             {"auditor", "auditor", "vn"}}) {
      System(UserRegistered{user, "Cán bộ " + user, unit});
      System(RoleGranted{"g-" + user, user, role, unit, now_, 0});
    }
    System(UserRegistered{"nobody", "Chưa phân quyền", "c1"});
    for (const auto& [id, unit, set] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"gen", "kh", "general"},
             {"camp-d1", "d1", "general"},
             {"camp-d2", "d2", "womens_union"},
             {"camp-c1", "c1", "general"}}) {
      System(CampaignLaunched{id, "Phong trào " + id, unit,
                              CivilDate::FromYmd(2025, 1, 1),
                              CivilDate::FromYmd(2030, 12, 31), set});
    }
    System(CampaignClosed{"camp-c1", "Kết thúc"});
    // The caller is named by a header instead of a token.
    router_.SetGuard([](const Request& request,
                        RequestContext& context) -> std::optional<Response> {
      context.user_id = std::string(request["X-Test-User"]);
      return std::nullopt;
    });
    AddReferenceRoutes(router_, definition_, *handler_);
  }

  void System(SystemAction action) {
    now_ += kMinute;
    auto done = handler_->Handle(SystemCommand{
        std::move(action), Actor{"admin", "admin", "vn"}, now_, "test", ""});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }

  // GET `target` as `user`: the status and the parsed body.
  std::pair<int, json> Get(const std::string& user, const std::string& target) {
    Request request(http::verb::get, target, 11);
    request.set("X-Test-User", user);
    Reply reply = router_.Dispatch(request);
    return {static_cast<int>(reply.response.result_int()),
            json::parse(reply.response.body())};
  }

  std::set<std::string> CampaignsOf(const std::string& user) {
    auto [status, body] = Get(user, "/v1/campaigns");
    EXPECT_EQ(status, 200) << body;
    std::set<std::string> ids;
    for (const json& campaign : body["campaigns"]) {
      ids.insert(campaign["campaign_id"]);
    }
    return ids;
  }

  testing::TempDir dir_;
  std::int64_t now_ = SystemClockMicros() - 60 * kMinute;
  const Definition& definition_ = testing::DefaultDefinition();
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<CommandHandler> handler_;
  std::unique_ptr<TokenRegistry> tokens_;
  Router router_;
};

TEST_F(ReferenceRoutesTest, ACallerSeesTheCampaignsAboveAndWithinTheirUnits) {
  EXPECT_EQ(CampaignsOf("reporter"),
            (std::set<std::string>{"gen", "camp-d1", "camp-c1"}));
  EXPECT_EQ(CampaignsOf("appraiser"),
            (std::set<std::string>{"gen", "camp-d1", "camp-c1"}));
  EXPECT_EQ(CampaignsOf("auditor"),
            (std::set<std::string>{"gen", "camp-d1", "camp-d2", "camp-c1"}));
}

TEST_F(ReferenceRoutesTest, ACampaignShowsItsPeriodStateAndCriteria) {
  auto [status, gen] = Get("reporter", "/v1/campaigns/gen");
  ASSERT_EQ(status, 200) << gen;
  EXPECT_EQ(gen["unit_id"], "kh");
  EXPECT_EQ(gen["period_start"], "2025-01-01");
  EXPECT_EQ(gen["period_end"], "2030-12-31");
  EXPECT_EQ(gen["criteria_set"], "general");
  EXPECT_TRUE(gen["open"]);
  EXPECT_TRUE(gen["closed_at"].is_null());
  const CriteriaSet* general = definition_.FindCriteriaSet("general");
  ASSERT_EQ(gen["criteria"].size(), general->criteria.size());
  EXPECT_EQ(gen["criteria"][0]["id"], json(general->criteria[0].id));
  EXPECT_EQ(gen["criteria"][0]["mandatory"], general->criteria[0].mandatory);

  auto [closed_status, closed] = Get("reporter", "/v1/campaigns/camp-c1");
  ASSERT_EQ(closed_status, 200) << closed;
  EXPECT_FALSE(closed["open"]);
  EXPECT_TRUE(closed["closed_at"].is_string());
}

TEST_F(ReferenceRoutesTest, ACampaignOutOfConcernAnswersAsAnUnknownOne) {
  auto [other, other_body] = Get("reporter", "/v1/campaigns/camp-d2");
  auto [unknown, unknown_body] = Get("reporter", "/v1/campaigns/nope");
  EXPECT_EQ(other, 404);
  EXPECT_EQ(unknown, 404);
  EXPECT_EQ(other_body["type"], unknown_body["type"]);
  EXPECT_EQ(Get("auditor", "/v1/campaigns/camp-d2").first, 200);
}

TEST_F(ReferenceRoutesTest, ACallerWithoutAGrantReadsNothing) {
  for (const char* target : {"/v1/campaigns", "/v1/campaigns/gen",
                             "/v1/criteria-sets", "/v1/workflow"}) {
    auto [status, body] = Get("nobody", target);
    EXPECT_EQ(status, 403) << target;
    EXPECT_EQ(body["type"], "forbidden") << target;
  }
}

TEST_F(ReferenceRoutesTest, TheWorkflowShowsWhatACommandNeeds) {
  auto [status, workflow] = Get("reporter", "/v1/workflow");
  ASSERT_EQ(status, 200) << workflow;
  EXPECT_EQ(workflow["name"], json(definition_.name));
  EXPECT_EQ(workflow["version"], definition_.version);
  EXPECT_EQ(workflow["states"].size(), definition_.states.size());
  EXPECT_EQ(workflow["roles"].size(), definition_.roles.size());
  ASSERT_EQ(workflow["actions"].size(), definition_.actions.size());
  EXPECT_EQ(workflow["criteria_sets"].size(), definition_.criteria_sets.size());
  EXPECT_EQ(workflow["award_forms"].size(), definition_.award_forms.size());
  EXPECT_EQ(workflow["rules"].size(), definition_.rules.size());
  EXPECT_FALSE(workflow.contains("read_side"));
  const ActionSpec* nominate = definition_.FindAction("nominate");
  for (const json& action : workflow["actions"]) {
    if (action["name"] != "nominate") continue;
    EXPECT_EQ(action["roles"], json(nominate->roles));
    EXPECT_EQ(action["from"], json(nominate->from));
    EXPECT_EQ(action["to"], json(*nominate->to));
    EXPECT_EQ(action["effects"]["starts_cycle"], true);
    ASSERT_EQ(action["fields"].size(), nominate->fields.size());
    EXPECT_EQ(action["fields"][0]["name"], "campaign_id");
    EXPECT_EQ(action["fields"][0]["type"], "campaign");
    EXPECT_EQ(action["fields"][0]["required"], true);
  }
  bool criteria_known = false;
  for (const json& rule : workflow["rules"]) {
    if (rule["kind"] == "criteria_known") {
      criteria_known = true;
      EXPECT_EQ(rule["actions"], json::array({"appraise"}));
      EXPECT_EQ(rule["criteria_field"], "criteria");
    }
  }
  EXPECT_TRUE(criteria_known);
}

TEST_F(ReferenceRoutesTest, TheWorkflowGivesEveryFieldChoiceAndRuleItsTexts) {
  auto [status, workflow] = Get("reporter", "/v1/workflow");
  ASSERT_EQ(status, 200) << workflow;
  for (const json& action : workflow["actions"]) {
    for (const json& field : action["fields"]) {
      EXPECT_FALSE(field["vi"].get<std::string>().empty()) << field.dump();
      EXPECT_FALSE(field["en"].get<std::string>().empty()) << field.dump();
      if (!field.contains("values")) continue;
      ASSERT_EQ(field["choices"].size(), field["values"].size());
      for (std::size_t i = 0; i < field["values"].size(); ++i) {
        EXPECT_EQ(field["choices"][i]["value"], field["values"][i]);
        EXPECT_FALSE(field["choices"][i]["vi"].get<std::string>().empty());
      }
    }
  }
  const json detect = workflow["actions"][0];
  ASSERT_EQ(detect["name"], "detect");
  EXPECT_EQ(detect["fields"][0]["vi"], "Loại đối tượng");
  EXPECT_EQ(
      detect["fields"][0]["choices"][1],
      json({{"value", "collective"}, {"vi", "Tập thể"}, {"en", "Collective"}}));
  for (const json& rule : workflow["rules"]) {
    EXPECT_FALSE(rule["vi"].get<std::string>().empty()) << rule.dump();
    EXPECT_FALSE(rule["en"].get<std::string>().empty()) << rule.dump();
  }
  EXPECT_EQ(workflow["rules"][1]["vi"],
            "Người phê duyệt không được là người đã thẩm định điển hình này");
}

TEST_F(ReferenceRoutesTest, CriteriaSetsAreTheDefinitions) {
  auto [status, body] = Get("appraiser", "/v1/criteria-sets");
  ASSERT_EQ(status, 200) << body;
  ASSERT_EQ(body["criteria_sets"].size(), definition_.criteria_sets.size());
  const CriteriaSet& wu = *definition_.FindCriteriaSet("womens_union");
  for (const json& set : body["criteria_sets"]) {
    if (set["name"] != "womens_union") continue;
    EXPECT_EQ(set["en"], json(wu.label.en));
    ASSERT_EQ(set["conditions"].size(), wu.conditions.size());
    EXPECT_EQ(set["conditions"][0]["min"], *wu.conditions[0].min);
    EXPECT_EQ(set["criteria"].back()["subject_kinds"],
              json(wu.criteria.back().subject_kinds));
  }
}

}  // namespace
}  // namespace exemplar::api
