// The retention report against the real binary and the demo province: the
// personal data whose keeping period has ended is listed with its due date,
// shows when its erasure was requested, and leaves the list once erased;
// as of a moment before, it reads as it did then.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/support/demo_world.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;
class RetentionTest : public DemoWorldTest {
 protected:
  static json Report(const std::string& query) {
    HttpReply reply = world_->Get("dpo-kh", "/v1/reports/retention" + query);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return Body(reply);
  }
};

// The item of `report` for `exemplar`'s data of `retention_class`.
json ItemOf(const json& report, const std::string& exemplar,
            const std::string& retention_class) {
  for (const json& item : report["items"]) {
    if (item["exemplar_id"] == exemplar &&
        item["retention_class"] == retention_class) {
      return item;
    }
  }
  return nullptr;
}

TEST_F(RetentionTest, ListsWhatIsDueByTodayOrAGivenDate) {
  const json today = Report("");
  const std::string date =
      CivilDate::AtInstant(SystemClockMicros(), 420).ToString();
  EXPECT_EQ(today["due_by"], date);
  ASSERT_FALSE(today["items"].empty()) << today.dump();
  std::string previous;
  for (const json& item : today["items"]) {
    const std::string due = item["due_on"];
    EXPECT_LE(due, date) << item.dump();
    EXPECT_LE(previous, due) << "ordered by due date";
    previous = due;
    // A comment is kept one year after the decision that closed it.
    const std::string started = item["keeping_started_at"];
    EXPECT_EQ(std::stoi(started.substr(0, 4)) + 1, std::stoi(due.substr(0, 4)))
        << item.dump();
  }
  // Rejected and withdrawn nominations are kept five years: due later.
  const json later = Report("?due_by=2040-01-01");
  bool nomination = false;
  for (const json& item : later["items"]) {
    nomination |= item["retention_class"] == "nomination";
  }
  EXPECT_TRUE(nomination) << later.dump();
  EXPECT_GT(later["items"].size(), today["items"].size());
  const json none = Report("?due_by=1990-01-01");
  EXPECT_TRUE(none["items"].empty()) << none.dump();
}

TEST_F(RetentionTest, ABadDateIsRefusedNamingIt) {
  for (const char* bad : {"2026-13-01", "tomorrow", "2026-02-30"}) {
    HttpReply reply = world_->Get(
        "dpo-kh", std::string("/v1/reports/retention?due_by=") + bad);
    EXPECT_EQ(reply.status, 400) << bad << " " << reply.body;
    EXPECT_EQ(Body(reply)["field"], "due_by") << reply.body;
  }
}

TEST_F(RetentionTest, ShowsTheRequestAndDropsTheErasedAndTravelsInTime) {
  const json before = Report("");
  ASSERT_FALSE(before["items"].empty());
  const std::string exemplar = before["items"][0]["exemplar_id"];
  const std::string kind = before["items"][0]["retention_class"];
  EXPECT_TRUE(before["items"][0]["requested_at"].is_null());
  const std::string path = "/v1/exemplars/" + exemplar;

  HttpReply requested = world_->Post(
      "dpo-kh", path + "/request_erasure",
      {{"retention_class", kind},
       {"legal_article", "Điều 16 Luật Bảo vệ dữ liệu cá nhân"},
       {"legal_reference", "hết thời hạn lưu giữ"},
       {"legal_date",
        CivilDate::AtInstant(SystemClockMicros(), 420).ToString()}},
      {{"X-Acting-Role", "data_protection_officer"}});
  ASSERT_EQ(requested.status, 200) << requested.body;
  const int request_position = Body(requested)["position"];
  const std::string after_request =
      "?min_position=" + std::to_string(request_position);
  EXPECT_FALSE(
      ItemOf(Report(after_request), exemplar, kind)["requested_at"].is_null());

  HttpReply erased = world_->Post("approver-kh", path + "/approve_erasure",
                                  {{"retention_class", kind}},
                                  {{"X-Acting-Role", "approver"}});
  ASSERT_EQ(erased.status, 200) << erased.body;
  const std::string after_erasure =
      "?min_position=" + std::to_string(Body(erased)["position"].get<int>());
  EXPECT_TRUE(ItemOf(Report(after_erasure), exemplar, kind).is_null());

  // As of the moment before the request, as it was then.
  const json past =
      Report("?as_of_position=" + std::to_string(request_position - 1));
  EXPECT_TRUE(ItemOf(past, exemplar, kind)["requested_at"].is_null())
      << past.dump();
  const json at_request =
      Report("?as_of_position=" + std::to_string(request_position));
  EXPECT_FALSE(ItemOf(at_request, exemplar, kind)["requested_at"].is_null());
}

TEST_F(RetentionTest, ExportsAsCsvWithVietnameseHeaders) {
  HttpReply csv =
      world_->Get("dpo-kh", "/v1/reports/retention", {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("due for erasure on (đến hạn xóa ngày)"),
            std::string::npos)
      << csv.body.substr(0, 400);
}

}  // namespace
}  // namespace exemplar::testing
