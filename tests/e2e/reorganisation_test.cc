// The 2025 reform against the real binary: a nomination in flight in a
// commune that merges completes under the successor, with four-eyes and
// scope enforced; the carry-over is idempotent; bad reorganisations are
// refused naming their field.
//
// The organisation, written into the data folder before the server starts
// (so the public-comment window can lie in the past):
//   vn ─ kh ─┬─ d1 ─┬─ c1   reporter, mentor, nominator
//            │      └─ c3
//            └─ d2 ── c2
// multi (appraiser and approver), council and approver at d1; approver2
// at d2. Exemplar "flight" of c1 was appraised by multi and voted on.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/bootstrap.h"
#include "api/tokens.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/e2e/seeded_folder.h"
#include "tests/support/server_process.h"
#include "tests/support/sse_client.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::HttpReply;
using testing::kTestAdminToken;
using testing::ServerProcess;
using testing::TempDir;

constexpr std::int64_t kMinute = 60LL * 1000 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

std::string Secret(const std::string& user) {
  return "reform-token-" + user + "-0123456789";
}

json LegalBasisJson() {
  return {{"document_number", "15/2025/NQ-HĐND (mẫu)"},
          {"document_date", "2025-06-12"},
          {"issuer", "Hội đồng nhân dân tỉnh"}};
}

// The body that merges c1 and c3 into a new commune c13 of d1, with
// `reorganisation_id` when given.
json MergeOfC1AndC3(const std::string& reorganisation_id = "") {
  json merge = {{"units", {"c1", "c3"}},
                {"into",
                 {{"unit_id", "c13"},
                  {"name", "Xã Cam Hải"},
                  {"level", "commune"},
                  {"parent_id", "d1"}}},
                {"legal_basis", LegalBasisJson()}};
  if (!reorganisation_id.empty()) {
    merge["reorganisation_id"] = reorganisation_id;
  }
  return merge;
}

class ReformWorld {
 public:
  ReformWorld() {
    Seed();
    server_ = std::make_unique<ServerProcess>(dir_.str());
  }

  int port() { return server_->port(); }

  HttpReply As(const std::string& user, verb method, const std::string& target,
               const json& body = nullptr, const std::string& acting_role = "",
               const std::string& idempotency_key = "") {
    testing::Headers headers{
        {"Authorization",
         "Bearer " +
             (user == "admin" ? std::string(kTestAdminToken) : Secret(user))}};
    if (!acting_role.empty())
      headers.emplace_back("X-Acting-Role", acting_role);
    if (!idempotency_key.empty())
      headers.emplace_back("Idempotency-Key", idempotency_key);
    return server_->RequestWith(method, target, headers,
                                body.is_null() ? "" : body.dump());
  }

 private:
  void Seed();

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

void ReformWorld::Seed() {
  testing::SeedWriter seed(
      dir_.str(),
      CivilDate::FromYmd(2025, 3, 3).StartUnixMicros(420) + 9 * 60 * kMinute);
  if (::testing::Test::HasFatalFailure()) return;
  for (const auto& [id, parent, level] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"kh", "vn", "province"},
           {"d1", "kh", "district"},
           {"d2", "kh", "district"},
           {"c1", "d1", "commune"},
           {"c3", "d1", "commune"},
           {"c2", "d2", "commune"}}) {
    seed.System(UnitCreated{id, "Đơn vị " + id, level, parent});
  }
  for (const auto& [user, role, unit] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"reporter", "reporter", "c1"},
           {"mentor", "mentor", "c1"},
           {"nominator", "nominator", "c1"},
           {"multi", "appraiser", "d1"},
           {"council", "council_member", "d1"},
           {"approver", "approver", "d1"},
           {"approver2", "approver", "d2"}}) {
    seed.Person(user, role, unit, Secret(user));
  }
  seed.System(RoleGranted{"g-multi-approver", "multi", "approver", "d1",
                          seed.now(), 0});
  seed.System(CampaignLaunched{"gen", "Thi đua yêu nước", "kh",
                               CivilDate::FromYmd(2020, 1, 1),
                               CivilDate::FromYmd(2030, 12, 31), "general"});
  seed.Take("flight", "detect", Actor{"reporter", "reporter", "c1"});
  seed.Take("flight", "assign_mentor", Actor{"nominator", "nominator", "c1"});
  seed.Take("flight", "nominate", Actor{"nominator", "nominator", "c1"});
  seed.Take("flight", "appraise", Actor{"multi", "appraiser", "d1"});
  seed.Take("flight", "open_public_comment", Actor{"multi", "appraiser", "d1"});
  seed.Skip(16 * kDay);
  seed.Take("flight", "record_vote", Actor{"council", "council_member", "d1"});
  seed.Close();
}

json Body(const HttpReply& reply) { return json::parse(reply.body); }

void ExpectProblem(const HttpReply& reply, int status, const std::string& type,
                   const std::string& field) {
  EXPECT_EQ(reply.status, status) << reply.body;
  json body = Body(reply);
  EXPECT_EQ(body["type"], type) << reply.body;
  EXPECT_EQ(body.value("field", ""), field) << reply.body;
}

// The final event of `stream`, skipping what comes before; nullopt when
// the stream neither ends nor says anything for 10 s.
std::optional<testing::SseEvent> FinalEvent(testing::SseClient& stream) {
  for (int i = 0; i < 1000; ++i) {
    auto event = stream.NextEvent(std::chrono::seconds(10));
    if (!event || event->event == "revoked") return event;
  }
  return std::nullopt;
}

TEST(ReorganisationE2eTest, ANominationInFlightCompletesUnderTheSuccessor) {
  ReformWorld world;
  testing::SseClientOptions bearer;
  bearer.headers.emplace_back("Authorization", "Bearer " + Secret("reporter"));
  testing::SseClient reporter_stream(world.port(), "/v1/events/stream", bearer);
  ASSERT_EQ(reporter_stream.status(), 200);
  HttpReply merged = world.As("admin", verb::post, "/v1/reorganisations/merge",
                              MergeOfC1AndC3("sap-nhap-c1-c3"));
  ASSERT_EQ(merged.status, 201) << merged.body;
  EXPECT_EQ(Body(merged)["carry_over"]["transferred"], 1) << merged.body;
  EXPECT_EQ(Body(merged)["carry_over"]["pending"], 0) << merged.body;

  // The carry-over again moves nothing more.
  HttpReply again =
      world.As("admin", verb::post,
               "/v1/reorganisations/sap-nhap-c1-c3/carry-over", json::object());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Body(again)["transferred"], 1);
  EXPECT_EQ(Body(again)["pending"], 0);
  HttpReply one =
      world.As("multi", verb::get, "/v1/reorganisations/sap-nhap-c1-c3");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Body(one)["kind"], "merge");
  EXPECT_EQ(Body(one)["legal_basis"], LegalBasisJson());
  EXPECT_EQ(Body(one)["carry_over"]["transferred"], 1);

  // The exemplar's stream records the transfer with the reorganisation.
  HttpReply stream =
      world.As("admin", verb::get, "/v1/streams/exemplar-flight");
  ASSERT_EQ(stream.status, 200) << stream.body;
  json transfer = Body(stream)["events"].back();
  EXPECT_EQ(transfer["type"], "exemplar_transferred");
  EXPECT_EQ(transfer["data"]["to_unit_id"], "c13");
  EXPECT_EQ(transfer["data"]["reorganisation_id"], "sap-nhap-c1-c3");

  // The commune's reporter lost their grant with the commune, and the
  // stream they had open ends.
  EXPECT_EQ(world.As("reporter", verb::get, "/v1/exemplars/flight").status,
            403);
  auto ended = FinalEvent(reporter_stream);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(json::parse(ended->data)["reason"], "grant_ended");
  // Another district's approver is out of sight; who appraised may not
  // approve; the district's approver completes it.
  const json note = {{"decision_note", "Đồng ý"}};
  EXPECT_EQ(
      world.As("approver2", verb::post, "/v1/exemplars/flight/approve", note)
          .status,
      404);
  ExpectProblem(world.As("multi", verb::post, "/v1/exemplars/flight/approve",
                         note, "approver"),
                422, "four_eyes_violation", "");
  HttpReply approved =
      world.As("approver", verb::post, "/v1/exemplars/flight/approve", note);
  ASSERT_EQ(approved.status, 200) << approved.body;
  HttpReply honoured =
      world.As("approver", verb::post, "/v1/exemplars/flight/honour",
               {{"occasion", "periodic_review"},
                {"award_form", "giay_khen"},
                {"decision_number", "12/QĐ-UBND"},
                {"decision_date",
                 CivilDate::AtInstant(SystemClockMicros(), 420).ToString()}});
  ASSERT_EQ(honoured.status, 200) << honoured.body;
}

// `seconds` since the epoch as an RFC 3339 time in UTC.
std::string RfcTime(std::int64_t seconds) {
  const std::time_t time = seconds;
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// An answer without what says when it was given.
json WithoutItsMoment(json answer) {
  answer.erase("position");
  answer.erase("as_of");
  return answer;
}

// What the server answered before a merge, it answers after it for a
// moment before the merge, by time and by position: the list, the view,
// the reports, the tree and the ledger read as they did then.
TEST(ReorganisationE2eTest, AsOfBeforeAMergeMatchesWhatWasAnsweredThen) {
  ReformWorld world;
  const std::uint64_t head =
      Body(world.As("admin", verb::get, "/readyz"))["head_position"];
  const std::vector<std::string> reads = {
      "/v1/exemplars?unit=d1",
      "/v1/exemplars/flight",
      "/v1/exemplars/flight/history",
      "/v1/reports/quotas?year=2025&unit=kh",
      "/v1/reports/deadlines?year=2025&quarter=1&unit=kh",
      "/v1/reports/follow-up?no_mentor_days=1",
      "/v1/ledger?unit=kh",
      "/v1/units"};
  std::map<std::string, json> then;
  for (const std::string& read : reads) {
    const char* joiner = read.find('?') == std::string::npos ? "?" : "&";
    HttpReply reply =
        world.As("admin", verb::get,
                 read + joiner + "min_position=" + std::to_string(head));
    ASSERT_EQ(reply.status, 200) << read << ": " << reply.body;
    then[read] = WithoutItsMoment(Body(reply));
  }
  // A whole second between the snapshot and the merge.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::int64_t moment = SystemClockMicros() / 1000000;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpReply merged = world.As("admin", verb::post, "/v1/reorganisations/merge",
                              MergeOfC1AndC3());
  ASSERT_EQ(merged.status, 201) << merged.body;
  const std::uint64_t after = Body(merged)["position"];

  for (const std::string& read : reads) {
    const char* joiner = read.find('?') == std::string::npos ? "?" : "&";
    const std::string now_read =
        read + joiner + "min_position=" + std::to_string(after);
    HttpReply now = world.As("admin", verb::get, now_read);
    ASSERT_EQ(now.status, 200) << read << ": " << now.body;
    if (read == "/v1/exemplars/flight" || read == "/v1/units") {
      EXPECT_NE(WithoutItsMoment(Body(now)), then[read]) << read;
    }
    for (const std::string& as_of : {"as_of_position=" + std::to_string(head),
                                     "as_of=" + RfcTime(moment)}) {
      HttpReply past = world.As("admin", verb::get, now_read + "&" + as_of);
      ASSERT_EQ(past.status, 200) << read << ": " << past.body;
      EXPECT_EQ(WithoutItsMoment(Body(past)), then[read])
          << read << " " << as_of;
    }
  }
}

// A merge retried with its Idempotency-Key answers as the first did, even
// without an id of its own; the key with another body is refused.
TEST(ReorganisationE2eTest, ARetriedMergeWithItsKeyAnswersAsTheFirst) {
  ReformWorld world;
  const json merge = MergeOfC1AndC3();
  auto post = [&](const json& body) {
    return world.As("admin", verb::post, "/v1/reorganisations/merge", body, "",
                    "merge-c1-c3");
  };
  HttpReply first = post(merge);
  ASSERT_EQ(first.status, 201) << first.body;
  HttpReply again = post(merge);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.headers["Idempotent-Replayed"], "true");
  EXPECT_EQ(Body(again)["reorganisation_id"], Body(first)["reorganisation_id"]);
  EXPECT_EQ(Body(again)["position"], Body(first)["position"]);
  json other = merge;
  other["units"] = {"c2"};
  HttpReply reused = post(other);
  EXPECT_EQ(reused.status, 409) << reused.body;
  EXPECT_EQ(Body(reused)["type"], "idempotency_key_reused");
  HttpReply list = world.As("admin", verb::get, "/v1/reorganisations");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list)["items"].size(), 1u) << list.body;
}

TEST(ReorganisationE2eTest, BadReorganisationsAreRefusedNamingTheirField) {
  ReformWorld world;
  auto merge = [&](json body) {
    body["legal_basis"] = LegalBasisJson();
    return world.As("admin", verb::post, "/v1/reorganisations/merge", body);
  };
  ExpectProblem(merge({{"units", {"d1"}}, {"into", {{"unit_id", "c1"}}}}), 422,
                "unit_cycle", "into.unit_id");
  ExpectProblem(merge({{"units", {"c3"}},
                       {"into", {{"unit_id", "c1"}}},
                       {"effective_date", "2025-07-01"}}),
                422, "effective_date_not_today", "effective_date");
  ExpectProblem(merge({{"units", {"c3"}}, {"into", {{"unit_id", "nowhere"}}}}),
                404, "unknown_unit", "into.unit_id");
  ExpectProblem(merge({{"units", {"c3"}}, {"into", {{"unit_id", 7}}}}), 422,
                "validation_failed", "into.unit_id");
  ExpectProblem(world.As("admin", verb::post, "/v1/reorganisations/merge",
                         {{"units", {"c3"}}, {"into", {{"unit_id", "c1"}}}}),
                422, "validation_failed", "legal_basis");
  ASSERT_EQ(merge({{"units", {"c3"}}, {"into", {{"unit_id", "c1"}}}}).status,
            201);
  ExpectProblem(merge({{"units", {"c3"}}, {"into", {{"unit_id", "c1"}}}}), 422,
                "unit_closed", "units[0]");
  // Only an admin reorganises.
  EXPECT_EQ(
      world
          .As("approver", verb::post, "/v1/reorganisations/dissolve-level",
              {{"parent_id", "kh"},
               {"level", "district"},
               {"legal_basis", LegalBasisJson()}})
          .status,
      403);
}

}  // namespace
}  // namespace exemplar
