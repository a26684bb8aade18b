// Table-driven tests for every action of the default definition: each is
// allowed from its state, and rejected, with the exact code and nothing
// appended, from a wrong state, without a required field, with an unknown
// field, in a role the action does not allow, out of scope, without a grant
// at the acting unit, and on an exemplar that does not exist.
#include <gtest/gtest.h>

#include "events/payload_codec.h"
#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

struct ActionCase {
  std::string action;
  std::string state;                 // "" for a new exemplar
  std::vector<std::string> prelude;  // taken after reaching `state`
};

std::ostream& operator<<(std::ostream& out, const ActionCase& c) {
  return out << c.action;
}

const std::vector<ActionCase>& Cases() {
  static const std::vector<ActionCase> kCases = {
      {"detect", "", {}},
      {"assign_mentor", "detected", {}},
      {"reassign_mentor", "nurturing", {}},
      {"release_mentor", "nurturing", {}},
      {"log_support_visit", "nurturing", {}},
      {"inform_authorities", "nurturing", {}},
      {"document_experience", "nurturing", {}},
      {"set_development_plan", "nurturing", {}},
      {"declare_conflict", "nurturing", {}},
      {"nominate", "nurturing", {}},
      {"withdraw_nomination", "nominated", {}},
      {"appraise", "nominated", {}},
      {"open_public_comment", "appraised", {}},
      {"record_comment", "public_comment", {}},
      {"record_vote", "public_comment", {}},
      {"approve", "voted", {}},
      {"reject", "appraised", {}},
      {"return_for_revision", "appraised", {}},
      {"honour", "approved", {}},
      {"recommend_higher_award", "honoured", {}},
      {"revoke_award", "honoured", {}},
      {"record_propagation", "honoured", {}},
      {"plan_replication", "honoured", {}},
      {"record_replication_progress", "honoured", {"plan_replication"}},
      {"evaluate_replication", "honoured", {"plan_replication"}},
      {"register_emulation", "honoured", {}},
      {"evaluate", "honoured", {}},
      {"retire", "honoured", {}},
      {"adopt_definition_version", "nominated", {}},
      {"request_erasure", "nurturing", {}},
      {"approve_erasure", "nurturing", {"request_erasure"}},
      {"give_subject_access", "nurturing", {}},
  };
  return kCases;
}

class WorkflowActionTest : public ::testing::TestWithParam<ActionCase> {
 protected:
  void SetUp() override {
    const ActionCase& c = GetParam();
    spec_ = DefaultDefinition().FindAction(c.action);
    ASSERT_NE(spec_, nullptr);
    if (!c.state.empty()) Advance(driver_, c.state);
    for (const std::string& action : c.prelude) {
      ASSERT_TRUE(
          driver_.By(DefaultActor(action), action, ValidFields(action)).ok());
    }
    logged_ = driver_.log().size();
  }

  Person Actor() const { return Who(DefaultActor(GetParam().action)); }

  // Expects rejection with `reason` and an unchanged log.
  void ExpectRejected(const Status& status, const std::string& reason,
                      const std::string& field = "") {
    EXPECT_EQ(status.code(), StatusCode::kRejected) << status.ToString();
    EXPECT_EQ(status.reason(), reason) << status.ToString();
    if (!field.empty()) {
      EXPECT_EQ(status.field(), field);
    }
    EXPECT_EQ(driver_.log().size(), logged_);
  }

  World world_;
  Driver driver_{world_};
  const ActionSpec* spec_ = nullptr;
  size_t logged_ = 0;
};

TEST_P(WorkflowActionTest, AllowedFromItsStateAndRecordsItsEvent) {
  const std::string before = driver_.state().state;
  Status status = driver_.Try(GetParam().action, Actor().actor(),
                              ValidFields(GetParam().action));
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(driver_.log().size(), logged_ + 1);
  EXPECT_EQ(driver_.log().back().type, spec_->event);
  EXPECT_EQ(driver_.state().state, spec_->to.value_or(before));
  EXPECT_EQ(driver_.Replay(), driver_.state());
}

TEST_P(WorkflowActionTest, RejectedFromAStateItDoesNotStartFrom) {
  if (!spec_->creates && std::count(spec_->from.begin(), spec_->from.end(),
                                    std::string("retired")) != 0) {
    // Open from every state (an erasure): no state refuses it.
    EXPECT_EQ(spec_->from.size(), DefaultDefinition().states.size());
    return;
  }
  Driver other(world_, "ex2");
  Advance(other, spec_->creates ? "detected" : "retired");
  size_t before = other.log().size();
  Status status = other.Try(GetParam().action, Actor().actor(),
                            ValidFields(GetParam().action));
  EXPECT_EQ(status.reason(), "invalid_transition") << status.ToString();
  EXPECT_EQ(other.log().size(), before);
}

TEST_P(WorkflowActionTest, RejectedWhenEachRequiredFieldIsMissing) {
  for (const FieldSpec& field : spec_->fields) {
    if (!field.required) continue;
    nlohmann::json fields = ValidFields(GetParam().action);
    fields.erase(field.name);
    ExpectRejected(driver_.Try(GetParam().action, Actor().actor(), fields),
                   "validation_failed", field.name);
  }
}

TEST_P(WorkflowActionTest, RejectedForAFieldTheActionDoesNotDeclare) {
  nlohmann::json fields = ValidFields(GetParam().action);
  fields["bogus"] = 1;
  ExpectRejected(driver_.Try(GetParam().action, Actor().actor(), fields),
                 "validation_failed", "bogus");
}

TEST_P(WorkflowActionTest, RejectedForARoleTheActionDoesNotAllow) {
  ExpectRejected(driver_.Try(GetParam().action, Who("auditor").actor(),
                             ValidFields(GetParam().action)),
                 "role_not_permitted");
}

// A user of a sibling district may not see the exemplar: the command is
// answered exactly as one on an unknown exemplar, whatever its state and
// fields, so it tells nothing of what it may not see. Creating in a unit
// out of scope is not_in_scope.
TEST_P(WorkflowActionTest, RejectedForAUserOfASiblingDistrict) {
  Person person = Actor();
  person.user += "_d2";
  person.unit = person.unit == "c1" ? "c3" : "d2";
  if (spec_->creates) {
    ExpectRejected(driver_.Try(GetParam().action, person.actor(),
                               ValidFields(GetParam().action)),
                   "not_in_scope");
    return;
  }
  Driver unknown(world_, driver_.state().id);  // same id, never created
  Status expected = unknown.Try(GetParam().action, person.actor(),
                                ValidFields(GetParam().action));
  EXPECT_EQ(expected.reason(), "exemplar_not_found");
  for (const nlohmann::json& fields :
       {ValidFields(GetParam().action), nlohmann::json::object(),
        nlohmann::json{{"no_such_field", 1}}}) {
    Status status = driver_.Try(GetParam().action, person.actor(), fields);
    ExpectRejected(status, "exemplar_not_found", "exemplar_id");
    EXPECT_EQ(status.message(), expected.message());
    EXPECT_EQ(status.field(), expected.field());
  }
}

TEST_P(WorkflowActionTest, RejectedWhenActingForAUnitWithoutAGrant) {
  Person person = Actor();
  person.unit = "kh";
  ExpectRejected(driver_.Try(GetParam().action, person.actor(),
                             ValidFields(GetParam().action)),
                 "not_authorised");
}

TEST_P(WorkflowActionTest, OnlyCreatingActionsApplyToAMissingExemplar) {
  Driver fresh(world_, "nobody");
  Status status = fresh.Try(GetParam().action, Actor().actor(),
                            ValidFields(GetParam().action));
  if (spec_->creates) {
    EXPECT_TRUE(status.ok()) << status.ToString();
    return;
  }
  EXPECT_EQ(status.reason(), "exemplar_not_found");
  EXPECT_TRUE(fresh.log().empty());
}

INSTANTIATE_TEST_SUITE_P(WorkflowEveryAction, WorkflowActionTest,
                         ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.action; });

TEST(WorkflowActionTableTest, EveryActionOfTheDefinitionHasACase) {
  for (const ActionSpec& action : DefaultDefinition().actions) {
    EXPECT_TRUE(std::any_of(
        Cases().begin(), Cases().end(),
        [&](const ActionCase& c) { return c.action == action.name; }))
        << action.name;
  }
}

TEST(DecideTest, UnknownActionIsRejected) {
  World world;
  Driver driver(world);
  EXPECT_EQ(driver.By("reporter", "promote", nlohmann::json::object()).reason(),
            "unknown_action");
}

TEST(DecideTest, EventCarriesActionDefinitionAndTypedFields) {
  World world;
  Driver driver(world);
  ASSERT_TRUE(driver.By("reporter", "detect", ValidFields("detect")).ok());
  const EventRecord& record = driver.log().back();
  Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->action, "detect");
  EXPECT_EQ(event->definition_name, "exemplar");
  EXPECT_EQ(event->definition_version, DefaultDefinition().version);
  EXPECT_EQ(std::get<std::string>(event->fields.at("unit_id")), "c1");
  EXPECT_EQ(std::get<bool>(event->fields.at("cultured_family")), true);
  EXPECT_EQ(
      std::get<std::vector<std::string>>(event->fields.at("priority_flags")),
      std::vector<std::string>{"direct_worker"});
  EXPECT_EQ(record.actor, (Actor{"reporter", "reporter", "c1"}));
  EXPECT_EQ(driver.state().unit_id, "c1");
  EXPECT_EQ(driver.state().subject_kind, "household");
}

// Free text (kText) may span lines: line feed and tab stay.
TEST(DecideTest, TextFieldsKeepLineFeedAndTab) {
  World world;
  Driver driver(world);
  nlohmann::json fields = ValidFields("detect");
  fields["summary"] = "Dòng 1\n\tDòng 2";
  ASSERT_TRUE(driver.By("reporter", "detect", fields).ok());
  EXPECT_EQ(std::get<std::string>(driver.state().facts.at("summary")),
            "Dòng 1\n\tDòng 2");
}

// Who may act is decided before whether the action fits the state or the
// fields are right.
TEST(DecideTest, RoleAndScopeComeBeforeTransitionAndFields) {
  World world;
  Driver driver(world);
  Advance(driver, "detected");
  nlohmann::json bad = {{"decision_note", 5}};
  EXPECT_EQ(driver.By("reporter", "approve", bad).reason(),
            "role_not_permitted");
  EXPECT_EQ(
      driver.Try("approve", Person{"approver", "approver", "kh"}.actor(), bad)
          .reason(),
      "not_authorised");
  EXPECT_EQ(driver.By("approver", "approve", bad).reason(),
            "invalid_transition");
}

// Field validation: each way a value can be wrong.
struct FieldCase {
  std::string name;
  std::string action;
  std::string field;
  nlohmann::json value;
};

class DecideFieldTest : public ::testing::TestWithParam<FieldCase> {};

TEST_P(DecideFieldTest, RejectedAsValidationFailedNamingTheField) {
  World world;
  Driver driver(world);
  const FieldCase& c = GetParam();
  if (c.action != "detect") Advance(driver, "nurturing");
  nlohmann::json fields = ValidFields(c.action);
  fields[c.field] = c.value;
  size_t before = driver.log().size();
  Status status = driver.By(DefaultActor(c.action), c.action, fields);
  EXPECT_EQ(status.reason(), "validation_failed") << status.ToString();
  EXPECT_EQ(status.field().substr(0, c.field.size()), c.field);
  EXPECT_EQ(driver.log().size(), before);
}

INSTANTIATE_TEST_SUITE_P(
    DecideEveryType, DecideFieldTest,
    ::testing::Values(
        FieldCase{"BlankName", "detect", "name", " \t "},
        FieldCase{"DecomposedName", "detect", "name", "Nguye\xCC\xA3\xCC\x82n"},
        FieldCase{"InvalidUtf8", "detect", "summary", "abc\xC3"},
        FieldCase{"NameTooLong", "detect", "name", std::string(201, 'a')},
        FieldCase{"StringGivenANumber", "detect", "name", 5},
        FieldCase{"EnumValueUnknown", "detect", "subject_kind", "company"},
        FieldCase{"UnitUnknown", "detect", "unit_id", "c9"},
        FieldCase{"NumberAboveMax", "detect", "women_ratio", 1.5},
        FieldCase{"BoolGivenString", "detect", "cultured_family", "yes"},
        FieldCase{"ListValueNotAllowed", "detect", "priority_flags",
                  nlohmann::json::array({"vip"})},
        FieldCase{"ListDuplicate", "detect", "priority_flags",
                  nlohmann::json::array({"direct_worker", "direct_worker"})},
        FieldCase{"DateNotReal", "log_support_visit", "visit_date",
                  "2024-02-30"},
        FieldCase{"UserUnknown", "assign_mentor", "mentor_id", "ghost"},
        FieldCase{"IntBelowMin", "set_development_plan", "target_year", 1990},
        FieldCase{"IntGivenFloat", "set_development_plan", "target_year",
                  2025.5},
        FieldCase{"AwardFormUnknown", "set_development_plan", "target_award",
                  "medal"},
        FieldCase{"PeriodMalformed", "nominate", "period", "2024-Q5"},
        FieldCase{"CampaignUnknown", "nominate", "campaign_id", "none"},
        FieldCase{"NameWithNul", "detect", "name", std::string("Lan\0", 4)},
        FieldCase{"NameWithEscape", "detect", "name", "Lan\x1b[2J"},
        FieldCase{"NameWithLineFeed", "detect", "name", "Lan\nLan"},
        FieldCase{"NameWithCarriageReturn", "detect", "name", "Lan\r"},
        FieldCase{"NameWithDelete", "detect", "name", "Lan\x7f"},
        FieldCase{"NameWithC1Control", "detect", "name", "Lan\xC2\x9B"},
        FieldCase{"SummaryWithCarriageReturn", "detect", "summary",
                  "Dòng 1\r\nDòng 2"},
        FieldCase{"SummaryWithEscape", "detect", "summary", "a\x1b"},
        FieldCase{"ListItemWithTab", "document_experience", "practices",
                  nlohmann::json::array({"chọn giống\t"})},
        FieldCase{"ListItemWithNul", "document_experience", "practices",
                  nlohmann::json::array({std::string("x\0", 2)})}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace exemplar::testing
