#include "events/payload_codec.h"

#include <gtest/gtest.h>

#include <cereal/archives/binary.hpp>
#include <sstream>

#include "events/envelope.h"
#include "events/sha256.h"
#include "events/system_events.h"
#include "events/workflow_event.h"

namespace exemplar {
namespace {

// Version 1 of a payload type, as it was first shipped.
struct NoteV1 {
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string text;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(text);
  }
};

// The same type after it gained a field in version 2.
struct Note {
  static constexpr std::uint32_t kSchemaVersion = 2;
  std::string text;
  std::string language = "vi";
  template <class Archive>
  void serialize(Archive& ar) {
    ar(text, language);
  }
  static Result<Note> Upcast(std::uint32_t version, std::string_view bytes) {
    if (version != 1) return Status::Corruption("unknown Note version", 0);
    Result<NoteV1> old = DecodeExactLayout<NoteV1>(bytes);
    if (!old.ok()) return old.status();
    return Note{old->text, "vi"};
  }
};

TEST(PayloadCodecTest, StoredVersionOneEventIsReadAfterTypeGainedAField) {
  EventRecord record;
  record.position = 1;
  record.stream_id = "note-1";
  record.type = "note_written";
  record.schema_version = NoteV1::kSchemaVersion;
  record.payload = EncodePayload(NoteV1{"Gương người tốt việc tốt"});
  std::string stored = SealEventRecord(&record);

  Result<EventRecord> read = DecodeEventRecord(stored, 1);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  Result<Note> note = DecodeRecordPayload<Note>(*read);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text, "Gương người tốt việc tốt");
  EXPECT_EQ(note->language, "vi");
}

TEST(PayloadCodecTest, CurrentVersionRoundTrips) {
  Note note{"x", "en"};
  Result<Note> back = DecodePayload<Note>(2, EncodePayload(note));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->language, "en");
}

TEST(PayloadCodecTest, OlderVersionWithoutUpcastIsCorruption) {
  Result<NoteV1> old = DecodePayload<NoteV1>(0, EncodePayload(NoteV1{"x"}));
  EXPECT_EQ(old.status().code(), StatusCode::kCorruption);
}

TEST(PayloadCodecTest, NewerVersionThanKnownIsCorruption) {
  Result<Note> back = DecodePayload<Note>(3, EncodePayload(Note{}));
  EXPECT_EQ(back.status().code(), StatusCode::kCorruption);
}

TEST(PayloadCodecTest, TruncatedOrTrailingBytesAreCorruptionWithPosition) {
  std::string bytes =
      EncodePayload(RoleGranted{"g", "u", "approver", "d1", 1, 2});
  EventRecord record;
  record.type = RoleGranted::kType;
  record.position = 42;
  record.payload = bytes.substr(0, bytes.size() - 3);
  Result<RoleGranted> truncated = DecodeRecordPayload<RoleGranted>(record);
  EXPECT_EQ(truncated.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(truncated.status().number(), 42u);
  record.payload = bytes + "x";
  EXPECT_EQ(DecodeRecordPayload<RoleGranted>(record).status().code(),
            StatusCode::kCorruption);
}

TEST(PayloadCodecTest, EverySystemEventRoundTripsThroughCerealAndJson) {
  CampaignLaunched launched{"c1",
                            "Phụ nữ tích cực học tập",
                            "p1",
                            CivilDate::FromYmd(2024, 1, 1),
                            CivilDate::FromYmd(2024, 12, 31),
                            "womens_union"};
  Result<CampaignLaunched> back = DecodePayload<CampaignLaunched>(
      CampaignLaunched::kSchemaVersion, EncodePayload(launched));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, launched);
  nlohmann::json json = PayloadToJson(launched);
  EXPECT_EQ(json["period_start"], "2024-01-01");
  Result<CampaignLaunched> from_json = PayloadFromJson<CampaignLaunched>(json);
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(*from_json, launched);

  UnitMoved moved{"c1", "d2"};
  EXPECT_EQ(*DecodePayload<UnitMoved>(1, EncodePayload(moved)), moved);
  EXPECT_EQ(*PayloadFromJson<UnitMoved>(PayloadToJson(moved)), moved);

  UnitsReorganised split;
  split.reorganisation_id = "r1";
  split.kind = "split";
  split.legal_basis = {"1/2025/NQ-MAU", CivilDate::FromYmd(2025, 6, 12),
                       "Hội đồng nhân dân"};
  split.created = {{"c1a", "Xã A", "commune", "d1"},
                   {"c1b", "Xã B", "commune", "d1"}};
  split.ended = {"c1"};
  split.reparented = {{"b1", "c1a"}};
  split.successions = {{"c1", {"c1a", "c1b"}}};
  split.assignments = {{"ex1", "c1b"}};
  EXPECT_EQ(*DecodePayload<UnitsReorganised>(1, EncodePayload(split)), split);
  nlohmann::json split_json = PayloadToJson(split);
  EXPECT_EQ(split_json["legal_basis"]["document_date"], "2025-06-12");
  EXPECT_EQ(*PayloadFromJson<UnitsReorganised>(split_json), split);
  ExemplarTransferred transferred{"ex1", "r1", "c1", "c1b"};
  EXPECT_EQ(*DecodePayload<ExemplarTransferred>(1, EncodePayload(transferred)),
            transferred);
  WorkflowDefinitionRecorded recorded{"exemplar", 2, std::string(64, 'a'),
                                      R"({"name":"exemplar","version":2})"};
  EXPECT_EQ(
      *DecodePayload<WorkflowDefinitionRecorded>(1, EncodePayload(recorded)),
      recorded);
  EXPECT_EQ(
      *PayloadFromJson<WorkflowDefinitionRecorded>(PayloadToJson(recorded)),
      recorded);
  EXPECT_EQ(SystemEventTypes().size(), 12u);
}

TEST(PayloadCodecTest, JsonWithBadDateOrMissingMemberIsInvalidArgument) {
  nlohmann::json json = PayloadToJson(CampaignLaunched{});
  json["period_end"] = "2024-02-30";
  EXPECT_EQ(PayloadFromJson<CampaignLaunched>(json).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(PayloadFromJson<UnitRenamed>(nlohmann::json{{"unit_id", "u"}})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(PayloadCodecTest, WorkflowEventKeepsEveryValueType) {
  WorkflowEvent event;
  event.action = "appraise";
  event.definition_name = "exemplar";
  event.definition_version = 3;
  event.fields["note"] = std::string("Đạt");
  event.fields["reach"] = std::int64_t{1200};
  event.fields["women_ratio"] = 0.75;
  event.fields["cultured_family"] = true;
  event.fields["decision_date"] = CivilDate::FromYmd(2024, 6, 11);
  event.fields["milestones"] = std::vector<std::string>{"a", "b"};
  event.fields["criteria"] =
      std::vector<CriterionResult>{{"c1", true, "biên bản"}, {"c2", false, ""}};
  Result<WorkflowEvent> back = DecodePayload<WorkflowEvent>(
      WorkflowEvent::kSchemaVersion, EncodePayload(event));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, event);

  nlohmann::json json = WorkflowEventToJson(event);
  EXPECT_EQ(json["definition_version"], 3);
  EXPECT_EQ(json["fields"]["decision_date"], "2024-06-11");
  EXPECT_EQ(json["fields"]["criteria"][0]["evidence"], "biên bản");
  EXPECT_EQ(json["fields"]["reach"], 1200);
}

// What cereal's own binary archive writes for `value`.
template <typename T>
std::string CerealBinary(const T& value) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::BinaryOutputArchive archive(out);
    archive(value);
  }
  return std::move(out).str();
}

// Stored bytes must not change with the encoder: the hash chain covers
// them, and every store written before reads them back.
TEST(PayloadCodecTest, EncodingIsCerealBinaryByteForByte) {
  WorkflowEvent event;
  event.action = "honour";
  event.definition_name = "exemplar";
  event.definition_version = 7;
  event.fields["name"] = std::string("Hộ bà Nguyễn Thị Lan");
  event.fields["reach"] = std::int64_t{-1200};
  event.fields["women_ratio"] = 0.75;
  event.fields["cultured_family"] = true;
  event.fields["decision_date"] = CivilDate::FromYmd(2024, 6, 11);
  event.fields["milestones"] = std::vector<std::string>{"a", "", "c"};
  event.fields["criteria"] =
      std::vector<CriterionResult>{{"c1", true, "biên bản"}, {"c2", false, ""}};
  event.fields["attachments"] =
      std::vector<DocumentRef>{{std::string(64, 'e'), 1234, "application/pdf",
                                "Quyết định.pdf", std::string(32, '\x01')}};
  EXPECT_EQ(EncodePayload(event), CerealBinary(event));
  EXPECT_EQ(EncodePayload(WorkflowEvent{}), CerealBinary(WorkflowEvent{}));

  UnitsReorganised split;
  split.reorganisation_id = "r1";
  split.created = {{"c1a", "Xã A", "commune", "d1"}};
  split.successions = {{"c1", {"c1a", "c1b"}}};
  split.assignments = {{"ex1", "c1b"}};
  EXPECT_EQ(EncodePayload(split), CerealBinary(split));

  // An event record's body, whose serialisation is the store's own: its
  // hash as the encoder through a stream wrote it.
  WorkflowEvent named;
  named.action = "honour";
  named.definition_name = "exemplar";
  named.definition_version = 7;
  named.fields["name"] = std::string("Hộ bà Nguyễn Thị Lan");
  EventRecord record;
  record.position = 42;
  record.stream_id = "exemplar-ex-1";
  record.type = "exemplar_honoured";
  record.schema_version = 1;
  record.recorded_at_us = -5;
  record.actor = {"lan", "approver", "kh"};
  record.reason = "Lý do";
  record.payload = EncodePayload(named);
  record.prev_hash.fill(0xab);
  EXPECT_EQ(SealEventRecord(&record).size(), 338u);
  EXPECT_EQ(ToHex(record.hash),
            "aef2767c73210e9af334bf35da78301637359acdbd24ebba1232c38cc4bbb157");
}

}  // namespace
}  // namespace exemplar
