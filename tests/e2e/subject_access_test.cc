// A data subject's request against the real binary and the demo province:
// a data-protection officer records the step, then reads what the log held
// about the subject at that step, as JSON and as a page to print; a
// commenter's name and words (a third party's data) are withheld; only the
// officer who recorded it, or an admin, may read it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/support/demo_world.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;

constexpr char kCommenter[] = "Ông Phạm Văn Góp Ý";

class SubjectAccessTest : public DemoWorldTest {
 protected:
  static std::string Today() {
    return CivilDate::AtInstant(SystemClockMicros(), 420).ToString();
  }

  // An exemplar in its public-comment period, with a citizen's comment.
  static std::string CommentedExemplar() {
    HttpReply list = world_->Get(
        "admin", "/v1/exemplars?state=public_comment&limit=1&min_position=" +
                     world_->head());
    EXPECT_EQ(list.status, 200) << list.body;
    const std::string id = Body(list)["items"][0]["id"];
    HttpReply comment =
        world_->Post("approver-kh", "/v1/exemplars/" + id + "/record_comment",
                     {{"commenter", kCommenter},
                      {"content", "Gia đình rất gương mẫu"},
                      {"received_on", Today()}},
                     {{"X-Acting-Role", "approver"}});
    EXPECT_EQ(comment.status, 200) << comment.body;
    return id;
  }

  // Records the step as the data-protection officer; its position.
  static int Give(const std::string& id) {
    HttpReply given = world_->Post(
        "dpo-kh", "/v1/exemplars/" + id + "/give_subject_access",
        {{"legal_reference", "07/2026/YC"}, {"legal_date", Today()}},
        {{"X-Acting-Role", "data_protection_officer"}});
    EXPECT_EQ(given.status, 200) << given.body;
    return Body(given)["position"];
  }
};

TEST_F(SubjectAccessTest, GivesEverythingHeldAtTheStepWithoutThirdParties) {
  const std::string id = CommentedExemplar();
  const int position = Give(id);
  const std::string path = "/v1/exemplars/" + id + "/subject-access?position=" +
                           std::to_string(position);
  HttpReply reply = world_->Get("dpo-kh", path);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json document = Body(reply);

  HttpReply view =
      world_->Get("admin", "/v1/exemplars/" + id +
                               "?min_position=" + std::to_string(position));
  EXPECT_EQ(document["name"], Body(view)["name"]) << "byte for byte";
  HttpReply history = world_->Get(
      "admin", "/v1/exemplars/" + id +
                   "/history?min_position=" + std::to_string(position));
  const json events = Body(history)["events"];
  ASSERT_EQ(document["events"].size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(document["events"][i]["position"], events[i]["position"]);
    EXPECT_EQ(document["events"][i]["hash"], events[i]["hash"]);
  }
  EXPECT_EQ(document["request"]["position"], position);
  EXPECT_EQ(document["request"]["fields"]["legal_reference"], "07/2026/YC");
  EXPECT_EQ(document["request"]["actor"]["user_id"], "dpo-kh");

  // The commenter is another person: named as withheld, never shown.
  bool withheld = false;
  for (const json& event : document["events"]) {
    if (event.value("action", "") != "record_comment") continue;
    withheld = true;
    EXPECT_EQ(event["withheld_third_party"],
              json::array({"commenter", "content"}));
    EXPECT_FALSE(event["fields"].contains("commenter"));
  }
  EXPECT_TRUE(withheld) << reply.body;
  EXPECT_EQ(reply.body.find(kCommenter), std::string::npos);

  HttpReply page = world_->Get("dpo-kh", path, {{"Accept", "text/html"}});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("Dữ liệu cá nhân đang được lưu giữ"),
            std::string::npos);
  EXPECT_NE(page.body.find(document["name"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(page.body.find("Số đơn yêu cầu của chủ thể dữ liệu: 07/2026/YC"),
            std::string::npos)
      << page.body;
  EXPECT_EQ(page.body.find(kCommenter), std::string::npos);
}

// The demo's exemplars of Xã Cam Lâm carry their dossiers: the page links
// each document to where it is read.
TEST_F(SubjectAccessTest, ThePageLinksEachOfTheSubjectsDocuments) {
  HttpReply list =
      world_->Get("admin",
                  "/v1/exemplars?state=honoured&unit=camlam-1&limit=1"
                  "&min_position=" +
                      world_->head());
  ASSERT_EQ(list.status, 200) << list.body;
  const std::string id = Body(list)["items"][0]["id"];
  const std::string path = "/v1/exemplars/" + id + "/subject-access?position=" +
                           std::to_string(Give(id));
  const json copy = Body(world_->Get("dpo-kh", path));
  std::string hash;
  for (const json& event : copy["events"]) {
    for (const auto& [name, value] : event["fields"].items()) {
      if (value.is_array() && !value.empty() && value[0].is_object() &&
          value[0].contains("hash")) {
        hash = value[0]["hash"];
      }
    }
  }
  ASSERT_FALSE(hash.empty()) << "the demo recorded no document for " << id;

  HttpReply page = world_->Get("dpo-kh", path, {{"Accept", "text/html"}});
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string link =
      "<a href=\"/v1/exemplars/" + id + "/documents/" + hash + "\">";
  EXPECT_NE(page.body.find(link), std::string::npos) << page.body;
  HttpReply read =
      world_->Get("dpo-kh", "/v1/exemplars/" + id + "/documents/" + hash);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.content_type, "text/plain; charset=utf-8");
  EXPECT_NE(read.body.find("Tài liệu mẫu của tỉnh thử nghiệm"),
            std::string::npos)
      << read.body;
}

TEST_F(SubjectAccessTest, OnlyTheOfficerWhoRecordedItOrAnAdminReadsIt) {
  HttpReply list = world_->Get(
      "admin", "/v1/exemplars?limit=1&min_position=" + world_->head());
  const std::string id = Body(list)["items"][0]["id"];
  const int position = Give(id);
  const std::string path = "/v1/exemplars/" + id + "/subject-access?position=";
  EXPECT_EQ(world_->Get("admin", path + std::to_string(position)).status, 200);
  HttpReply other = world_->Get("approver-kh", path + std::to_string(position));
  EXPECT_EQ(other.status, 404) << other.body;
  // A position that is not such a step of this exemplar.
  HttpReply not_step = world_->Get("dpo-kh", path + "1");
  EXPECT_EQ(not_step.status, 404) << not_step.body;
  EXPECT_EQ(Body(not_step)["type"], "subject_access_not_found");
  HttpReply bad = world_->Get("dpo-kh", path + "abc");
  EXPECT_EQ(bad.status, 400) << bad.body;
  HttpReply missing =
      world_->Get("dpo-kh", "/v1/exemplars/" + id + "/subject-access");
  EXPECT_EQ(missing.status, 400) << missing.body;
}

}  // namespace
}  // namespace exemplar::testing
