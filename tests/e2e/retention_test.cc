// The retention report against the real binary and the demo province: the
// personal data whose keeping period has ended is listed with its due date,
// shows when its erasure was requested, and leaves the list once erased;
// as of a moment before, it reads as it did then.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/support/cli_run.h"
#include "tests/support/demo_world.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;
class RetentionTest : public DemoWorldTest {
 protected:
  // The report once the models have folded the log as it was at start.
  static json Report(const std::string& query) {
    const std::string wait = query.find("position=") != std::string::npos ? ""
                             : query.empty()
                                 ? "?min_position=" + world_->head()
                                 : "&min_position=" + world_->head();
    HttpReply reply =
        world_->Get("dpo-kh", "/v1/reports/retention" + query + wait);
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

// The demo province in a folder of its own, served with `args`.
class ScheduledWorld {
 public:
  explicit ScheduledWorld(std::vector<std::string> args) {
    const std::string data = dir_.str() + "/data";
    CliRun demo = RunCli("demo --data " + data);
    EXPECT_EQ(demo.exit_code, 0) << demo.output;
    std::ifstream tokens(data + "/demo-tokens.json");
    tokens_ = json::parse(tokens);
    ServerProcessOptions options;
    options.args = std::move(args);
    server_ = std::make_unique<ServerProcess>(data, options);
    head_ = Body(server_->Request(boost::beast::http::verb::get,
                                  "/readyz"))["head_position"];
  }

  HttpReply Send(boost::beast::http::verb method, const std::string& user,
                 const std::string& target, const json& body = nullptr) {
    Headers headers = {
        {"Authorization", "Bearer " + tokens_[user].get<std::string>()}};
    return server_->RequestWith(method, target, headers,
                                body.is_null() ? "" : body.dump());
  }

  json Due() {
    HttpReply reply =
        Send(boost::beast::http::verb::get, "dpo-kh",
             "/v1/reports/retention?min_position=" + std::to_string(head_));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return Body(reply)["items"];
  }

  ServerProcess& server() { return *server_; }

 private:
  TempDir dir_;
  json tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::uint64_t head_ = 0;  // at start
};

bool AllRequested(const json& items) {
  for (const json& item : items) {
    if (item["requested_at"].is_null()) return false;
  }
  return !items.empty();
}

TEST(RetentionScheduleTest, ProposesOnDemandOnceAndForAPersonToApprove) {
  ScheduledWorld world({});
  using boost::beast::http::verb;
  const json due = world.Due();
  ASSERT_FALSE(due.empty());
  ASSERT_FALSE(AllRequested(due)) << "off by default: nothing proposed";
  HttpReply refused = world.Send(verb::post, "reporter-camlam-1",
                                 "/v1/reports/retention/proposals", json{});
  EXPECT_EQ(refused.status, 403) << refused.body;

  HttpReply run = world.Send(verb::post, "dpo-kh",
                             "/v1/reports/retention/proposals", json{});
  ASSERT_EQ(run.status, 200) << run.body;
  const json proposed = Body(run)["proposed"];
  EXPECT_EQ(proposed.size(), due.size()) << run.body;
  EXPECT_TRUE(Body(run)["refused"].empty()) << run.body;
  EXPECT_TRUE(AllRequested(world.Due()));

  // Each is a request by the schedule, in its role, with its legal basis.
  const std::string exemplar = proposed[0]["exemplar_id"];
  HttpReply history =
      world.Send(verb::get, "dpo-kh", "/v1/exemplars/" + exemplar + "/history");
  const json last = Body(history)["events"].back();
  EXPECT_EQ(last["actor"]["user_id"], "retention-schedule") << last.dump();
  EXPECT_EQ(last["actor"]["role"], "data_protection_officer");
  EXPECT_EQ(last["data"]["fields"]["legal_date"], proposed[0]["due_on"]);

  // Asked again, nothing new is proposed.
  HttpReply again = world.Send(verb::post, "admin",
                               "/v1/reports/retention/proposals", json{});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(Body(again)["proposed"].empty()) << again.body;

  // A person approves: the item is erased and leaves the report.
  HttpReply approved =
      world.Send(verb::post, "approver-kh",
                 "/v1/exemplars/" + exemplar + "/approve_erasure",
                 {{"retention_class", proposed[0]["retention_class"]}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  HttpReply after =
      world.Send(verb::get, "dpo-kh",
                 "/v1/reports/retention?min_position=" +
                     std::to_string(Body(approved)["position"].get<int>()));
  for (const json& item : Body(after)["items"]) {
    EXPECT_FALSE(item["exemplar_id"] == exemplar &&
                 item["retention_class"] == proposed[0]["retention_class"]);
  }
}

TEST(RetentionScheduleTest, TheDailyRunProposesAtItsHour) {
  const std::int64_t local =
      SystemClockMicros() + std::int64_t{420} * 60'000'000;
  const int hour = static_cast<int>((local / 3'600'000'000) % 24);
  ScheduledWorld world({"--retention-proposal-hour", std::to_string(hour)});
  json due = world.Due();
  for (int i = 0; i < 100 && !AllRequested(due); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    due = world.Due();
  }
  EXPECT_TRUE(AllRequested(due)) << due.dump();
}

TEST(RetentionScheduleTest, AnHourOutOfRangeIsRefusedAtStart) {
  TempDir dir;
  CliRun run = RunCli("serve --data " + dir.str() +
                      " --port 0 --retention-proposal-hour 24");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("retention_proposal_hour"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace exemplar::testing
