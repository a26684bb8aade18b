// Acting on an exemplar, against the real binary on the demo province: the
// actions route offers what the engine would take and, for the rest, the
// refusal the command itself would answer, in Vietnamese and English; the
// demo's nominator who also approves is refused the approval of what they
// nominated (four-eyes) while the district's approver may give it; the
// CSV exports carry the Vietnamese labels beside the codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/support/demo_world.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;

constexpr const char* kDualRole = "nominator-approver-camlam-1";
constexpr const char* kExemplar = "dh-four-eyes";
constexpr const char* kFourEyesVi =
    "Người thẩm định, người phê duyệt không được là người đã giới thiệu điển "
    "hình này";

class DemoActionsTest : public DemoWorldTest {
 protected:
  // The action `name` of an actions answer.
  static json ActionOf(const json& answer, const std::string& name) {
    for (const json& action : answer["actions"]) {
      if (action["action"] == name) return action;
    }
    ADD_FAILURE() << "no action " << name << " in " << answer.dump();
    return json::object();
  }

  // The first `count` exemplars of `unit` that `user` sees.
  static std::vector<std::string> Under(const std::string& user,
                                        const std::string& unit,
                                        int count = 1) {
    HttpReply list = world_->Get(
        user, "/v1/exemplars?limit=" + std::to_string(count) + "&unit=" + unit +
                  "&min_position=" + world_->head());
    EXPECT_EQ(list.status, 200) << list.body;
    std::vector<std::string> ids;
    const json body = Body(list);
    for (const json& item : body["items"]) ids.push_back(item["id"]);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(count)) << list.body;
    return ids;
  }
};

TEST_F(DemoActionsTest, AnExemplarTheCallerMayNotSeeIsNotFound) {
  DemoWorld& world = *world_;
  const std::vector<std::string> ids = Under("approver-camlam-5", "camlam-5");
  ASSERT_EQ(ids.size(), 1u);
  const std::string elsewhere = ids[0];
  HttpReply unseen =
      world.Get("reporter-camlam-1", "/v1/exemplars/" + elsewhere + "/actions");
  EXPECT_EQ(unseen.status, 404) << unseen.body;
  EXPECT_EQ(Body(unseen)["type"], "exemplar_not_found");
  HttpReply unknown =
      world.Get("reporter-camlam-1", "/v1/exemplars/dh-none/actions");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Body(unknown)["type"], "exemplar_not_found");
  EXPECT_EQ(
      world.Get("approver-camlam-5", "/v1/exemplars/" + elsewhere + "/actions")
          .status,
      200);
}

// For several users and exemplars, every action refused on the route is
// refused by the command with the same code. The commands are sent with no
// fields: every refusal the route gives but a rule's comes before the
// fields, and approve takes none that are required.
TEST_F(DemoActionsTest, ARefusedActionIsTheCommandsRefusal) {
  DemoWorld& world = *world_;
  std::vector<std::string> exemplars =
      Under("approver-camlam-1", "camlam-1", 3);
  exemplars.push_back(kExemplar);
  std::set<std::string> codes;
  for (const char* user :
       {"reporter-camlam-1", "mentor-camlam-1", "nominator-camlam-1",
        "appraiser-camlam-1", "propagandist-camlam-1", kDualRole}) {
    for (const std::string& id : exemplars) {
      ASSERT_FALSE(id.empty());
      const std::string path = "/v1/exemplars/" + id;
      HttpReply actions = world.Get(user, path + "/actions");
      ASSERT_EQ(actions.status, 200) << user << " " << id << actions.body;
      const json offered = Body(actions);
      for (const json& action : offered["actions"]) {
        if (action["allowed"] == true) continue;
        const std::string code = action["refusal"]["code"];
        const bool has_required_field = [&] {
          for (const json& field : action["fields"]) {
            if (field["required"] == true) return true;
          }
          return false;
        }();
        HttpReply command =
            world.Post(user, path + "/" + action["action"].get<std::string>(),
                       json::object());
        const std::string answered = Body(command)["type"];
        if (answered == "validation_failed" && has_required_field &&
            code != "validation_failed") {
          // Refused by a rule, which the fields precede in the command.
          EXPECT_NE(code, "invalid_transition") << user << " " << id;
          continue;
        }
        EXPECT_EQ(answered, code)
            << user << " " << id << " " << action["action"] << command.body;
        codes.insert(code);
      }
    }
  }
  for (const char* code : {"role_not_permitted", "invalid_transition",
                           "ambiguous_role", "four_eyes_violation"}) {
    EXPECT_TRUE(codes.count(code)) << code;
  }
}

TEST_F(DemoActionsTest, TheCreatingActionsAreOfferedOnTheirOwnRoute) {
  DemoWorld& world = *world_;
  const json reporter = Body(world.Get("reporter-camlam-1", "/v1/actions"));
  ASSERT_EQ(reporter["actions"].size(), 1u) << reporter.dump();
  const json detect = reporter["actions"][0];
  EXPECT_EQ(detect["action"], "detect");
  EXPECT_EQ(detect["allowed"], true);
  const json kind = detect["fields"][0];
  EXPECT_EQ(kind["name"], "subject_kind");
  EXPECT_EQ(kind["type"], "enum");
  EXPECT_EQ(kind["choices"][2], json({{"value", "household"},
                                      {"vi", "Hộ gia đình"},
                                      {"en", "Household"}}));
  const json approver = Body(world.Get("approver-camlam-1", "/v1/actions"));
  EXPECT_EQ(approver["actions"][0]["refusal"]["code"], "role_not_permitted");
  EXPECT_EQ(approver["actions"][0]["refusal"]["vi"],
            "Vai trò của bạn không được thực hiện thao tác này");
}

TEST_F(DemoActionsTest, CsvExportsCarryVietnameseLabelsBesideTheCodes) {
  DemoWorld& world = *world_;
  const std::string caught_up = "&min_position=" + world.head();
  HttpReply csv =
      world.Get("approver-camlam-1", "/v1/exemplars?unit=camlam-1" + caught_up,
                {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);  // UTF-8 with its BOM
  const std::string header = csv.body.substr(3, csv.body.find("\r\n") - 3);
  EXPECT_NE(header.find("state (trạng thái),state_vi (trạng thái),"),
            std::string::npos)
      << header;
  EXPECT_NE(header.find("subject_kind_vi (loại đối tượng)"), std::string::npos);
  EXPECT_NE(header.find("field_vi (lĩnh vực)"), std::string::npos);
  EXPECT_NE(csv.body.find(",household,Hộ gia đình,"), std::string::npos);
  EXPECT_NE(csv.body.find(",voted,Hội đồng đã biểu quyết,"), std::string::npos);

  HttpReply ledger =
      world.Get("approver-camlam-1", "/v1/ledger?unit=camlam-1" + caught_up,
                {{"Accept", "text/csv"}});
  ASSERT_EQ(ledger.status, 200);
  EXPECT_NE(ledger.body.find("action_vi (thao tác)"), std::string::npos);
  EXPECT_NE(ledger.body.find(",approve,Phê duyệt,"), std::string::npos);
  EXPECT_NE(ledger.body.find(",approver,Người phê duyệt,"), std::string::npos);

  // JSON Lines keep the codes only.
  HttpReply lines =
      world.Get("approver-camlam-1", "/v1/exemplars?unit=camlam-1",
                {{"Accept", "application/x-ndjson"}});
  ASSERT_EQ(lines.status, 200);
  EXPECT_EQ(lines.body.find("state_vi"), std::string::npos);
}

// Last: it approves dh-four-eyes, which the tests above find voted.
TEST_F(DemoActionsTest, TheNominatorWhoApprovesIsRefusedWithTheFourEyesRule) {
  DemoWorld& world = *world_;
  const std::string path = std::string("/v1/exemplars/") + kExemplar;
  HttpReply actions = world.Get(kDualRole, path + "/actions");
  ASSERT_EQ(actions.status, 200) << actions.body;
  const json answer = Body(actions);
  EXPECT_EQ(answer["exemplar_id"], kExemplar);
  EXPECT_EQ(answer["state"], "voted");
  const json approve = ActionOf(answer, "approve");
  EXPECT_EQ(approve["vi"], "Phê duyệt");
  EXPECT_EQ(approve["allowed"], false);
  EXPECT_EQ(approve["refusal"]["code"], "four_eyes_violation");
  EXPECT_EQ(approve["refusal"]["vi"], kFourEyesVi);
  EXPECT_EQ(approve["refusal"]["en"],
            "The appraiser or approver may not be the person who nominated "
            "this exemplar");
  ASSERT_EQ(approve["fields"].size(), 1u);
  EXPECT_EQ(approve["fields"][0]["name"], "decision_note");
  EXPECT_EQ(approve["fields"][0]["type"], "text");
  EXPECT_EQ(approve["fields"][0]["required"], false);
  EXPECT_EQ(approve["fields"][0]["max_length"], 2000);
  EXPECT_EQ(approve["fields"][0]["vi"], "Ý kiến phê duyệt");

  // The command says the same, its detail in the language asked for.
  HttpReply refused = world.Post(kDualRole, path + "/approve", json::object(),
                                 {{"Accept-Language", "vi"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Body(refused)["type"], "four_eyes_violation");
  EXPECT_EQ(Body(refused)["detail"], kFourEyesVi);
  HttpReply english = world.Post(kDualRole, path + "/approve", json::object(),
                                 {{"Accept-Language", "en-GB,en;q=0.9"}});
  EXPECT_EQ(Body(english)["type"], "four_eyes_violation");
  EXPECT_NE(Body(english)["detail"], kFourEyesVi);

  // The district's approver may approve it, and then may not again.
  const json allowed = ActionOf(
      Body(world.Get("approver-camlam-1", path + "/actions")), "approve");
  EXPECT_EQ(allowed["allowed"], true) << allowed.dump();
  EXPECT_FALSE(allowed.contains("refusal"));
  HttpReply approved =
      world.Post("approver-camlam-1", path + "/approve",
                 {{"decision_note", "Đồng ý công nhận điển hình"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  const json after = Body(world.Get("approver-camlam-1", path + "/actions"));
  EXPECT_EQ(after["state"], "approved");
  EXPECT_EQ(ActionOf(after, "approve")["refusal"]["code"],
            "invalid_transition");
  EXPECT_EQ(ActionOf(after, "honour")["allowed"], true);
}

}  // namespace
}  // namespace exemplar::testing
