#include "engine/workflow/definition.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/engine/workflow_fixture.h"
#include "tests/support/default_definition.h"

namespace exemplar {
namespace {

using nlohmann::json;

size_t ActionIndex(const json& def, const std::string& name) {
  for (size_t i = 0; i < def["actions"].size(); ++i) {
    if (def["actions"][i]["name"] == name) return i;
  }
  ADD_FAILURE() << "no action " << name;
  return 0;
}

// Parses `def` and expects it refused with exactly `message`.
void ExpectRefused(const json& def, const std::string& message) {
  Result<Definition> parsed = ParseDefinition(def.dump());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), message);
  EXPECT_EQ(parsed.status().field(), message.substr(0, message.find(':')));
}

TEST(DefinitionTest, DefaultDefinitionLoadsWithTheDomainNumbers) {
  const Definition& def = testing::DefaultDefinition();
  EXPECT_EQ(def.name, "exemplar");
  EXPECT_EQ(def.utc_offset_minutes, 420);
  EXPECT_EQ(def.comment_working_days, 10);
  EXPECT_EQ(def.vote_threshold.fraction, 0.5);
  EXPECT_TRUE(def.vote_threshold.strict);
  ASSERT_NE(def.FindAwardForm("anh_hung"), nullptr);
  EXPECT_EQ(def.FindAwardForm("anh_hung")->vote_threshold.fraction, 0.9);
  EXPECT_EQ(def.FindAwardForm("giay_khen")->label.vi, "Giấy khen");
  EXPECT_EQ(def.FindAwardForm("giay_khen")->comment_working_days, 10);
  ASSERT_EQ(def.quotas.size(), 4u);
  EXPECT_EQ(def.quotas[0].min_per_year, 10);
  EXPECT_EQ(def.deadlines.quarterly_introduction_day, 5u);
  ASSERT_EQ(def.deadlines.annual_registration.size(), 4u);
  EXPECT_EQ(def.deadlines.annual_registration[0].due_day, 15u);
  // The registration funnel: the district selects until the reform, the
  // province after it, and an agency leading a movement registers 3 to 7.
  EXPECT_EQ(def.RegistrationFor("district", 2025)->step, "select");
  EXPECT_EQ(def.RegistrationFor("district", 2026), nullptr);
  EXPECT_EQ(def.RegistrationFor("province", 2025), nullptr);
  EXPECT_EQ(def.RegistrationFor("province", 2026)->submit_to_level,
            "department");
  EXPECT_TRUE(def.RegistrationFor("department", 2026)->leads_campaign);
  EXPECT_EQ(def.RegistrationFor("department", 2026)->max, 7);
  EXPECT_EQ(def.propagation_assessment.max_score, 100);
  EXPECT_EQ(def.read_side.propagated.channel_field, "channel");
  ASSERT_EQ(def.deadlines.lead_bloc_rotation.size(), 4u);
  const LeadBlocRotation& fourth = def.deadlines.lead_bloc_rotation[3];
  EXPECT_EQ(fourth.blocs,
            (std::vector<std::string>{"economic", "military_command"}));
  ASSERT_EQ(fourth.bloc_labels.size(), 2u);
  EXPECT_EQ(fourth.bloc_labels[0].vi, "Kinh tế");
  EXPECT_EQ(fourth.bloc_labels[1].en, "Military command");
  const CriteriaSet* wu = def.FindCriteriaSet("womens_union");
  ASSERT_NE(wu, nullptr);
  ASSERT_EQ(wu->conditions.size(), 2u);
  EXPECT_EQ(*wu->conditions[0].min, 0.7);
  for (const char* role :
       {"reporter", "mentor", "nominator", "appraiser", "council_member",
        "approver", "propagandist", "auditor", "integrator", "admin"}) {
    EXPECT_TRUE(def.HasRole(role)) << role;
  }
}

TEST(DefinitionTest, UnknownStateIsNamedWithItsLocation) {
  json def = testing::DefaultDefinitionJson();
  size_t i = ActionIndex(def, "appraise");
  def["actions"][i]["from"][0] = "nominatd";
  ExpectRefused(def, "actions[" + std::to_string(i) +
                         "].from[0]: unknown state \"nominatd\"");
}

TEST(DefinitionTest, UnreachableStateIsRefused) {
  json def = testing::DefaultDefinitionJson();
  def["states"].push_back(
      {{"name", "archived"}, {"vi", "Đã lưu trữ"}, {"en", "Archived"}});
  ExpectRefused(def, "states[" + std::to_string(def["states"].size() - 1) +
                         "].name: unreachable state \"archived\"");
}

TEST(DefinitionTest, ActionWithNoRoleIsRefused) {
  json def = testing::DefaultDefinitionJson();
  def["actions"][3]["roles"] = json::array();
  ExpectRefused(def, "actions[3].roles: action \"" +
                         def["actions"][3]["name"].get<std::string>() +
                         "\" has no role");
}

TEST(DefinitionTest, DuplicateNamesAreRefused) {
  json def = testing::DefaultDefinitionJson();
  def["actions"][2]["name"] = def["actions"][1]["name"];
  ExpectRefused(def, "actions[2].name: duplicate action \"" +
                         def["actions"][1]["name"].get<std::string>() + "\"");
  def = testing::DefaultDefinitionJson();
  def["states"].push_back(def["states"][0]);
  ExpectRefused(def, "states[" + std::to_string(def["states"].size() - 1) +
                         "].name: duplicate state \"detected\"");
  def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"].push_back(def["actions"][0]["fields"][0]);
  ExpectRefused(def,
                "actions[0].fields[" +
                    std::to_string(def["actions"][0]["fields"].size() - 1) +
                    "].name: duplicate field \"subject_kind\"");
}

TEST(DefinitionTest, RuleNamingAnUnknownActionIsRefused) {
  json def = testing::DefaultDefinitionJson();
  def["rules"][0]["actions"] = {"appraise", "aprove"};
  ExpectRefused(def, "rules[0].actions[1]: unknown action \"aprove\"");
}

TEST(DefinitionTest, CriteriaKnownRuleMustReadARecordedCriteriaField) {
  json def = testing::DefaultDefinitionJson();
  def["rules"].push_back({{"kind", "criteria_known"},
                          {"reason", "validation_failed"},
                          {"vi", "Tiêu chí không có trong bộ tiêu chí"},
                          {"en", "No such criterion in the set"},
                          {"actions", {"appraise"}},
                          {"criteria_field", "scores"}});
  ExpectRefused(def, "rules[" + std::to_string(def["rules"].size() - 1) +
                         "].criteria_field: no action records field "
                         "\"scores\"");
}

TEST(DefinitionTest, EveryFieldChoiceAndRuleOfTheDefaultHasBothTexts) {
  const Definition& def = testing::DefaultDefinition();
  for (const ActionSpec& action : def.actions) {
    for (const FieldSpec& field : action.fields) {
      EXPECT_FALSE(field.label.vi.empty()) << action.name << "." << field.name;
      EXPECT_FALSE(field.label.en.empty()) << action.name << "." << field.name;
      ASSERT_EQ(field.value_labels.size(), field.values.size());
      for (const std::string& value : field.values) {
        ASSERT_NE(field.ValueLabel(value), nullptr) << value;
        EXPECT_FALSE(field.ValueLabel(value)->vi.empty()) << value;
        EXPECT_FALSE(field.ValueLabel(value)->en.empty()) << value;
      }
    }
  }
  for (const Rule& rule : def.rules) {
    EXPECT_FALSE(rule.label.vi.empty()) << rule.reason;
    EXPECT_FALSE(rule.label.en.empty()) << rule.reason;
  }
  const FieldSpec* kind = def.FindAction("detect")->FindField("subject_kind");
  EXPECT_EQ(kind->ValueLabel("household")->vi, "Hộ gia đình");
  EXPECT_EQ(kind->ValueLabel("nobody"), nullptr);
  EXPECT_EQ(def.rules[0].label.vi,
            "Người thẩm định, người phê duyệt không được là người đã giới "
            "thiệu điển hình này");
}

TEST(DefinitionTest, AFieldWithoutItsTextsIsRefusedByPlace) {
  json def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"][1].erase("vi");
  ExpectRefused(def, "actions[0].fields[1].vi: missing");
  def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"][1]["en"] = "";
  ExpectRefused(def, "actions[0].fields[1].en: empty text");
}

TEST(DefinitionTest, AChoiceNeedsItsValueAndTexts) {
  json def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"][0]["values"][1] = "collective";
  ExpectRefused(def,
                "actions[0].fields[0].values[1]: expected an object "
                "{\"value\", \"vi\", \"en\"}");
  def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"][0]["values"][2].erase("en");
  ExpectRefused(def, "actions[0].fields[0].values[2].en: missing");
  def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"][0]["values"][2]["value"] = "individual";
  ExpectRefused(def,
                "actions[0].fields[0].values[2].value: duplicate value "
                "\"individual\"");
}

TEST(DefinitionTest, ALeadBlocNeedsItsValueAndTexts) {
  json def = testing::DefaultDefinitionJson();
  def["deadlines"]["lead_bloc_rotation"][1]["blocs"][0] = "education";
  ExpectRefused(def,
                "deadlines.lead_bloc_rotation[1].blocs[0]: expected an object "
                "{\"value\", \"vi\", \"en\"}");
  def = testing::DefaultDefinitionJson();
  def["deadlines"]["lead_bloc_rotation"][0]["blocs"][1].erase("vi");
  ExpectRefused(def, "deadlines.lead_bloc_rotation[0].blocs[1].vi: missing");
  def = testing::DefaultDefinitionJson();
  def["deadlines"]["lead_bloc_rotation"][0].erase("blocs");
  ExpectRefused(def, "deadlines.lead_bloc_rotation[0].blocs: missing");
}

TEST(DefinitionTest, TheFunnelsStepsAndRolesAreChecked) {
  json def = testing::DefaultDefinitionJson();
  def["deadlines"]["annual_registration"][1]["step"] = "choose";
  ExpectRefused(def,
                "deadlines.annual_registration[1].step: expected \"register\" "
                "or \"select\", got \"choose\"");
  def = testing::DefaultDefinitionJson();
  def["deadlines"]["annual_registration"][0]["roles"] = {"clerk"};
  ExpectRefused(def,
                "deadlines.annual_registration[0].roles[0]: unknown role "
                "\"clerk\"");
  def = testing::DefaultDefinitionJson();
  def["deadlines"]["annual_registration"][1]["until"] = "2025-13-01";
  ExpectRefused(def,
                "deadlines.annual_registration[1].until: expected a date "
                "YYYY-MM-DD, got \"2025-13-01\"");
  def = testing::DefaultDefinitionJson();
  def["propagation_assessment"]["max_score"] = -1;
  ExpectRefused(def, "propagation_assessment.max_score: not above min_score");
  def = testing::DefaultDefinitionJson();
  def["read_side"]["marks"]["propagated"]["reach_field"] = "title";
  ExpectRefused(def,
                "read_side.marks.propagated.reach_field: action "
                "\"record_propagation\" records no int field \"title\"");
}

TEST(DefinitionTest, ARuleWithoutItsRefusalTextsIsRefused) {
  json def = testing::DefaultDefinitionJson();
  def["rules"][2].erase("vi");
  ExpectRefused(def, "rules[2].vi: missing");
  def = testing::DefaultDefinitionJson();
  def["rules"][0]["en"] = "";
  ExpectRefused(def, "rules[0].en: empty text");
}

TEST(DefinitionTest, StatesRolesAndActionsNeedTheirTextsToo) {
  json def = testing::DefaultDefinitionJson();
  def["states"][3].erase("en");
  ExpectRefused(def, "states[3].en: missing");
  def = testing::DefaultDefinitionJson();
  def["roles"][1].erase("vi");
  ExpectRefused(def, "roles[1].vi: missing");
  def = testing::DefaultDefinitionJson();
  def["actions"][4].erase("vi");
  ExpectRefused(def, "actions[4].vi: missing");
}

TEST(DefinitionTest, BadFieldTypeIsRefused) {
  json def = testing::DefaultDefinitionJson();
  def["actions"][0]["fields"][1]["type"] = "strng";
  ExpectRefused(def, "actions[0].fields[1].type: unknown field type \"strng\"");
}

TEST(DefinitionTest, UnknownRoleAndUnitLevelAreRefused) {
  json def = testing::DefaultDefinitionJson();
  def["actions"][0]["roles"][0] = "boss";
  ExpectRefused(def, "actions[0].roles[0]: unknown role \"boss\"");
  def = testing::DefaultDefinitionJson();
  def["award_forms"][0]["granted_by"][0] = "village";
  ExpectRefused(def,
                "award_forms[0].granted_by[0]: unknown unit level \"village\"");
}

TEST(DefinitionTest, EventNameThatIsASystemEventIsRefused) {
  json def = testing::DefaultDefinitionJson();
  def["actions"][0]["event"] = "role_granted";
  ExpectRefused(def,
                "actions[0].event: event \"role_granted\" is a system event "
                "type");
}

TEST(DefinitionTest, MissingMemberAndWrongTypeAreRefused) {
  json def = testing::DefaultDefinitionJson();
  def.erase("version");
  ExpectRefused(def, "version: missing");
  def = testing::DefaultDefinitionJson();
  def["actions"][0]["creates"] = "yes";
  ExpectRefused(def, "actions[0].creates: expected true or false");
}

TEST(DefinitionTest, InvalidJsonAndMissingFileAreReported) {
  Result<Definition> parsed = ParseDefinition("{\"name\": ");
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("not valid JSON"),
            std::string::npos);
  EXPECT_EQ(LoadDefinition("/nonexistent/def.json").status().code(),
            StatusCode::kNotFound);
}

TEST(DefinitionTest, ANewRecordingActionNeedsOnlyADefinitionChange) {
  json def = testing::DefaultDefinitionJson();
  def["actions"].push_back({{"name", "record_media_interview"},
                            {"vi", "Ghi nhận phỏng vấn báo chí"},
                            {"en", "Record a media interview"},
                            {"from", {"honoured"}},
                            {"event", "media_interview_recorded"},
                            {"roles", {"propagandist"}},
                            {"fields",
                             {{{"name", "outlet"},
                               {"vi", "Cơ quan báo chí"},
                               {"en", "Outlet"},
                               {"type", "string"},
                               {"required", true}}}}});
  Result<Definition> parsed = ParseDefinition(def.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  testing::World world;
  ExemplarState state;
  state.id = "ex1";
  state.state = "honoured";
  state.unit_id = "c1";
  WorkflowCommand command{"ex1",
                          "record_media_interview",
                          {{"outlet", "Báo Khánh Hòa"}},
                          Actor{"propagandist", "propagandist", "d1"},
                          testing::At(2024, 7, 1),
                          "",
                          "",
                          ""};
  Result<std::vector<NewEvent>> events =
      Decide(state, command, *parsed, world.authority());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ((*events)[0].type, "media_interview_recorded");
}

// A rule appended to the default definition, with the texts every rule has.
json WithRule(json rule) {
  json def = testing::DefaultDefinitionJson();
  rule["reason"] = "validation_failed";
  rule["vi"] = "Ngày không hợp lệ";
  rule["en"] = "The date does not hold";
  def["rules"].push_back(rule);
  return def;
}

std::string LastRule(const json& def) {
  return "rules[" + std::to_string(def["rules"].size() - 1) + "]";
}

TEST(DefinitionTest, ADateRuleReadsADateFieldOfEveryActionItGoverns) {
  json def = WithRule({{"kind", "date_not_after_recording"},
                       {"field", "decision_date"},
                       {"actions", {"honour", "retire"}}});
  ExpectRefused(def, LastRule(def) +
                         ".field: action \"retire\" has no date field "
                         "\"decision_date\"");
  def = WithRule({{"kind", "date_not_before_action"},
                  {"field", "decision_date"},
                  {"source", "aprove"},
                  {"actions", {"honour"}}});
  ExpectRefused(def, LastRule(def) + ".source: unknown action \"aprove\"");
}

TEST(DefinitionTest, ADayOfAChoiceIsAMonthAndDayOfAnEnumsValue) {
  json rule = {{"kind", "date_on_day_of_choice"},
               {"field", "occasion_date"},
               {"choice_field", "occasion"},
               {"choice", "patriotic_emulation_day"},
               {"actions", {"honour"}}};
  json def = WithRule(rule);
  ExpectRefused(def, LastRule(def) + ".month_day: missing");
  rule["month_day"] = "11/6";
  def = WithRule(rule);
  ExpectRefused(def,
                LastRule(def) + ".month_day: expected MM-DD, got \"11/6\"");
  rule["month_day"] = "06-11";
  rule["choice"] = "independence_day";
  def = WithRule(rule);
  ExpectRefused(def, LastRule(def) +
                         ".choice: \"independence_day\" is not a value of "
                         "\"occasion\"");
  rule["choice"] = "patriotic_emulation_day";
  rule["choice_field"] = "decision_number";
  def = WithRule(rule);
  ExpectRefused(def, LastRule(def) +
                         ".choice_field: action \"honour\" has no enum field "
                         "\"decision_number\"");
}

TEST(DefinitionTest, TheDefaultDefinitionChecksDecisionDatesAndTheOccasion) {
  const Definition& def = testing::DefaultDefinition();
  std::map<std::string, const Rule*> by_reason;
  for (const Rule& rule : def.rules) by_reason[rule.reason] = &rule;
  ASSERT_TRUE(by_reason.count("decision_date_in_future"));
  EXPECT_EQ(by_reason["decision_date_in_future"]->actions,
            (std::vector<std::string>{"honour", "revoke_award"}));
  ASSERT_TRUE(by_reason.count("decision_date_before_approval"));
  EXPECT_EQ(by_reason["decision_date_before_approval"]->source, "approve");
  ASSERT_TRUE(by_reason.count("occasion_date_mismatch"));
  EXPECT_EQ(by_reason["occasion_date_mismatch"]->month, 6u);
  EXPECT_EQ(by_reason["occasion_date_mismatch"]->day, 11u);
  EXPECT_EQ(def.FindAction("register_emulation")
                ->FindField("partner_exemplar_id")
                ->type,
            FieldType::kExemplar);
  EXPECT_TRUE(def.FindAction("document_experience")->on_behalf_of_subject);
  EXPECT_FALSE(def.FindAction("log_support_visit")->on_behalf_of_subject);
}

TEST(DefinitionTest, ADecidingBodyNamesRolesOfTheDefinition) {
  json def = testing::DefaultDefinitionJson();
  def["deciding_bodies"][1]["roles"] = {"chair"};
  ExpectRefused(def, "deciding_bodies[1].roles[0]: unknown role \"chair\"");
  def = testing::DefaultDefinitionJson();
  def["deciding_bodies"][0]["roles"] = json::array();
  ExpectRefused(def, "deciding_bodies[0].roles: empty");
  def = testing::DefaultDefinitionJson();
  def.erase("deciding_bodies");
  for (size_t i = 0; i < def["rules"].size(); ++i) {
    if (def["rules"][i]["kind"] == "deciding_body") {
      ExpectRefused(def, "rules[" + std::to_string(i) +
                             "].kind: the definition has no deciding_bodies");
    }
  }
}

TEST(DefinitionTest, AnActionByTheTargetUnitReadsAMapAnActionFills) {
  json def = testing::DefaultDefinitionJson();
  const size_t i = ActionIndex(def, "record_replication_progress");
  def["actions"][i]["by_target_unit"]["key_field"] = "replication";
  ExpectRefused(def, "actions[" + std::to_string(i) +
                         "].by_target_unit.key_field: names no field "
                         "\"replication\"");
  def = testing::DefaultDefinitionJson();
  def["actions"][i]["by_target_unit"]["map"] = "targets";
  ExpectRefused(def, "actions[" + std::to_string(i) +
                         "].by_target_unit.map: no action fills map "
                         "\"targets\"");
  def = testing::DefaultDefinitionJson();
  const size_t plan = ActionIndex(def, "plan_replication");
  def["actions"][plan]["effects"]["map_value_field"] = "plan";
  ExpectRefused(def, "actions[" + std::to_string(plan) +
                         "].effects.map_value_field: names no unit field "
                         "\"plan\"");
}

// The shipped definition says whose personal data each field holds and
// how long it is kept: the subject's name is theirs, a commenter's name is
// the commenter's, and a published decision's note is kept, with why.
TEST(DefinitionTest, TheDefaultMarksPersonalDataAndHowLongItIsKept) {
  Result<Definition> loaded = LoadDefinition(testing::DefaultDefinitionPath());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Definition& def = *loaded;
  const FieldSpec* name = def.FindAction("detect")->FindField("name");
  ASSERT_TRUE(name->personal);
  EXPECT_EQ(name->personal->of, PersonalOf::kSubject);
  const FieldSpec* commenter =
      def.FindAction("record_comment")->FindField("commenter");
  ASSERT_TRUE(commenter->personal);
  EXPECT_EQ(commenter->personal->of, PersonalOf::kCommenter);
  EXPECT_FALSE(
      def.FindAction("honour")->FindField("decision_number")->personal);
  const RetentionClass* published =
      def.FindRetentionClass(def.FindAction("approve")
                                 ->FindField("decision_note")
                                 ->personal->retention_class);
  ASSERT_NE(published, nullptr);
  ASSERT_TRUE(published->kept_because);
  EXPECT_FALSE(published->kept_because->vi.empty());
  const RetentionClass* nomination = def.FindRetentionClass(
      def.FindAction("reject")->FindField("reason")->personal->retention_class);
  ASSERT_NE(nomination, nullptr);
  EXPECT_FALSE(nomination->kept_because);
  EXPECT_GT(nomination->erase_after_years, 0);
  EXPECT_FALSE(nomination->after_actions.empty());
}

TEST(DefinitionTest, PersonalMarksAreChecked) {
  auto mark = [](json def, const char* of, const char* retention) {
    def["actions"][0]["fields"][1]["personal"] = {
        {"of", of}, {"retention_class", retention}};
    return def;
  };
  const json def = testing::DefaultDefinitionJson();
  ExpectRefused(mark(def, "neighbour", "exemplar_file"),
                "actions[0].fields[1].personal.of: unknown data subject "
                "\"neighbour\" (subject, commenter or actor)");
  ExpectRefused(mark(def, "subject", "forever"),
                "actions[0].fields[1].personal.retention_class: unknown "
                "retention class \"forever\"");
  ExpectRefused(mark(def, "actor", "exemplar_file"),
                "actions[0].fields[1].personal: the subject's name is the "
                "subject's personal data: mark it {\"of\": \"subject\", ...}");
  json unmarked = def;
  unmarked["actions"][0]["fields"][1].erase("personal");
  ExpectRefused(unmarked,
                "actions[0].fields[1].personal: the subject's name is the "
                "subject's personal data: mark it {\"of\": \"subject\", ...}");
  json on_a_date = def;
  on_a_date["actions"][0]["fields"][7]["personal"] = {
      {"of", "subject"}, {"retention_class", "exemplar_file"}};
  ExpectRefused(on_a_date,
                "actions[0].fields[7].personal: only a string, text, string "
                "list or documents field holds personal data");
  json unmarked_documents = def;
  unmarked_documents["actions"][0]["fields"].push_back({{"name", "dossier"},
                                                        {"vi", "Hồ sơ"},
                                                        {"en", "Dossier"},
                                                        {"type", "documents"}});
  ExpectRefused(unmarked_documents,
                "actions[0].fields[9].personal: a documents field says whose "
                "personal data they are");
}

TEST(DefinitionTest, RetentionClassesAreChecked) {
  json def = testing::DefaultDefinitionJson();
  def["retention_classes"][3]["erase_after_years"] = 5;
  def["retention_classes"][3]["after_actions"] = {"reject"};
  ExpectRefused(def,
                "retention_classes[3].erase_after_years: a kept class is not "
                "erased after a time");
  def = testing::DefaultDefinitionJson();
  def["retention_classes"][1].erase("after_actions");
  ExpectRefused(def,
                "retention_classes[1].after_actions: erase_after_years and "
                "after_actions go together");
  def = testing::DefaultDefinitionJson();
  def["retention_classes"][1]["after_actions"] = {"shred"};
  ExpectRefused(def,
                "retention_classes[1].after_actions[0]: unknown action "
                "\"shred\"");
  def = testing::DefaultDefinitionJson();
  def["retention_classes"][1]["erase_after_years"] = 101;
  ExpectRefused(
      def, "retention_classes[1].erase_after_years: must be within 0..100");
  def = testing::DefaultDefinitionJson();
  def["retention_classes"].push_back(def["retention_classes"][0]);
  ExpectRefused(def,
                "retention_classes[5].name: duplicate retention class "
                "\"exemplar_file\"");
}

TEST(DefinitionTest, TheRetentionScheduleIsChecked) {
  const json shipped = testing::DefaultDefinitionJson();
  auto loaded = ParseDefinition(shipped.dump());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->retention_schedule.has_value());
  EXPECT_EQ(loaded->retention_schedule->fields.at("legal_date"), "{due_on}");
  auto with = [&](const char* key, json value) {
    json def = shipped;
    def["retention_schedule"][key] = std::move(value);
    return def;
  };
  ExpectRefused(with("action", "shred"),
                "retention_schedule.action: unknown action \"shred\"");
  ExpectRefused(with("action", "approve_erasure"),
                "retention_schedule.action: \"approve_erasure\" does not "
                "request an erasure");
  ExpectRefused(with("role", "reporter"),
                "retention_schedule.role: \"request_erasure\" is not taken as "
                "\"reporter\"");
  json missing = shipped;
  missing["retention_schedule"]["fields"].erase("legal_date");
  ExpectRefused(missing, "retention_schedule.fields: missing \"legal_date\"");
  json classed = shipped;
  classed["retention_schedule"]["fields"]["retention_class"] = "published";
  ExpectRefused(classed,
                "retention_schedule.fields.retention_class: not a field of "
                "\"request_erasure\" the schedule may fill");
  ExpectRefused(with("fields", json::array()),
                "retention_schedule.fields: expected an object of texts");
}

}  // namespace
}  // namespace exemplar
