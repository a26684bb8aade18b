// The seeds' rules the default definition states as data, each with its
// refusal and nothing appended: the eight criteria of a "5 không, 3 sạch"
// household (seed 002), the detection sources of seed 000, the dates and
// references a decision or a record must hold to.
#include <gtest/gtest.h>

#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

class SeedRulesTest : public ::testing::Test {
 protected:
  void ExpectRejected(const Status& status, const std::string& reason,
                      const std::string& field = {}) {
    EXPECT_EQ(status.code(), StatusCode::kRejected) << status.ToString();
    EXPECT_EQ(status.reason(), reason) << status.ToString();
    if (!field.empty()) {
      EXPECT_EQ(status.field(), field) << status.ToString();
    }
    EXPECT_EQ(driver_.log().size(), logged_);
  }
  void Mark() { logged_ = driver_.log().size(); }
  void Reach(const std::string& state) { Advance(driver_, state); }

  World world_;
  Driver driver_{world_};
  size_t logged_ = 0;
};

const char* const kFiveNoThreeClean[] = {
    "wu_household_no_poverty",
    "wu_household_no_law_violation",
    "wu_household_no_domestic_violence",
    "wu_household_no_third_child",
    "wu_household_no_malnourished_or_dropout",
    "wu_household_clean_house",
    "wu_household_clean_kitchen",
    "wu_household_clean_alley"};

TEST_F(SeedRulesTest, AHouseholdIsJudgedOnEachOfTheEightCriteria) {
  const CriteriaSet* set = DefaultDefinition().FindCriteriaSet("womens_union");
  ASSERT_NE(set, nullptr);
  for (const char* id : kFiveNoThreeClean) {
    auto it = std::find_if(set->criteria.begin(), set->criteria.end(),
                           [&](const Criterion& c) { return c.id == id; });
    ASSERT_NE(it, set->criteria.end()) << id;
    EXPECT_TRUE(it->mandatory) << id;
    EXPECT_EQ(it->subject_kinds, std::vector<std::string>{"household"}) << id;
  }
}

TEST_F(SeedRulesTest, ApprovalNamesEachOfTheEightCriteriaNotMet) {
  for (const char* unmet : kFiveNoThreeClean) {
    World world;
    Driver driver(world, std::string("ex-") + unmet);
    Advance(driver, "nominated");
    nlohmann::json fields = ValidFields("appraise");
    for (nlohmann::json& result : fields["criteria"]) {
      if (result["criterion"] == unmet) result["met"] = false;
    }
    AppraiseAndVote(driver, fields);
    if (HasFatalFailure()) return;
    const size_t before = driver.log().size();
    Status status = driver.By("approver", "approve", {});
    EXPECT_EQ(status.reason(), "criteria_not_met") << unmet;
    EXPECT_NE(status.message().find(unmet), std::string::npos)
        << status.ToString();
    EXPECT_EQ(driver.log().size(), before);
  }
}

TEST_F(SeedRulesTest, TheEightAreNoLongerOneCriterionInFreeText) {
  Reach("nominated");
  nlohmann::json fields = ValidFields("appraise");
  fields["criteria"].push_back(
      {{"criterion", "wu_household_5k3s"}, {"met", true}});
  Mark();
  ExpectRejected(driver_.By("appraiser", "appraise", fields),
                 "validation_failed");
}

// Seed 000, "Cách phát hiện điển hình": a branch's monthly or ad-hoc report,
// the commune's inspection or attendance at branch meetings, a district
// cadre's field visit, the mass media.
TEST_F(SeedRulesTest, DetectionNamesEachSourceOfSeedZero) {
  const FieldSpec* source =
      DefaultDefinition().FindAction("detect")->FindField("source");
  ASSERT_NE(source, nullptr);
  EXPECT_TRUE(source->required);
  int n = 0;
  for (const char* value :
       {"branch_report", "branch_adhoc_report", "commune_inspection",
        "district_field_visit", "mass_media"}) {
    ASSERT_NE(source->ValueLabel(value), nullptr) << value;
    EXPECT_FALSE(source->ValueLabel(value)->vi.empty());
    nlohmann::json fields = ValidFields("detect");
    fields["source"] = value;
    Driver driver(world_, "ex-source-" + std::to_string(++n));
    EXPECT_TRUE(driver.By("reporter", "detect", fields).ok()) << value;
    EXPECT_EQ(std::get<std::string>(driver.state().facts.at("source")), value);
  }
  EXPECT_EQ(source->ValueLabel("branch_adhoc_report")->en,
            "A branch's ad-hoc report");
}

TEST_F(SeedRulesTest, DetectionRefusesASourceTheDefinitionDoesNotName) {
  nlohmann::json fields = ValidFields("detect");
  fields["source"] = "rumour";
  ExpectRejected(driver_.By("reporter", "detect", fields), "validation_failed",
                 "source");
  fields.erase("source");
  ExpectRejected(driver_.By("reporter", "detect", fields), "validation_failed",
                 "source");
}

// An honour reached on the standard path: approved on 11 June 2024,
// honoured the day after.
nlohmann::json Honour(const std::string& decision_date) {
  nlohmann::json fields = ValidFields("honour");
  fields["decision_date"] = decision_date;
  return fields;
}

TEST_F(SeedRulesTest, ADecisionDateMayNotBeAfterTheDecisionIsRecorded) {
  Reach("approved");
  Mark();
  Status status = driver_.By("approver", "honour", Honour("2024-06-13"));
  ExpectRejected(status, "decision_date_in_future", "decision_date");
  EXPECT_EQ(status.text_en(),
            "A decision date may not be after the day the decision is "
            "recorded");
  EXPECT_FALSE(status.text_vi().empty());
  EXPECT_TRUE(driver_.By("approver", "honour", Honour("2024-06-12")).ok());
  nlohmann::json revoke = ValidFields("revoke_award");
  revoke["decision_date"] = "2024-06-20";
  Mark();
  ExpectRejected(driver_.By("approver", "revoke_award", revoke),
                 "decision_date_in_future", "decision_date");
}

TEST_F(SeedRulesTest, AnAwardsDecisionDateMayNotBeBeforeTheApproval) {
  Reach("approved");
  Mark();
  Status status = driver_.By("approver", "honour", Honour("2024-06-10"));
  ExpectRejected(status, "decision_date_before_approval", "decision_date");
  EXPECT_NE(status.message().find("2024-06-11"), std::string::npos)
      << status.message();
  EXPECT_TRUE(driver_.By("approver", "honour", Honour("2024-06-11")).ok());
}

TEST_F(SeedRulesTest, ThePatrioticEmulationDayIsEleventhJune) {
  Reach("approved");
  nlohmann::json fields = Honour("2024-06-11");
  fields.erase("occasion_date");
  Mark();
  ExpectRejected(driver_.By("approver", "honour", fields),
                 "occasion_date_mismatch", "occasion_date");
  fields["occasion_date"] = "2024-06-12";
  ExpectRejected(driver_.By("approver", "honour", fields),
                 "occasion_date_mismatch", "occasion_date");
  fields["occasion_date"] = "2024-06-11";
  ASSERT_TRUE(driver_.By("approver", "honour", fields).ok());
  EXPECT_EQ(std::get<CivilDate>(driver_.state().facts.at("occasion_date")),
            CivilDate::FromYmd(2024, 6, 11));
}

TEST_F(SeedRulesTest, AnotherOccasionTakesAnyDateOrNone) {
  Reach("approved");
  nlohmann::json fields = Honour("2024-06-11");
  fields["occasion"] = "periodic_review";
  fields["occasion_date"] = "2024-06-12";
  EXPECT_TRUE(driver_.By("approver", "honour", fields).ok());
}

TEST_F(SeedRulesTest, EmulationIsRegisteredWithAnExemplarThatExists) {
  Reach("nurturing");
  nlohmann::json fields = ValidFields("register_emulation");
  fields["partner_exemplar_id"] = "nobody";
  Mark();
  Status status = driver_.By("mentor", "register_emulation", fields);
  ExpectRejected(status, "validation_failed", "partner_exemplar_id");
  // One the mentor may not see (a commune of the other district) answers
  // as one that does not exist.
  driver_.Know("ex3", "c3");
  fields["partner_exemplar_id"] = "ex3";
  Status unseen = driver_.By("mentor", "register_emulation", fields);
  ExpectRejected(unseen, "validation_failed", "partner_exemplar_id");
  EXPECT_EQ(unseen.message(),
            std::string(status.message())
                .replace(status.message().find("nobody"), 6, "ex3"));
  fields["partner_exemplar_id"] = "ex2";
  EXPECT_TRUE(driver_.By("mentor", "register_emulation", fields).ok());
}

TEST_F(SeedRulesTest, ExperienceIsRecordedAsTheExemplarsOwnWords) {
  Reach("nurturing");
  ASSERT_TRUE(driver_
                  .Try("document_experience", Who("mentor").actor(),
                       ValidFields("document_experience"), 0, "ex1")
                  .ok());
  EXPECT_EQ(driver_.log().back().on_behalf_of, "ex1");
  EXPECT_EQ(driver_.log().back().actor.user_id, "mentor");
  ASSERT_TRUE(driver_
                  .By("mentor", "document_experience",
                      ValidFields("document_experience"))
                  .ok());
  EXPECT_EQ(driver_.log().back().on_behalf_of, "");
}

TEST_F(SeedRulesTest, OnlyTheExemplarsOwnWordsAreRecordedOnTheirBehalf) {
  Reach("nurturing");
  Mark();
  ExpectRejected(driver_.Try("document_experience", Who("mentor").actor(),
                             ValidFields("document_experience"), 0, "ex2"),
                 "validation_failed", "on_behalf_of");
  ExpectRejected(driver_.Try("log_support_visit", Who("mentor").actor(),
                             ValidFields("log_support_visit"), 0, "ex1"),
                 "on_behalf_of_not_allowed", "on_behalf_of");
}

// A Women's Union campaign decided by the Union's standing committee, whose
// member "wu_sc" sits at the district, beside the test world's campaigns
// (decided by the emulation council, the definition's first body).
class DecidingBodyTest : public SeedRulesTest {
 protected:
  void SetUp() override {
    const std::int64_t t0 = At(2024, 1, 3);
    world_.People("wu_sc", "standing_committee", "d1", "d1", t0);
    world_.System(CampaignLaunched{"wu-sc", "Xây dựng gia đình 5 không, 3 sạch",
                                   "kh", CivilDate::FromYmd(2024, 1, 1),
                                   CivilDate::FromYmd(2024, 12, 31),
                                   "womens_union", "wu_standing_committee"},
                  t0);
  }
  // The nomination on `campaign` brought to a vote.
  void Voted(const std::string& campaign) {
    Reach("nurturing");
    nlohmann::json nominate = ValidFields("nominate");
    nominate["campaign_id"] = campaign;
    ASSERT_TRUE(driver_.By("nominator", "nominate", nominate).ok());
    nlohmann::json appraise = ValidFields("appraise");
    if (campaign == "gen2024") {  // the general criteria set
      appraise["criteria"] = {
          {{"criterion", "policy_compliance"}, {"met", true}},
          {{"criterion", "outstanding_achievement"}, {"met", true}}};
    }
    AppraiseAndVote(driver_, appraise);
  }
  Status As(const std::string& user, const std::string& role,
            const std::string& action, nlohmann::json fields) {
    return driver_.Try(action, Person{user, role, "d1"}.actor(),
                       std::move(fields));
  }
};

TEST_F(DecidingBodyTest, AUnionCampaignIsDecidedByItsStandingCommittee) {
  Voted("wu-sc");
  Mark();
  Status status = As("approver", "approver", "approve", {});
  ExpectRejected(status, "decided_by_another_body");
  EXPECT_EQ(status.text_en(),
            "Another body decides this campaign's nominations");
  EXPECT_NE(status.message().find("wu_standing_committee"), std::string::npos)
      << status.message();
  ExpectRejected(As("approver", "approver", "reject", {{"reason", "Chưa đạt"}}),
                 "decided_by_another_body");
  ASSERT_TRUE(As("wu_sc", "standing_committee", "approve", {}).ok());
  nlohmann::json honour = ValidFields("honour");
  honour["decision_date"] =
      CivilDate::AtInstant(driver_.now(), kOffset).ToString();
  honour["occasion"] = "periodic_review";
  Mark();
  ExpectRejected(As("approver", "approver", "honour", honour),
                 "decided_by_another_body");
  EXPECT_TRUE(As("wu_sc", "standing_committee", "honour", honour).ok());
}

TEST_F(DecidingBodyTest, AGovernmentMovementIsDecidedByTheCouncil) {
  Voted("gen2024");
  Mark();
  ExpectRejected(As("wu_sc", "standing_committee", "approve", {}),
                 "decided_by_another_body");
  EXPECT_TRUE(As("approver", "approver", "approve", {}).ok());
}

TEST_F(DecidingBodyTest, ACampaignNamesABodyOfTheDefinition) {
  Status status = world_.TrySystem(
      CampaignLaunched{
          "wu-x", "Phong trào", "kh", CivilDate::FromYmd(2024, 1, 1),
          CivilDate::FromYmd(2024, 12, 31), "womens_union", "party_cell"},
      At(2024, 1, 4), Actor{"admin", "admin", "vn"});
  EXPECT_EQ(status.reason(), "unknown_deciding_body") << status.ToString();
  EXPECT_EQ(status.field(), "deciding_body");
  EXPECT_EQ(world_.authority().FindCampaign("wu-x"), nullptr);
  EXPECT_EQ(world_.authority().FindCampaign("wu-sc")->deciding_body,
            "wu_standing_committee");
}

// Replication followed where it happens: the reporter of commune c2, who
// does not see commune c1's exemplar, records the progress of a replication
// planned into c2, and nothing else.
class ReplicationTargetTest : public SeedRulesTest {
 protected:
  void SetUp() override {
    world_.People("reporter_c2", "reporter", "c2", "c2", At(2024, 1, 3));
    Reach("approved");
    nlohmann::json plan = ValidFields("plan_replication");
    plan["replication_id"] = "r-c2";
    plan["target_unit"] = "c2";
    ASSERT_TRUE(driver_.By("approver", "plan_replication", plan).ok());
    plan["replication_id"] = "r-c1";
    plan["target_unit"] = "c1";
    ASSERT_TRUE(driver_.By("mentor", "plan_replication", plan).ok());
  }
  static Actor TargetReporter() {
    return Person{"reporter_c2", "reporter", "c2"}.actor();
  }
  static nlohmann::json Progress(const std::string& replication) {
    nlohmann::json fields = ValidFields("record_replication_progress");
    fields["replication_id"] = replication;
    return fields;
  }
};

TEST_F(ReplicationTargetTest, TheTargetUnitRecordsProgressOnItsReplication) {
  ASSERT_TRUE(driver_
                  .Try("record_replication_progress", TargetReporter(),
                       Progress("r-c2"))
                  .ok());
  EXPECT_EQ(driver_.log().back().actor.unit_id, "c2");
  EXPECT_EQ(driver_.state().maps.at("replication_targets").at("r-c2"), "c2");
  EXPECT_EQ(driver_.Replay(), driver_.state());
}

TEST_F(ReplicationTargetTest, ItSeesNothingElseOfTheExemplar) {
  Mark();
  ExpectRejected(driver_.Try("record_replication_progress", TargetReporter(),
                             Progress("r-c1")),
                 "exemplar_not_found");
  ExpectRejected(driver_.Try("record_replication_progress", TargetReporter(),
                             Progress("r-none")),
                 "exemplar_not_found");
  ExpectRejected(driver_.Try("document_experience", TargetReporter(),
                             ValidFields("document_experience")),
                 "exemplar_not_found");
  const Definition& def = DefaultDefinition();
  EXPECT_TRUE(CheckActionOpen(driver_.state(), "ex1",
                              *def.FindAction("record_replication_progress"),
                              TargetReporter(), driver_.now(), def,
                              world_.authority())
                  .ok());
  EXPECT_EQ(CheckActionOpen(
                driver_.state(), "ex1", *def.FindAction("document_experience"),
                TargetReporter(), driver_.now(), def, world_.authority())
                .reason(),
            "exemplar_not_found");
}

TEST_F(ReplicationTargetTest, AReplicationTargetsOnlyTheActorsOwnUnits) {
  nlohmann::json plan = ValidFields("plan_replication");
  plan["replication_id"] = "r-far";
  plan["target_unit"] = "c2";
  Mark();
  Status status = driver_.By("mentor", "plan_replication", plan);
  ExpectRejected(status, "replication_target_out_of_authority", "target_unit");
  EXPECT_EQ(status.text_en(),
            "A replication may target only a unit within the planner's "
            "authority");
  plan["target_unit"] = "c3";
  ExpectRejected(driver_.By("approver", "plan_replication", plan),
                 "replication_target_out_of_authority", "target_unit");
}

// The workflow changes under a nomination in flight: the same definition at
// the next version meets a nomination started under the current one.
class DefinitionChangeTest : public SeedRulesTest {
 protected:
  void SetUp() override {
    next_.version = DefaultDefinition().version + 1;
    Reach("appraised");
    state_ = driver_.state();
  }
  Result<std::vector<NewEvent>> Under(const Definition& definition,
                                      const std::string& user,
                                      const std::string& action,
                                      nlohmann::json fields) {
    WorkflowCommand command{
        "ex1", action, std::move(fields), Who(user).actor(), at_, "", "", ""};
    return Decide(state_, command, definition, world_.authority());
  }
  // Folds `events` into the state, as the store would keep them.
  void Fold(const Definition& definition, const std::vector<NewEvent>& events) {
    for (const NewEvent& event : events) {
      Result<ExemplarState> next =
          Apply(definition, state_,
                ToRecord(event, "exemplar-ex1", state_.event_count + 1,
                         state_.event_count));
      ASSERT_TRUE(next.ok()) << next.status().ToString();
      state_ = std::move(*next);
    }
  }

  Definition next_ = DefaultDefinition();
  ExemplarState state_;
  std::int64_t at_ = At(2024, 6, 20);
};

TEST_F(DefinitionChangeTest, ANominationKeepsTheVersionItStartedUnder) {
  EXPECT_EQ(state_.cycle.definition_version, DefaultDefinition().version);
  auto refused = Under(next_, "appraiser", "open_public_comment",
                       ValidFields("open_public_comment"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "definition_version_changed");
  EXPECT_FALSE(refused.status().text_vi().empty());
  // Told before any field, in what the caller may do now.
  EXPECT_EQ(CheckActionOpen(state_, "ex1", *next_.FindAction("record_vote"),
                            Who("council_member").actor(), at_, next_,
                            world_.authority())
                .reason(),
            "definition_version_changed");
  // Under the version it started under, nothing changed.
  EXPECT_TRUE(Under(DefaultDefinition(), "appraiser", "open_public_comment",
                    ValidFields("open_public_comment"))
                  .ok());
}

TEST_F(DefinitionChangeTest, APersonMovesItToTheNewVersionByARecordedStep) {
  auto moved = Under(next_, "nominator", "adopt_definition_version",
                     {{"reason", "Áp dụng bộ tiêu chí mới"}});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  Fold(next_, *moved);
  EXPECT_EQ(state_.cycle.definition_version, next_.version);
  EXPECT_EQ(state_.state, "appraised");
  EXPECT_TRUE(Under(next_, "appraiser", "open_public_comment",
                    ValidFields("open_public_comment"))
                  .ok());
  // The old version now refuses it in turn: it was moved on.
  EXPECT_EQ(Under(DefaultDefinition(), "appraiser", "open_public_comment",
                  ValidFields("open_public_comment"))
                .status()
                .reason(),
            "definition_version_changed");
}

TEST_F(DefinitionChangeTest, ANewNominationStartsUnderTheCurrentVersion) {
  auto withdrawn = Under(next_, "nominator", "withdraw_nomination",
                         {{"reason", "Giới thiệu lại theo quy trình mới"}});
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status().ToString();
  Fold(next_, *withdrawn);
  nlohmann::json nominate = ValidFields("nominate");
  auto renominated = Under(next_, "nominator", "nominate", nominate);
  ASSERT_TRUE(renominated.ok()) << renominated.status().ToString();
  Fold(next_, *renominated);
  EXPECT_EQ(state_.cycle.definition_version, next_.version);
  EXPECT_TRUE(
      Under(next_, "appraiser", "appraise", ValidFields("appraise")).ok());
}

}  // namespace
}  // namespace exemplar::testing
