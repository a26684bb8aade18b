#include "engine/workflow/event_data.h"

#include <gtest/gtest.h>

#include <set>

#include "events/event_json.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/old_payloads.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;

EventRecord Record(const std::string& type, std::string payload,
                   std::uint32_t schema_version = 1) {
  EventRecord record;
  record.position = 7;
  record.stream_id = "exemplar-x";
  record.type = type;
  record.schema_version = schema_version;
  record.payload = std::move(payload);
  return record;
}

EventRecord WorkflowRecord(const ActionSpec& action,
                           std::map<std::string, FieldValue> fields) {
  const Definition& definition = DefaultDefinition();
  return Record(action.event, EncodePayload(WorkflowEvent{
                                  action.name, definition.name,
                                  definition.version, std::move(fields)}));
}

// The JSON form a field of `type` takes.
bool HasFormOf(FieldType type, const json& value) {
  switch (type) {
    case FieldType::kInt:
      return value.is_number_integer();
    case FieldType::kNumber:
      return value.is_number_float();
    case FieldType::kBool:
      return value.is_boolean();
    case FieldType::kDate:
      return value.is_string() &&
             CivilDate::Parse(value.get<std::string>()).ok();
    case FieldType::kStringList:
      return value.is_array() &&
             std::all_of(value.begin(), value.end(),
                         [](const json& item) { return item.is_string(); });
    case FieldType::kCriteriaResults:
      return value.is_array() &&
             std::all_of(value.begin(), value.end(), [](const json& item) {
               return item["criterion"].is_string() &&
                      item["met"].is_boolean() && item["evidence"].is_string();
             });
    default:
      return value.is_string();
  }
}

class EventDataTest : public ::testing::TestWithParam<std::string> {};

// The fields a command of the action gives come back in `data` as the
// command gave them, each in the JSON form of its declared type.
TEST_P(EventDataTest, EveryActionsFieldsComeBackAsTheCommandGaveThem) {
  const Definition& definition = DefaultDefinition();
  const ActionSpec& action = *definition.FindAction(GetParam());
  SampleContext context = TestSampleContext();
  const json sample = SampleFields(definition, action, context);
  auto fields = SampleEventFields(definition, action, context);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();

  const json data = EventData(definition, WorkflowRecord(action, *fields));
  ASSERT_TRUE(data.is_object()) << data.dump();
  EXPECT_EQ(data["action"], action.name);
  EXPECT_EQ(data["definition"], definition.name);
  EXPECT_EQ(data["definition_version"], definition.version);
  ASSERT_EQ(data["fields"].size(), sample.size()) << data.dump();
  for (const auto& [name, given] : sample.items()) {
    const json& shown = data["fields"][name];
    const FieldSpec* spec = action.FindField(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_TRUE(HasFormOf(spec->type, shown)) << name << ": " << shown.dump();
    if (spec->type == FieldType::kCriteriaResults) {
      ASSERT_EQ(shown.size(), given.size()) << name;
      for (size_t i = 0; i < given.size(); ++i) {
        EXPECT_EQ(shown[i]["criterion"], given[i]["criterion"]);
        EXPECT_EQ(shown[i]["met"], given[i]["met"]);
      }
    } else {
      EXPECT_EQ(shown, given) << name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryAction, EventDataTest,
                         ::testing::ValuesIn(ActionNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

const ActionSpec& Detect() { return DefaultDefinition().actions.front(); }

std::map<std::string, FieldValue> DetectFields() {
  return SampleEventFields(DefaultDefinition(), Detect(), TestSampleContext())
      .value();
}

TEST(EventDataTest, VietnameseTextComesBackByteForByte) {
  auto fields = DetectFields();
  const std::string name = "Hộ bà Nguyễn Thị Lan — Đắk Lắk";
  fields["name"] = name;
  json data = EventData(DefaultDefinition(), WorkflowRecord(Detect(), fields));
  EXPECT_EQ(data["fields"]["name"].get<std::string>(), name);
  EXPECT_NE(data.dump().find(name), std::string::npos) << data.dump();
}

TEST(EventDataTest, APayloadTheDefinitionCannotReadIsNull) {
  const Definition& definition = DefaultDefinition();
  const ActionSpec& detect = Detect();
  auto encoded = [&](std::string definition_name, std::string action) {
    return EncodePayload(WorkflowEvent{std::move(action),
                                       std::move(definition_name),
                                       definition.version, DetectFields()});
  };
  auto mistyped = DetectFields();
  mistyped["name"] = std::int64_t{42};

  for (const EventRecord& record : {
           Record(detect.event, "not cereal"),
           Record(detect.event, encoded(definition.name, detect.name), 2),
           Record(detect.event, encoded("another", detect.name)),
           Record(detect.event, encoded(definition.name, "no_such_action")),
           Record("mentor_assigned", encoded(definition.name, detect.name)),
           WorkflowRecord(detect, mistyped),
           Record(UnitCreated::kType, "not cereal"),
           Record("something_else", "payload"),
       }) {
    EXPECT_TRUE(EventData(definition, record).is_null())
        << record.type << " v" << record.schema_version;
  }
}

TEST(EventDataTest, AFieldAnOlderDefinitionDeclaredIsShownAsStored) {
  auto fields = DetectFields();
  fields["retired_field"] = CivilDate::Parse("2024-05-10").value();
  json data = EventData(DefaultDefinition(), WorkflowRecord(Detect(), fields));
  EXPECT_EQ(data["fields"]["retired_field"], "2024-05-10") << data.dump();
}

template <typename T>
void ExpectSystemData(const T& payload, std::set<std::string>* covered) {
  covered->insert(T::kType);
  json data =
      EventData(DefaultDefinition(),
                Record(T::kType, EncodePayload(payload), T::kSchemaVersion));
  EXPECT_EQ(data, PayloadToJson(payload)) << T::kType;
}

TEST(EventDataTest, EverySystemEventIsDecodedByItsCodec) {
  std::set<std::string> covered;
  ExpectSystemData(UnitCreated{"hn", "Thành phố Hà Nội", "province", "vn"},
                   &covered);
  ExpectSystemData(UnitRenamed{"hn", "Thủ đô Hà Nội"}, &covered);
  ExpectSystemData(UnitMoved{"hn", "vn"}, &covered);
  ExpectSystemData(UnitClosed{"hn", "sáp nhập"}, &covered);
  ExpectSystemData(UserRegistered{"lan", "Nguyễn Thị Lan", "hn"}, &covered);
  ExpectSystemData(UserDeactivated{"lan", "nghỉ hưu"}, &covered);
  ExpectSystemData(RoleGranted{"g1", "lan", "appraiser", "hn", 1, 0}, &covered);
  ExpectSystemData(RoleRevoked{"g1", "lan", "hết nhiệm kỳ"}, &covered);
  ExpectSystemData(
      CampaignLaunched{"c1", "Thi đua yêu nước", "hn",
                       CivilDate::Parse("2024-01-01").value(),
                       CivilDate::Parse("2024-12-31").value(), "general"},
      &covered);
  ExpectSystemData(CampaignClosed{"c1", "kết thúc"}, &covered);
  ExpectSystemData(TokenIssued{"t1", "lan", std::string(64, 'a'), 5}, &covered);
  ExpectSystemData(TokenRevoked{"t1", "lan"}, &covered);
  UnitsReorganised merge;
  merge.reorganisation_id = "r1";
  merge.kind = "merge";
  merge.legal_basis = {"202/2025/QH15", CivilDate::Parse("2025-06-12").value(),
                       "Quốc hội"};
  merge.created = {{"kh2", "Tỉnh Khánh Hòa", "province", "vn"}};
  merge.ended = {"kh", "nt"};
  merge.successions = {{"kh", {"kh2"}}, {"nt", {"kh2"}}};
  ExpectSystemData(merge, &covered);
  ExpectSystemData(ExemplarTransferred{"lan", "r1", "c1", "c12"}, &covered);
  ExpectSystemData(
      WorkflowDefinitionRecorded{"exemplar", 1, std::string(64, 'b'), "{}"},
      &covered);

  std::set<std::string> all(SystemEventTypes().begin(),
                            SystemEventTypes().end());
  all.insert(TokenEventTypes().begin(), TokenEventTypes().end());
  all.insert(ExemplarTransferred::kType);
  EXPECT_EQ(covered, all);
}

TEST(EventDataTest, AnOlderSchemaVersionShowsTheUpcastFields) {
  EventRecord record = Record(
      TokenIssued::kType,
      EncodePayload(TokenIssuedV1{"t1", "lan", std::string(64, 'b')}), 1);
  json data = EventData(DefaultDefinition(), record);
  EXPECT_EQ(data, (json{{"token_id", "t1"},
                        {"user_id", "lan"},
                        {"secret_sha256", std::string(64, 'b')},
                        {"expires_at_us", 0}}));
}

TEST(EventDataTest, ACampaignOfSchemaVersionOneNamesNoDecidingBody) {
  EventRecord record =
      Record(CampaignLaunched::kType,
             EncodePayload(CampaignLaunchedV1{
                 "c1", "Thi đua", "hn", CivilDate::FromYmd(2024, 1, 1),
                 CivilDate::FromYmd(2024, 12, 31), "general"}),
             1);
  json data = EventData(DefaultDefinition(), record);
  EXPECT_EQ(data["criteria_set"], "general");
  EXPECT_EQ(data["deciding_body"], "");
}

// `data` is derived from the stored bytes: a reader of the JSON (import)
// rebuilds the record from the rest, whatever `data` says.
TEST(EventDataTest, DataSitsBesideEverythingTheHashNeedsAndIsIgnoredOnRead) {
  EventRecord record = WorkflowRecord(Detect(), DetectFields());
  record.actor = {"lan", "reporter", "c1"};
  SealEventRecord(&record);
  json with_data = EventToJsonWithData(DefaultDefinition(), record);
  json without = EventToJson(record);
  EXPECT_EQ(with_data["data"]["action"], Detect().name);
  with_data.erase("data");
  EXPECT_EQ(with_data, without);

  with_data["data"] = {{"fields", {{"name", "đã sửa"}}}};
  auto read = EventFromJson(with_data);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, record);
}

}  // namespace
}  // namespace exemplar::testing
