// The retention report against the real binary and the demo province: the
// personal data whose keeping period has ended is listed with its due date,
// shows when its erasure was requested, and leaves the list once erased;
// as of a moment before, it reads as it did then. The retention schedule
// against a folder whose history lies years back: what is due today is
// proposed once, for a person to approve.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "api/bootstrap.h"
#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/e2e/seeded_folder.h"
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

// Years a class is kept after its keeping period begins (the definition's).
int YearsKept(const std::string& retention_class) {
  return retention_class == "nomination" ? 5 : 1;
}

TEST_F(RetentionTest, ListsWhatIsDueByTodayOrAGivenDate) {
  const std::string date =
      CivilDate::AtInstant(SystemClockMicros(), 420).ToString();
  const json today = Report("");
  EXPECT_EQ(today["due_by"], date);
  for (const json& item : today["items"]) {
    EXPECT_LE(item["due_on"].get<std::string>(), date) << item.dump();
  }
  // The demo's nominations rejected in 2025 are kept five years.
  const json later = Report("?due_by=2040-01-01");
  ASSERT_FALSE(later["items"].empty()) << later.dump();
  std::string previous;
  bool nomination = false;
  for (const json& item : later["items"]) {
    const std::string due = item["due_on"];
    EXPECT_LE(previous, due) << "ordered by due date";
    previous = due;
    const std::string started = item["keeping_started_at"];
    EXPECT_EQ(
        std::stoi(started.substr(0, 4)) + YearsKept(item["retention_class"]),
        std::stoi(due.substr(0, 4)))
        << item.dump();
    nomination |= item["retention_class"] == "nomination";
  }
  EXPECT_TRUE(nomination) << later.dump();
  const json none = Report("?due_by=1990-01-01");
  EXPECT_TRUE(none["items"].empty()) << none.dump();
}

TEST_F(RetentionTest, ACommentPeriodWithoutCommentsHoldsNothingToErase) {
  // The demo records no citizen's comment: its closed comment periods
  // have nothing of that class to erase.
  for (const json& item : Report("?due_by=2040-01-01")["items"]) {
    EXPECT_NE(item["retention_class"], "public_comment") << item.dump();
  }
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
  const std::string later = "?due_by=2040-01-01";
  const json before = Report(later);
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
      later + "&min_position=" + std::to_string(request_position);
  EXPECT_FALSE(
      ItemOf(Report(after_request), exemplar, kind)["requested_at"].is_null());

  HttpReply erased = world_->Post("approver-kh", path + "/approve_erasure",
                                  {{"retention_class", kind}},
                                  {{"X-Acting-Role", "approver"}});
  ASSERT_EQ(erased.status, 200) << erased.body;
  const std::string after_erasure =
      later +
      "&min_position=" + std::to_string(Body(erased)["position"].get<int>());
  EXPECT_TRUE(ItemOf(Report(after_erasure), exemplar, kind).is_null());

  // As of the moment before the request, as it was then.
  const json past =
      Report(later + "&as_of_position=" + std::to_string(request_position - 1));
  EXPECT_TRUE(ItemOf(past, exemplar, kind)["requested_at"].is_null())
      << past.dump();
  const json at_request =
      Report(later + "&as_of_position=" + std::to_string(request_position));
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

std::string Secret(const std::string& user) {
  return "retention-token-" + user + "-0123456789";
}

// A folder whose history lies years back, served with `args`: a
// nomination rejected in 2019 (its data due five years on), one approved
// after a citizen's comment (the comment due a year on), and one approved
// with no comment (nothing of that class to erase).
class SeededWorld {
 public:
  explicit SeededWorld(std::vector<std::string> args) {
    Seed();
    ServerProcessOptions options;
    options.args = std::move(args);
    server_ = std::make_unique<ServerProcess>(data(), options);
    head_ = Body(server_->Request(boost::beast::http::verb::get,
                                  "/readyz"))["head_position"];
  }

  HttpReply Send(boost::beast::http::verb method, const std::string& user,
                 const std::string& target, const json& body = nullptr) {
    const std::string secret =
        user == "admin" ? std::string(kTestAdminToken) : Secret(user);
    return server_->RequestWith(method, target,
                                {{"Authorization", "Bearer " + secret}},
                                body.is_null() ? "" : body.dump());
  }

  json Due() {
    HttpReply reply =
        Send(boost::beast::http::verb::get, "dpo",
             "/v1/reports/retention?min_position=" + std::to_string(head_));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return Body(reply)["items"];
  }

 private:
  std::string data() const { return dir_.str() + "/data"; }

  void Seed() {
    SeedWriter seed(data(),
                    CivilDate::FromYmd(2019, 3, 4).StartUnixMicros(420) +
                        9 * 60 * SeedWriter::kMinute);
    if (::testing::Test::HasFatalFailure()) return;
    ASSERT_TRUE(api::RecordWorkflowDefinition(seed.handler(), seed.now()).ok());
    seed.OneCommuneWithStaff(CivilDate::FromYmd(2018, 1, 1), Secret);
    seed.Person("dpo", "data_protection_officer", "kh", Secret("dpo"));
    const Actor appraiser{"appraiser", "appraiser", "c1"};
    const Actor approver{"approver", "approver", "c1"};
    for (const char* exemplar : {"rejected", "commented", "quiet"}) {
      seed.Take(exemplar, "detect", Actor{"reporter", "reporter", "c1"});
      seed.Take(exemplar, "assign_mentor",
                Actor{"nominator", "nominator", "c1"}, "nominator");
      seed.Take(exemplar, "nominate", Actor{"nominator", "nominator", "c1"});
      seed.Take(exemplar, "appraise", appraiser);
    }
    seed.Take("rejected", "reject", approver);
    for (const char* exemplar : {"commented", "quiet"}) {
      seed.Take(exemplar, "open_public_comment", appraiser);
    }
    seed.Take("commented", "record_comment", approver);
    seed.Skip(16 * SeedWriter::kDay);
    for (const char* exemplar : {"commented", "quiet"}) {
      seed.Take(exemplar, "record_vote",
                Actor{"council", "council_member", "c1"});
      seed.Take(exemplar, "approve", approver);
    }
    seed.Close();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::uint64_t head_ = 0;  // at start
};

bool AllRequested(const json& items) {
  for (const json& item : items) {
    if (item["requested_at"].is_null()) return false;
  }
  return !items.empty();
}

// What `items` hold, as "exemplar:class".
std::set<std::string> Keys(const json& items) {
  std::set<std::string> keys;
  for (const json& item : items) {
    keys.insert(item["exemplar_id"].get<std::string>() + ":" +
                item["retention_class"].get<std::string>());
  }
  return keys;
}

TEST(RetentionScheduleTest, ProposesOnDemandOnceAndForAPersonToApprove) {
  SeededWorld world({});
  using boost::beast::http::verb;
  const json due = world.Due();
  EXPECT_EQ(Keys(due), (std::set<std::string>{"commented:public_comment",
                                              "rejected:nomination"}))
      << due.dump();
  ASSERT_FALSE(AllRequested(due)) << "off by default: nothing proposed";
  HttpReply refused = world.Send(verb::post, "reporter",
                                 "/v1/reports/retention/proposals", json{});
  EXPECT_EQ(refused.status, 403) << refused.body;

  HttpReply run =
      world.Send(verb::post, "dpo", "/v1/reports/retention/proposals", json{});
  ASSERT_EQ(run.status, 200) << run.body;
  const json proposed = Body(run)["proposed"];
  EXPECT_EQ(Keys(proposed), Keys(due)) << run.body;
  EXPECT_TRUE(Body(run)["refused"].empty()) << run.body;
  EXPECT_TRUE(AllRequested(world.Due()));

  // Each is a request by the schedule, in its role, with its legal basis.
  const std::string exemplar = proposed[0]["exemplar_id"];
  HttpReply history =
      world.Send(verb::get, "dpo", "/v1/exemplars/" + exemplar + "/history");
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
  HttpReply approved = world.Send(
      verb::post, "approver", "/v1/exemplars/" + exemplar + "/approve_erasure",
      {{"retention_class", proposed[0]["retention_class"]}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  HttpReply after =
      world.Send(verb::get, "dpo",
                 "/v1/reports/retention?min_position=" +
                     std::to_string(Body(approved)["position"].get<int>()));
  EXPECT_EQ(Keys(Body(after)["items"])
                .count(exemplar + ":" +
                       proposed[0]["retention_class"].get<std::string>()),
            0u)
      << after.body;
}

TEST(RetentionScheduleTest, TheDailyRunProposesAtItsHour) {
  const std::int64_t local =
      SystemClockMicros() + std::int64_t{420} * 60'000'000;
  const int hour = static_cast<int>((local / 3'600'000'000) % 24);
  SeededWorld world({"--retention-proposal-hour", std::to_string(hour)});
  json due = world.Due();
  for (int i = 0; i < 100 && !AllRequested(due); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    due = world.Due();
  }
  EXPECT_EQ(due.size(), 2u) << due.dump();
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
