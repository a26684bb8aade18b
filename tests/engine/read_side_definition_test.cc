// The read side of a definition (engine/workflow/read_side.h): what the
// shipped definition declares, and each refusal with its location.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/workflow/definition.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/default_definition.h"

namespace exemplar {
namespace {

using nlohmann::json;

// Parses `def` and expects it refused with exactly `message`, located at
// the part before the colon.
void ExpectRefused(const json& def, const std::string& message) {
  Result<Definition> parsed = ParseDefinition(def.dump());
  ASSERT_FALSE(parsed.ok()) << message;
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), message);
  EXPECT_EQ(parsed.status().field(), message.substr(0, message.find(':')));
}

TEST(ReadSideDefinitionTest, ShippedDefinitionDeclaresTheMarks) {
  const ReadSide& read = testing::DefaultDefinition().read_side;
  EXPECT_EQ(read.mentor_slot, "mentor");
  EXPECT_EQ(read.ledger, (std::vector<std::string>{
                             "appraise", "record_vote", "approve", "reject",
                             "return_for_revision", "honour", "revoke_award"}));
  EXPECT_EQ(read.nominated.actions, std::vector<std::string>{"nominate"});
  EXPECT_EQ(read.nominated.period_field, "period");
  EXPECT_EQ(read.nominated.campaign_field, "campaign_id");
  EXPECT_EQ(read.nominated.kind_field, "nomination_kind");
  EXPECT_EQ(read.nominated.quarterly, "quarterly");
  EXPECT_EQ(read.nominated.annual, "annual");
  EXPECT_TRUE(read.approved.MarkedBy("approve"));
  EXPECT_FALSE(read.approved.MarkedBy("honour"));
  EXPECT_EQ(read.replication_evaluated.outcome_field, "outcome");
  EXPECT_EQ(read.replication_evaluated.not_adopted, "not_replicated");
  EXPECT_EQ(read.evaluated.period_field, "period");
  EXPECT_EQ(read.view.at("withdraw_nomination"), ViewSection::kDecision);
  EXPECT_EQ(read.view.count("log_support_visit"), 0u);  // nurturing
  EXPECT_EQ(read.closed_states, std::vector<std::string>{"retired"});
}

TEST(ReadSideDefinitionTest, AMissingReadSideOrMarkIsRefused) {
  json def = testing::DefaultDefinitionJson();
  def.erase("read_side");
  ExpectRefused(def, "read_side: missing");
  for (const char* mark :
       {"nominated", "approved", "honoured", "propagated",
        "replication_planned", "replication_evaluated", "evaluated"}) {
    def = testing::DefaultDefinitionJson();
    def["read_side"]["marks"].erase(mark);
    ExpectRefused(def, std::string("read_side.marks.") + mark + ": missing");
  }
  def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["nominated"].erase("campaign_field");
  ExpectRefused(def, "read_side.marks.nominated.campaign_field: missing");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["approved"]["actions"] = json::array();
  ExpectRefused(def, "read_side.marks.approved.actions: empty");
  def = testing::DefaultDefinitionJson();
  def["read_side"].erase("follow_up");
  ExpectRefused(def, "read_side.follow_up: missing");
}

TEST(ReadSideDefinitionTest, UnknownMarksAndMembersAreRefused) {
  json def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["adopted"] = {{"actions", {"approve"}}};
  ExpectRefused(def, "read_side.marks.adopted: unknown mark \"adopted\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["approved"]["period_field"] = "period";
  ExpectRefused(def,
                "read_side.marks.approved.period_field: not read for this "
                "mark");
}

TEST(ReadSideDefinitionTest, UnknownActionsAreRefused) {
  json def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["honoured"]["actions"] = {"honor"};
  ExpectRefused(def,
                "read_side.marks.honoured.actions[0]: unknown action "
                "\"honor\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["ledger"][1] = "vote";
  ExpectRefused(def, "read_side.ledger[1]: unknown action \"vote\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["view"]["decision"][3] = "withdraw";
  ExpectRefused(def, "read_side.view.decision[3]: unknown action \"withdraw\"");
}

TEST(ReadSideDefinitionTest, FieldsAMarkReadsMustBeRecordedWithTheirType) {
  json def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["nominated"]["period_field"] = "term";
  ExpectRefused(def,
                "read_side.marks.nominated.period_field: action \"nominate\" "
                "records no period field \"term\"");
  // A text field where an enum is read.
  def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["replication_evaluated"]["outcome_field"] =
      "evaluation";
  ExpectRefused(def,
                "read_side.marks.replication_evaluated.outcome_field: action "
                "\"evaluate_replication\" records no enum field "
                "\"evaluation\"");
  // A second action marking the milestone must record the field too.
  def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["evaluated"]["actions"].push_back("retire");
  ExpectRefused(def,
                "read_side.marks.evaluated.period_field: action \"retire\" "
                "records no period field \"period\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["view"]["replication_progress"].push_back("retire");
  ExpectRefused(def,
                "read_side.view.replication_progress[1].id_field: action "
                "\"retire\" records no string field \"replication_id\"");
}

TEST(ReadSideDefinitionTest, ValuesAMarkLooksForMustBeValuesOfItsField) {
  json def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["replication_evaluated"]["not_adopted"] = "failed";
  ExpectRefused(def,
                "read_side.marks.replication_evaluated.not_adopted: \"failed\" "
                "is not a value of \"outcome\" of action "
                "\"evaluate_replication\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["nominated"]["annual"] = "yearly";
  ExpectRefused(def,
                "read_side.marks.nominated.annual: \"yearly\" is not a value "
                "of \"nomination_kind\" of action \"nominate\"");
}

TEST(ReadSideDefinitionTest, UnknownStatesSlotsAndSectionsAreRefused) {
  json def = testing::DefaultDefinitionJson();
  def["read_side"]["follow_up"]["closed_states"] = {"retird"};
  ExpectRefused(def,
                "read_side.follow_up.closed_states[0]: unknown state "
                "\"retird\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["mentor_slot"] = "coach";
  ExpectRefused(def, "read_side.mentor_slot: no action fills slot \"coach\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["mentor_slot"] = "";
  ExpectRefused(def, "read_side.mentor_slot: no action fills slot \"\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["view"]["awards"] = {"honour"};
  ExpectRefused(def, "read_side.view.awards: unknown view section \"awards\"");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["view"]["honours"].push_back("approve");
  ExpectRefused(def,
                "read_side.view.honours[1]: action \"approve\" is in two view "
                "sections");
}

TEST(ReadSideDefinitionTest, TheCreatingActionRecordsWhatTheListShows) {
  json def = testing::DefaultDefinitionJson();
  def["subject"]["name_field"] = "title";
  ExpectRefused(def,
                "actions[0].fields: a creating action needs string field "
                "\"title\"");
  def = testing::DefaultDefinitionJson();
  def["subject"]["domain_field"] = "summary";
  ExpectRefused(def,
                "actions[0].fields: a creating action needs enum field "
                "\"summary\"");
  def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"][6].erase("values");
  ExpectRefused(def,
                "actions[0].fields: priority field \"priority_flags\" needs "
                "values");
}

}  // namespace
}  // namespace exemplar
