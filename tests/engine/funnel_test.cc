// The annual registration funnel and the propagation score, decided
// (engine/workflow/funnel.h): the steps the definition names per level and
// year, counts, deadlines, the exemplars a list may hold, and who may.
#include "engine/workflow/funnel.h"

#include <gtest/gtest.h>

#include <map>

#include "engine/workflow/stream_ids.h"
#include "events/funnel_events.h"
#include "events/payload_codec.h"
#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

class FunnelTest : public ::testing::Test {
 protected:
  FunnelTest() {
    const std::int64_t t0 = At(2024, 1, 2);
    world_.Unit("snv", "Sở Nội vụ", "department", "kh", t0);
    world_.Unit("sgd", "Sở Giáo dục", "department", "kh", t0);
    world_.Unit("sct", "Sở Công Thương", "department", "kh", t0);
    world_.People("nominator_sgd", "nominator", "sgd", "sgd", t0);
    world_.People("nominator_sct", "nominator", "sct", "sct", t0);
    world_.System(CampaignLaunched{"edu2026", "Dạy tốt - học tốt 2026", "sgd",
                                   CivilDate::FromYmd(2026, 1, 1),
                                   CivilDate::FromYmd(2026, 12, 31), "general"},
                  t0);
    for (int i = 1; i <= 8; ++i) units_["e" + std::to_string(i)] = "c1";
    units_["x1"] = "c2";
    units_["x3"] = "c3";
    units_["edu1"] = "sgd";
    reads_.exemplar_unit =
        [this](const std::string& id) -> Result<std::optional<std::string>> {
      auto found = units_.find(id);
      if (found == units_.end()) return std::optional<std::string>();
      return std::optional<std::string>(found->second);
    };
    reads_.stream =
        [this](const std::string& stream) -> Result<std::vector<EventRecord>> {
      return streams_[stream];
    };
  }

  // Decides the command and, when accepted, appends its event to the
  // command's stream.
  Result<std::vector<NewEvent>> Run(FunnelAction action, const Actor& actor,
                                    std::int64_t at) {
    FunnelCommand command{std::move(action), actor, at, "", ""};
    const std::string stream = FunnelStreamId(command);
    Result<std::vector<NewEvent>> events =
        DecideFunnel(command, streams_[stream], reads_, world_.authority(),
                     DefaultDefinition());
    if (events.ok()) {
      for (const NewEvent& event : *events) {
        streams_[stream].push_back(
            ToRecord(event, stream, ++position_, streams_[stream].size()));
      }
    }
    return events;
  }

  static std::string Reason(const Result<std::vector<NewEvent>>& result) {
    return result.ok() ? "accepted" : result.status().reason();
  }

  static AnnualListRegistered ListIn(const std::vector<NewEvent>& events) {
    EventRecord record = ToRecord(events.front(), "registration-x", 1, 0);
    return DecodeRecordPayload<AnnualListRegistered>(record).value();
  }

  World world_;
  std::map<std::string, std::string> units_;  // exemplar -> unit
  std::map<std::string, std::vector<EventRecord>> streams_;
  FunnelReads reads_;
  std::uint64_t position_ = 1000;
  const Actor commune_{"nominator", "nominator", "c1"};
  const Actor district_{"approver", "approver", "d1"};
};

TEST_F(FunnelTest, ACommuneRegistersOnTimeAndTheListIsItsOwn) {
  auto result = Run(RegisterList{"c1", 2026, {"e1", "e2"}, ""}, commune_,
                    At(2026, 1, 15));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  AnnualListRegistered list = ListIn(*result);
  EXPECT_EQ(list.registration_id, "2026-c1");
  EXPECT_EQ(list.step, "register");
  EXPECT_EQ(list.due_date.ToString(), "2026-01-15");
  EXPECT_FALSE(list.late);
  EXPECT_EQ(result->front().type, "annual_list_registered");
}

TEST_F(FunnelTest, AListAfterTheDueDateIsRecordedLate) {
  auto result = Run(RegisterList{"c1", 2026, {"e1"}, ""}, commune_,
                    At(2026, 1, 16, 0) + kHour / 2);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(ListIn(*result).late);
}

TEST_F(FunnelTest, CountsExemplarsAndDatesAreChecked) {
  const std::int64_t at = At(2026, 1, 10);
  std::vector<std::string> seven = {"e1", "e2", "e3", "e4", "e5", "e6", "e7"};
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, seven, ""}, commune_, at)),
            "registration_over_max");
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, {}, ""}, commune_, at)),
            "validation_failed");
  EXPECT_EQ(
      Reason(Run(RegisterList{"c1", 2026, {"e1", "e1"}, ""}, commune_, at)),
      "validation_failed");
  auto other = Run(RegisterList{"c1", 2026, {"e1", "x1"}, ""}, district_, at);
  EXPECT_EQ(Reason(other), "exemplar_not_of_unit");
  EXPECT_EQ(other.status().field(), "exemplar_ids[1]");
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, {"nobody"}, ""}, commune_, at)),
            "exemplar_not_found");
  // An exemplar out of the actor's sight answers as an unknown one.
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, {"x3"}, ""}, commune_, at)),
            "exemplar_not_found");
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 1800, {"e1"}, ""}, commune_, at)),
            "validation_failed");
  // Fewer than the minimum is recorded (the report shows it short).
  ASSERT_EQ(Reason(Run(RegisterList{"c1", 2026, {"e1"}, ""}, commune_, at)),
            "accepted");
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, {"e2"}, ""}, commune_, at)),
            "already_registered");
}

TEST_F(FunnelTest, WhoMayRegister) {
  const std::int64_t at = At(2026, 1, 10);
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, {"e1"}, ""},
                       Actor{"nominator_d2", "nominator", "c3"}, at)),
            "not_in_scope");
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, {"e1"}, ""},
                       Actor{"reporter", "reporter", "c1"}, at)),
            "not_authorised");
  EXPECT_EQ(
      Reason(Run(RegisterList{"nowhere", 2026, {"e1"}, ""}, commune_, at)),
      "unknown_unit");
  // The district above the commune may register for it.
  EXPECT_EQ(Reason(Run(RegisterList{"c1", 2026, {"e1"}, ""}, district_, at)),
            "accepted");
}

TEST_F(FunnelTest, TheDistrictSelectsFromItsCommunesListsUntilTheReform) {
  ASSERT_EQ(Reason(Run(RegisterList{"c1", 2025, {"e1", "e2"}, ""}, commune_,
                       At(2025, 1, 10))),
            "accepted");
  const std::int64_t at = At(2025, 2, 1);
  EXPECT_EQ(Reason(Run(RegisterList{"d1", 2025, {"e1"}, ""}, district_, at)),
            "wrong_registration_step");
  auto unregistered =
      Run(SelectList{"d1", 2025, {"e1", "e3"}, ""}, district_, at);
  EXPECT_EQ(Reason(unregistered), "not_registered_by_child");
  EXPECT_EQ(unregistered.status().field(), "exemplar_ids[1]");
  auto selected = Run(SelectList{"d1", 2025, {"e2"}, ""}, district_, at);
  ASSERT_TRUE(selected.ok()) << selected.status().ToString();
  AnnualListRegistered list = ListIn(*selected);
  EXPECT_EQ(list.step, "select");
  EXPECT_EQ(list.registered_by, std::vector<std::string>{"c1"});
  EXPECT_EQ(list.due_date.ToString(), "2025-02-15");
  // After 1 July 2025 the definition gives the selection to the province.
  EXPECT_EQ(Reason(Run(SelectList{"d1", 2026, {"e1"}, ""}, district_,
                       At(2026, 2, 1))),
            "no_registration_step");
  EXPECT_EQ(Reason(Run(RegisterList{"kh", 2026, {"e1"}, ""},
                       Actor{"admin", "admin", "vn"}, At(2026, 2, 1))),
            "wrong_registration_step");
}

TEST_F(FunnelTest, OnlyAnAgencyLeadingAMovementRegisters) {
  const std::int64_t at = At(2026, 1, 10);
  EXPECT_EQ(Reason(Run(RegisterList{"sgd", 2026, {"edu1"}, ""},
                       Actor{"nominator_sgd", "nominator", "sgd"}, at)),
            "accepted");
  EXPECT_EQ(Reason(Run(RegisterList{"sct", 2026, {"edu1"}, ""},
                       Actor{"nominator_sct", "nominator", "sct"}, at)),
            "no_registration_step");
}

TEST_F(FunnelTest, TheSelectionIsSubmittedOnceToTheHomeAffairsDepartment) {
  const std::int64_t at = At(2025, 2, 20);
  EXPECT_EQ(Reason(Run(SubmitList{"d1", 2025, "snv"}, district_, at)),
            "registration_not_found");
  ASSERT_EQ(Reason(Run(RegisterList{"c1", 2025, {"e1"}, ""}, commune_,
                       At(2025, 1, 10))),
            "accepted");
  ASSERT_EQ(Reason(Run(SelectList{"d1", 2025, {"e1"}, ""}, district_,
                       At(2025, 2, 1))),
            "accepted");
  EXPECT_EQ(Reason(Run(SubmitList{"d1", 2025, "c2"}, district_, at)),
            "invalid_recipient");
  EXPECT_EQ(Reason(Run(SubmitList{"d1", 2025, "nowhere"}, district_, at)),
            "unknown_unit");
  auto submitted = Run(SubmitList{"d1", 2025, "snv"}, district_, at);
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EventRecord record = ToRecord(submitted->front(), "registration-x", 1, 0);
  AnnualListSubmitted sent =
      DecodeRecordPayload<AnnualListSubmitted>(record).value();
  EXPECT_TRUE(sent.late);  // after 15 February
  EXPECT_EQ(sent.recipient_unit_id, "snv");
  EXPECT_EQ(Reason(Run(SubmitList{"d1", 2025, "snv"}, district_, at)),
            "already_submitted");
}

TEST_F(FunnelTest, ReviewersScorePropagationWithinTheBounds) {
  const std::int64_t at = At(2026, 6, 30);
  const Actor reviewer{"appraiser", "appraiser", "d1"};
  EXPECT_EQ(
      Reason(Run(ScorePropagation{"c1", "2026-H1", 80, "tốt"}, reviewer, at)),
      "accepted");
  auto high = Run(ScorePropagation{"c1", "2026-H1", 101, ""}, reviewer, at);
  EXPECT_EQ(Reason(high), "validation_failed");
  EXPECT_EQ(high.status().field(), "score");
  EXPECT_EQ(
      Reason(Run(ScorePropagation{"c1", "2026-H3", 50, ""}, reviewer, at)),
      "validation_failed");
  EXPECT_EQ(Reason(Run(ScorePropagation{"c1", "2026", 50, ""}, commune_, at)),
            "not_authorised");
  EXPECT_EQ(Reason(Run(ScorePropagation{"c3", "2026", 50, ""}, reviewer, at)),
            "not_in_scope");
}

TEST(ReviewPeriod, NamesYearsHalvesAndQuarters) {
  for (const char* good : {"2026", "2026-H1", "2026-H2", "2026-Q4"}) {
    EXPECT_TRUE(IsReviewPeriod(good)) << good;
  }
  for (const char* bad : {"26", "2026-H3", "2026-Q5", "2026-", "abcd"}) {
    EXPECT_FALSE(IsReviewPeriod(bad)) << bad;
  }
}

}  // namespace
}  // namespace exemplar::testing
