#include "engine/workflow/sample_fields.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/workflow/field_check.h"
#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;

// A role of `action` that the test organisation seats (Who).
std::string SeatedRole(const ActionSpec& action) {
  for (const std::string& role : action.roles) {
    if (role == "admin") return role;
    for (const RoleSeat& seat : RoleSeats()) {
      if (seat.role == role) return role;
    }
  }
  return "";
}

// The state of `action`'s `from` furthest along the standard path.
std::string FurthestFrom(const ActionSpec& action) {
  std::string furthest;
  for (const std::string& state : action.from) {
    if (furthest.empty() || PathTo(state).size() > PathTo(furthest).size()) {
      furthest = state;
    }
  }
  return furthest;
}

// Takes `action` with its sample fields, by a seated role, now.
Status TakeSample(Driver& driver, const ActionSpec& action) {
  SampleContext context = TestSampleContext();
  context.at_us = driver.now();
  return driver.By(SeatedRole(action), action.name,
                   SampleFields(DefaultDefinition(), action, context));
}

// The action that adds to `set`, e.g. plan_replication for "replications".
const ActionSpec* FillerOf(const std::string& set) {
  for (const ActionSpec& action : DefaultDefinition().actions) {
    if (action.effects.add_to_set == set) return &action;
  }
  return nullptr;
}

class SampleFieldsTest : public ::testing::TestWithParam<std::string> {
 protected:
  const ActionSpec& Action() const {
    return *DefaultDefinition().FindAction(GetParam());
  }
  World world_;
};

TEST_P(SampleFieldsTest, PassFieldValidation) {
  SampleContext context = TestSampleContext();
  const std::map<std::string, std::string> exemplars = {
      {context.exemplar_id, context.unit_id}};
  Result<Fields> fields = ValidateFields(
      Action(), SampleFields(DefaultDefinition(), Action(), context),
      FieldContext{DefaultDefinition(), world_.authority(), context.at_us, true,
                   &exemplars, Who("mentor").user});
  EXPECT_TRUE(fields.ok()) << fields.status().ToString();
}

TEST_P(SampleFieldsTest, PassDecideFromAStateTheActionStartsFrom) {
  const ActionSpec& action = Action();
  ASSERT_FALSE(SeatedRole(action).empty()) << action.name;
  Driver driver(world_);
  if (!action.creates) {
    Advance(driver, FurthestFrom(action));
    if (HasFatalFailure()) return;
  }
  // A rule that needs the field's value in a set: fill the set first.
  for (const Rule& rule : DefaultDefinition().rules) {
    if (rule.kind == RuleKind::kFieldInSet &&
        std::count(rule.actions.begin(), rule.actions.end(), action.name)) {
      ASSERT_NE(FillerOf(rule.set), nullptr);
      ASSERT_TRUE(TakeSample(driver, *FillerOf(rule.set)).ok());
    }
  }
  Status status = TakeSample(driver, action);
  EXPECT_TRUE(status.ok()) << action.name << ": " << status.ToString();
}

INSTANTIATE_TEST_SUITE_P(EveryAction, SampleFieldsTest,
                         ::testing::ValuesIn(ActionNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

FieldSpec* FindField(ActionSpec* action, const std::string& name) {
  for (FieldSpec& field : action->fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

// A definition with a renamed and added fields: the sample fills them with
// no code change, and Decide accepts it.
TEST(SampleFieldsDefinitionTest, FillsRenamedAndAddedFields) {
  Definition definition = DefaultDefinition();
  ActionSpec* detect = nullptr;
  for (ActionSpec& action : definition.actions) {
    if (action.name == "detect") detect = &action;
  }
  ASSERT_NE(detect, nullptr);
  FindField(detect, "summary")->name = "description";
  FieldSpec size;
  size.name = "household_size";
  size.type = FieldType::kInt;
  size.required = true;
  size.min = 2;
  size.max = 12;
  FieldSpec ethnicity;
  ethnicity.name = "ethnicity";
  ethnicity.type = FieldType::kEnum;
  ethnicity.required = true;
  ethnicity.values = {"kinh", "ede"};
  FieldSpec since;
  since.name = "known_since";
  since.type = FieldType::kDate;
  since.required = true;
  detect->fields.push_back(size);
  detect->fields.push_back(ethnicity);
  detect->fields.push_back(since);

  SampleContext context = TestSampleContext();
  json fields = SampleFields(definition, *detect, context);
  EXPECT_FALSE(fields.contains("summary"));
  EXPECT_TRUE(fields["description"].is_string());
  EXPECT_EQ(fields["household_size"], 2);
  EXPECT_EQ(fields["ethnicity"], "kinh");
  EXPECT_EQ(fields["known_since"], "2024-05-10");

  World world;
  WorkflowCommand command{
      "ex1",         "detect", fields, Who("reporter").actor(),
      context.at_us, "",       "",     ""};
  Result<std::vector<NewEvent>> events =
      Decide(ExemplarState{}, command, definition, world.authority());
  EXPECT_TRUE(events.ok()) << events.status().ToString();
}

// Renaming the votes for in the action and in its rules: the sample follows
// the rules and reaches the threshold of the context's award form.
TEST(SampleFieldsDefinitionTest, FollowsRenamedVoteFieldsAndThresholds) {
  Definition definition = DefaultDefinition();
  for (ActionSpec& action : definition.actions) {
    if (FieldSpec* field = FindField(&action, "votes_for")) {
      field->name = "ayes";
    }
  }
  for (Rule& rule : definition.rules) {
    if (rule.kind == RuleKind::kCouncilVote) rule.for_field = "ayes";
    std::replace(rule.fields.begin(), rule.fields.end(),
                 std::string("votes_for"), std::string("ayes"));
  }
  const ActionSpec& vote = *definition.FindAction("record_vote");
  SampleContext context = TestSampleContext();
  json fields = SampleFields(definition, vote, context);
  EXPECT_FALSE(fields.contains("votes_for"));
  EXPECT_EQ(fields["members"], 9);
  EXPECT_EQ(fields["ayes"], 5);  // more than half
  EXPECT_EQ(fields["votes_against"], 0);

  context.award_form = "chien_si_thi_dua_toan_quoc";  // at least 0.9
  context.council_members = 20;
  fields = SampleFields(definition, vote, context);
  EXPECT_EQ(fields["members"], 20);
  EXPECT_EQ(fields["ayes"], 18);
}

TEST(SampleFieldsDefinitionTest, OverridesAreTakenAsGivenAndNullRemoves) {
  SampleContext context = TestSampleContext();
  context.overrides = {{"name", "Hộ ông Trần Văn Bình"},
                       {"cultured_family", nullptr}};
  json fields = SampleFields(
      DefaultDefinition(), *DefaultDefinition().FindAction("detect"), context);
  EXPECT_EQ(fields["name"], "Hộ ông Trần Văn Bình");
  EXPECT_FALSE(fields.contains("cultured_family"));
  EXPECT_EQ(fields["unit_id"], "c1");
}

// The Women's Union conditions: a household's cultured family, a
// collective's share of women, filled though optional.
TEST(SampleFieldsDefinitionTest, FillsTheCampaignsSubjectConditions) {
  SampleContext context = TestSampleContext();
  const ActionSpec& detect = *DefaultDefinition().FindAction("detect");
  EXPECT_EQ(
      SampleFields(DefaultDefinition(), detect, context)["cultured_family"],
      true);
  context.subject_kind = "collective";
  json collective = SampleFields(DefaultDefinition(), detect, context);
  EXPECT_EQ(collective["subject_kind"], "collective");
  EXPECT_DOUBLE_EQ(collective["women_ratio"].get<double>(), 0.7);
  EXPECT_FALSE(collective.contains("cultured_family"));
  json criteria = SampleFields(DefaultDefinition(),
                               *DefaultDefinition().FindAction("appraise"),
                               context)["criteria"];
  EXPECT_EQ(criteria.size(), 4u);  // the collective's mandatory criteria
  EXPECT_EQ(criteria[0]["criterion"], "wu_collective_excellent_work");
}

// The typed fields for writers without the organisation: references taken
// as given, but for award forms, which the definition holds.
TEST(SampleEventFieldsTest, TypesTheSampleWithoutTheOrganisation) {
  SampleContext context = TestSampleContext();
  context.campaign_id = "not-launched";
  Result<std::map<std::string, FieldValue>> nomination =
      SampleEventFields(DefaultDefinition(),
                        *DefaultDefinition().FindAction("nominate"), context);
  ASSERT_TRUE(nomination.ok()) << nomination.status().ToString();
  EXPECT_EQ(std::get<std::string>(nomination->at("campaign_id")),
            "not-launched");
  EXPECT_EQ(std::get<std::string>(nomination->at("period")), "2024-Q2");
  Result<std::map<std::string, FieldValue>> vote = SampleEventFields(
      DefaultDefinition(), *DefaultDefinition().FindAction("record_vote"),
      context);
  ASSERT_TRUE(vote.ok()) << vote.status().ToString();
  EXPECT_EQ(std::get<std::int64_t>(vote->at("members")), 9);
  EXPECT_EQ(std::get<CivilDate>(vote->at("meeting_date")),
            CivilDate::FromYmd(2024, 5, 10));

  context.overrides = {{"award_form", "no_such_award"}};
  EXPECT_FALSE(SampleEventFields(DefaultDefinition(),
                                 *DefaultDefinition().FindAction("nominate"),
                                 context)
                   .ok());
}

}  // namespace
}  // namespace exemplar::testing
