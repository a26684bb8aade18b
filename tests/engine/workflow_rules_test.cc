// Each rule of the default definition, with its exact rejection reason and
// nothing appended: four-eyes, recusal, criteria, criteria-set conditions,
// public comment period, council vote threshold, granting level, vote sums,
// replication references, criteria an appraisal may name.
#include <gtest/gtest.h>

#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

class WorkflowRulesTest : public ::testing::Test {
 protected:
  // Expects rejection with `reason` and an unchanged log.
  void ExpectRejected(const Status& status, const std::string& reason) {
    EXPECT_EQ(status.code(), StatusCode::kRejected) << status.ToString();
    EXPECT_EQ(status.reason(), reason) << status.ToString();
    EXPECT_EQ(driver_.log().size(), logged_);
  }
  void Mark() { logged_ = driver_.log().size(); }
  void Take(const std::string& user, const std::string& action,
            nlohmann::json fields) {
    Status status = driver_.Try(
        action, Person{user, Role(action), "d1"}.actor(), std::move(fields));
    ASSERT_TRUE(status.ok()) << action << ": " << status.ToString();
  }
  static std::string Role(const std::string& action) {
    return action == "nominate"   ? "nominator"
           : action == "appraise" ? "appraiser"
                                  : "approver";
  }
  // The standard path to `state`, with public comment opened 15 days ago
  // and a vote recorded when `state` is "voted".
  void Reach(const std::string& state) { Advance(driver_, state); }

  World world_;
  Driver driver_{world_};
  size_t logged_ = 0;
};

TEST_F(WorkflowRulesTest, NominatorMayNotAppraiseTheSameNomination) {
  Reach("nurturing");
  Take("multi", "nominate", ValidFields("nominate"));
  Mark();
  ExpectRejected(
      driver_.Try("appraise", Person{"multi", "appraiser", "d1"}.actor(),
                  ValidFields("appraise")),
      "four_eyes_violation");
}

TEST_F(WorkflowRulesTest, NominatorMayNotApproveTheSameNomination) {
  Reach("nurturing");
  Take("multi", "nominate", ValidFields("nominate"));
  ASSERT_TRUE(
      driver_.By("appraiser", "appraise", ValidFields("appraise")).ok());
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver_.Skip(15 * kDay);
  ASSERT_TRUE(
      driver_.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
  Mark();
  ExpectRejected(
      driver_.Try("approve", Person{"multi", "approver", "d1"}.actor(), {}),
      "four_eyes_violation");
}

TEST_F(WorkflowRulesTest, AppraiserMayNotApproveTheSameNomination) {
  Reach("nominated");
  Take("multi", "appraise", ValidFields("appraise"));
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver_.Skip(15 * kDay);
  ASSERT_TRUE(
      driver_.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
  Mark();
  ExpectRejected(
      driver_.Try("approve", Person{"multi", "approver", "d1"}.actor(), {}),
      "four_eyes_violation");
}

TEST_F(WorkflowRulesTest, FourEyesIsPerNominationSoANewCycleStartsAfresh) {
  Reach("nurturing");
  Take("multi", "nominate", ValidFields("nominate"));
  ASSERT_TRUE(driver_
                  .By("nominator", "withdraw_nomination",
                      ValidFields("withdraw_nomination"))
                  .ok());
  ASSERT_TRUE(
      driver_.By("nominator", "nominate", ValidFields("nominate")).ok());
  Take("multi", "appraise", ValidFields("appraise"));
}

TEST_F(WorkflowRulesTest, MentorMayNotApproveTheirOwnMentee) {
  Reach("voted");
  ASSERT_TRUE(driver_
                  .By("nominator", "reassign_mentor",
                      {{"mentor_id", "multi"}, {"reason", "Thay đổi"}})
                  .ok());
  Mark();
  ExpectRejected(
      driver_.Try("approve", Person{"multi", "approver", "d1"}.actor(), {}),
      "four_eyes_violation");
}

// The mentor rule reads the exemplar's history, not the slot: releasing or
// replacing the mentor does not clear the way to approving.
TEST_F(WorkflowRulesTest, FormerMentorMayNotApproveAfterReleasingThemselves) {
  Reach("voted");
  ASSERT_TRUE(driver_
                  .By("nominator", "reassign_mentor",
                      {{"mentor_id", "multi"}, {"reason", "Thay đổi"}})
                  .ok());
  Take("multi", "release_mentor", ValidFields("release_mentor"));
  ASSERT_EQ(driver_.state().slots.count("mentor"), 0u);
  Mark();
  ExpectRejected(
      driver_.Try("approve", Person{"multi", "approver", "d1"}.actor(), {}),
      "four_eyes_violation");
}

TEST_F(WorkflowRulesTest, FormerMentorMayNotApproveAfterBeingReplaced) {
  Reach("nurturing");
  ASSERT_TRUE(driver_
                  .By("nominator", "reassign_mentor",
                      {{"mentor_id", "multi"}, {"reason", "Thay đổi"}})
                  .ok());
  ASSERT_TRUE(driver_
                  .By("nominator", "reassign_mentor",
                      {{"mentor_id", "mentor"}, {"reason", "Trả lại"}})
                  .ok());
  ASSERT_TRUE(
      driver_.By("nominator", "nominate", ValidFields("nominate")).ok());
  ASSERT_TRUE(
      driver_.By("appraiser", "appraise", ValidFields("appraise")).ok());
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver_.Skip(15 * kDay);
  ASSERT_TRUE(
      driver_.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
  Mark();
  ExpectRejected(
      driver_.Try("approve", Person{"multi", "approver", "d1"}.actor(), {}),
      "four_eyes_violation");
}

TEST_F(WorkflowRulesTest, DeclaredConflictRecusesFromAppraisalVoteAndApproval) {
  Reach("nurturing");
  for (const char* user : {"appraiser", "council_member", "approver"}) {
    ASSERT_TRUE(driver_
                    .By("approver", "declare_conflict",
                        {{"user_id", user}, {"reason", "Họ hàng"}})
                    .ok());
  }
  ASSERT_TRUE(
      driver_.By("nominator", "nominate", ValidFields("nominate")).ok());
  Mark();
  ExpectRejected(driver_.By("appraiser", "appraise", ValidFields("appraise")),
                 "conflict_of_interest");
  Take("multi", "appraise", ValidFields("appraise"));
  Mark();
  ExpectRejected(
      driver_.By("council_member", "record_vote", ValidFields("record_vote")),
      "conflict_of_interest");
  ExpectRejected(driver_.By("approver", "approve", {}), "conflict_of_interest");
}

TEST_F(WorkflowRulesTest, ApprovalNeedsEveryMandatoryCriterionMet) {
  Reach("nominated");
  nlohmann::json fields = ValidFields("appraise");
  fields["criteria"][1]["met"] = false;  // wu_household_no_poverty
  ASSERT_TRUE(driver_.By("appraiser", "appraise", fields).ok());
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver_.Skip(15 * kDay);
  ASSERT_TRUE(
      driver_.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
  Mark();
  Status status = driver_.By("approver", "approve", {});
  ExpectRejected(status, "criteria_not_met");
  EXPECT_NE(status.message().find("wu_household_no_poverty"),
            std::string::npos);
}

TEST_F(WorkflowRulesTest, OptionalCriteriaNeedNotBeMet) {
  Reach("nominated");
  nlohmann::json fields = ValidFields("appraise");
  fields["criteria"].push_back(
      {{"criterion", "wu_household_income"}, {"met", false}});
  ASSERT_TRUE(driver_.By("appraiser", "appraise", fields).ok());
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver_.Skip(15 * kDay);
  ASSERT_TRUE(
      driver_.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
  EXPECT_TRUE(driver_.By("approver", "approve", {}).ok());
}

TEST_F(WorkflowRulesTest, ApprovalWaitsForTenWorkingDaysOfPublicComment) {
  Reach("appraised");
  // Opened Friday 2024-05-10; nine working days later is Thursday 05-23.
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"), At(2024, 5, 10))
                  .ok());
  ASSERT_TRUE(driver_
                  .By("council_member", "record_vote",
                      ValidFields("record_vote"), At(2024, 5, 22))
                  .ok());
  Mark();
  ExpectRejected(driver_.By("approver", "approve", {}, At(2024, 5, 23)),
                 "comment_period_open");
  EXPECT_TRUE(driver_.By("approver", "approve", {}, At(2024, 5, 24)).ok());
}

TEST_F(WorkflowRulesTest, ApprovalWithoutPublicCommentIsRejected) {
  Reach("appraised");
  driver_.Skip(20 * kDay);
  ASSERT_TRUE(
      driver_.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
  Mark();
  ExpectRejected(driver_.By("approver", "approve", {}), "comment_period_open");
}

TEST_F(WorkflowRulesTest, CouncilVoteMustBeMoreThanHalfOfAllMembers) {
  Reach("public_comment");
  driver_.Skip(15 * kDay);
  nlohmann::json vote = ValidFields("record_vote");
  vote["members"] = 10;
  vote["votes_for"] = 5;
  vote["votes_against"] = 0;
  vote["abstentions"] = 0;  // three members absent: still of all members
  ASSERT_TRUE(driver_.By("council_member", "record_vote", vote).ok());
  Mark();
  ExpectRejected(driver_.By("approver", "approve", {}),
                 "vote_threshold_not_met");
}

TEST_F(WorkflowRulesTest, HighestTitlesNeedNinetyPercent) {
  Reach("nurturing");
  nlohmann::json nomination = ValidFields("nominate");
  nomination["award_form"] = "anh_hung";
  ASSERT_TRUE(driver_.By("nominator", "nominate", nomination).ok());
  ASSERT_TRUE(
      driver_.By("appraiser", "appraise", ValidFields("appraise")).ok());
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver_.Skip(15 * kDay);
  nlohmann::json vote = {{"members", 10},
                         {"votes_for", 8},
                         {"votes_against", 2},
                         {"abstentions", 0},
                         {"meeting_date", "2024-06-03"}};
  ASSERT_TRUE(driver_.By("council_member", "record_vote", vote).ok());
  Mark();
  ExpectRejected(driver_.By("approver", "approve", {}),
                 "vote_threshold_not_met");
  ASSERT_TRUE(driver_
                  .By("approver", "return_for_revision",
                      ValidFields("return_for_revision"))
                  .ok());
  ASSERT_TRUE(driver_.By("nominator", "nominate", nomination).ok());
  ASSERT_TRUE(
      driver_.By("appraiser", "appraise", ValidFields("appraise")).ok());
  ASSERT_TRUE(driver_
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver_.Skip(15 * kDay);
  vote["votes_for"] = 9;
  vote["votes_against"] = 1;
  ASSERT_TRUE(driver_.By("council_member", "record_vote", vote).ok());
  EXPECT_TRUE(driver_.By("approver", "approve", {}).ok());
}

TEST_F(WorkflowRulesTest, VoteCountsMayNotExceedMembers) {
  Reach("public_comment");
  nlohmann::json vote = ValidFields("record_vote");
  vote["votes_for"] = 9;
  Mark();
  Status status = driver_.By("council_member", "record_vote", vote);
  ExpectRejected(status, "validation_failed");
  EXPECT_EQ(status.field(), "members");
}

TEST_F(WorkflowRulesTest, DistrictMayNotGrantAProvincialAward) {
  Reach("approved");
  nlohmann::json honour = ValidFields("honour");
  honour["award_form"] = "bang_khen";
  Mark();
  ExpectRejected(driver_.By("approver", "honour", honour),
                 "award_level_not_allowed");
}

TEST_F(WorkflowRulesTest, WomensUnionCollectiveNeedsSeventyPercentWomen) {
  nlohmann::json detect = ValidFields("detect");
  detect["subject_kind"] = "collective";
  detect["name"] = "Chi hội phụ nữ thôn 2";
  detect["women_ratio"] = 0.6;
  ASSERT_TRUE(driver_.By("reporter", "detect", detect).ok());
  ASSERT_TRUE(
      driver_.By("nominator", "assign_mentor", ValidFields("assign_mentor"))
          .ok());
  Mark();
  ExpectRejected(driver_.By("nominator", "nominate", ValidFields("nominate")),
                 "women_ratio_below_minimum");
  // The same collective in a campaign under the general criteria set.
  nlohmann::json general = ValidFields("nominate");
  general["campaign_id"] = "gen2024";
  EXPECT_TRUE(driver_.By("nominator", "nominate", general).ok());
}

TEST_F(WorkflowRulesTest, CollectiveWithoutRecordedRatioIsRejected) {
  nlohmann::json detect = ValidFields("detect");
  detect["subject_kind"] = "collective";
  detect.erase("women_ratio");
  ASSERT_TRUE(driver_.By("reporter", "detect", detect).ok());
  ASSERT_TRUE(
      driver_.By("nominator", "assign_mentor", ValidFields("assign_mentor"))
          .ok());
  Mark();
  ExpectRejected(driver_.By("nominator", "nominate", ValidFields("nominate")),
                 "subject_condition_unknown");
}

TEST_F(WorkflowRulesTest, WomensUnionHouseholdNeedsCulturedFamilyTitle) {
  nlohmann::json detect = ValidFields("detect");
  detect["cultured_family"] = false;
  ASSERT_TRUE(driver_.By("reporter", "detect", detect).ok());
  ASSERT_TRUE(
      driver_.By("nominator", "assign_mentor", ValidFields("assign_mentor"))
          .ok());
  Mark();
  ExpectRejected(driver_.By("nominator", "nominate", ValidFields("nominate")),
                 "cultured_family_required");
}

TEST_F(WorkflowRulesTest, ReplicationMustBePlannedOnceBeforeProgress) {
  Reach("honoured");
  Mark();
  ExpectRejected(driver_.By("mentor", "record_replication_progress",
                            ValidFields("record_replication_progress")),
                 "unknown_replication");
  ASSERT_TRUE(
      driver_.By("mentor", "plan_replication", ValidFields("plan_replication"))
          .ok());
  Mark();
  ExpectRejected(
      driver_.By("mentor", "plan_replication", ValidFields("plan_replication")),
      "duplicate_replication");
}

TEST_F(WorkflowRulesTest, ClosedCampaignCannotTakeNominations) {
  Reach("nurturing");
  world_.System(CampaignClosed{"wu2024", "Kết thúc"}, driver_.now() - kHour);
  Mark();
  Status status = driver_.By("nominator", "nominate", ValidFields("nominate"));
  ExpectRejected(status, "validation_failed");
  EXPECT_EQ(status.field(), "campaign_id");
}

TEST_F(WorkflowRulesTest, AppraisalNamingAnUnknownCriterionIsRefusedNamingIt) {
  Reach("nominated");
  nlohmann::json fields = ValidFields("appraise");
  const std::size_t index = fields["criteria"].size();
  fields["criteria"].push_back({{"criterion", "C9"}, {"met", true}});
  Mark();
  Status status = driver_.By("appraiser", "appraise", fields);
  ExpectRejected(status, "validation_failed");
  EXPECT_EQ(status.field(),
            "criteria[" + std::to_string(index) + "].criterion");
  EXPECT_NE(status.message().find("\"C9\""), std::string::npos);
  EXPECT_NE(status.message().find("womens_union"), std::string::npos);
}

TEST_F(WorkflowRulesTest,
       AppraisalNamingAnotherSubjectKindsCriterionIsRefused) {
  Reach("nominated");
  nlohmann::json fields = ValidFields("appraise");  // a household's
  fields["criteria"][0]["criterion"] = "wu_collective_charity";
  Mark();
  Status status = driver_.By("appraiser", "appraise", fields);
  ExpectRejected(status, "validation_failed");
  EXPECT_EQ(status.field(), "criteria[0].criterion");
  EXPECT_NE(status.message().find("household"), std::string::npos);
}

}  // namespace
}  // namespace exemplar::testing
