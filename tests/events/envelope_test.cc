#include "events/envelope.h"

#include <gtest/gtest.h>

#include "events/event_json.h"

namespace exemplar {
namespace {

EventRecord SampleRecord() {
  EventRecord record;
  record.position = 7;
  record.stream_id = "exemplar-42";
  record.stream_version = 3;
  record.type = "exemplar_honoured";
  record.schema_version = 2;
  record.recorded_at_us = 1'749'600'000'000'000;
  record.actor = {"user-9", "approver", "unit-huyen-1"};
  record.reason = "Tuyên dương ngày 11/6";
  record.request_id = "req-7";
  record.remote_address = "203.0.113.7";
  record.payload = std::string("\x00\x01 Trần Văn Đức", 19);
  record.prev_hash = Sha256({"previous"});
  return record;
}

TEST(EnvelopeTest, SealedRecordDecodesToTheSameRecord) {
  EventRecord record = SampleRecord();
  std::string stored = SealEventRecord(&record);
  auto decoded = DecodeEventRecord(stored, 7);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, record);
}

TEST(EnvelopeTest, HashCoversPreviousHashAndEveryStoredByte) {
  EventRecord record = SampleRecord();
  std::string stored = SealEventRecord(&record);
  std::string body = stored.substr(0, stored.size() - 32);
  EXPECT_EQ(record.hash, Sha256({AsBytes(record.prev_hash), body}));
  EventRecord other_actor = SampleRecord();
  other_actor.actor.role = "reporter";
  SealEventRecord(&other_actor);
  EXPECT_NE(other_actor.hash, record.hash);
}

TEST(EnvelopeTest, HashCoversTheRemoteAddress) {
  EventRecord record = SampleRecord();
  SealEventRecord(&record);
  EventRecord elsewhere = SampleRecord();
  elsewhere.remote_address = "203.0.113.8";
  SealEventRecord(&elsewhere);
  EXPECT_NE(elsewhere.hash, record.hash);
}

TEST(EnvelopeTest, JsonRoundTripsEveryEnvelopeField) {
  EventRecord record = SampleRecord();
  record.on_behalf_of = "user-3";
  record.correlation_id = "corr-1";
  record.causation_id = "cause-1";
  record.idempotency_key = "key-1";
  SealEventRecord(&record);
  nlohmann::json json = EventToJson(record);
  EXPECT_EQ(json["remote_address"], "203.0.113.7");
  Result<EventRecord> parsed = EventFromJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, record);
}

// A sealed reason (engine/workflow/personal_data.h) is bytes, not text: the
// JSON carries them in base64 beside a null, and reads them back exactly,
// so the hash still verifies from the JSON alone.
TEST(EnvelopeTest, ASealedMemberTravelsAsItsStoredBytesBesideANull) {
  EventRecord record = SampleRecord();
  using namespace std::string_literals;
  record.reason = "\0S1e1\0nomination\0\x01\xff\0"s + "bytes";
  SealEventRecord(&record);
  nlohmann::json json = EventToJson(record);
  EXPECT_TRUE(json["reason"].is_null()) << json.dump();
  EXPECT_EQ(json["reason_sealed_base64"], Base64Encode(record.reason));
  json["reason"] = "what a reader was shown";
  Result<EventRecord> parsed = EventFromJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, record);
  EXPECT_EQ(parsed->hash, record.hash);
}

TEST(EnvelopeTest, EveryFlippedByteIsCorruptionAtThePosition) {
  EventRecord record = SampleRecord();
  const std::string stored = SealEventRecord(&record);
  for (size_t i = 0; i < stored.size(); ++i) {
    std::string bad = stored;
    bad[i] ^= 0x40;
    auto decoded = DecodeEventRecord(bad, 7);
    ASSERT_FALSE(decoded.ok()) << "byte " << i;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(decoded.status().number(), std::optional<std::uint64_t>(7));
  }
}

TEST(EnvelopeTest, HugeLengthPrefixIsCorruptionNotAnAllocation) {
  EventRecord record = SampleRecord();
  std::string stored = SealEventRecord(&record);
  // The stream id's 8-byte length follows the 8-byte position.
  for (int i = 8; i < 16; ++i) stored[i] = '\x7f';
  auto decoded = DecodeEventRecord(stored, 7);
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
}

TEST(EnvelopeTest, RecordUnderTheWrongKeyIsCorruption) {
  EventRecord record = SampleRecord();
  std::string stored = SealEventRecord(&record);
  auto decoded = DecodeEventRecord(stored, 8);
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(decoded.status().number(), std::optional<std::uint64_t>(8));
}

TEST(EnvelopeTest, TruncatedAndEmptyRecordsAreCorruption) {
  EventRecord record = SampleRecord();
  std::string stored = SealEventRecord(&record);
  EXPECT_FALSE(DecodeEventRecord("", 1).ok());
  EXPECT_FALSE(DecodeEventRecord(stored.substr(0, stored.size() - 1), 7).ok());
  EXPECT_FALSE(DecodeEventRecord(stored.substr(0, 40), 7).ok());
  EXPECT_FALSE(DecodeEventRecord(stored + "x", 7).ok());
}

TEST(EnvelopeTest, ReusedDecoderAndRecordGiveWhatDecodeEventRecordGives) {
  // Records of other lengths in turn, through one decoder into one record,
  // with damaged ones between: each decodes to exactly its own fields,
  // whatever the record held before, and a failure leaves the decoder
  // usable.
  EventRecord longer = SampleRecord();
  longer.reason = std::string(300, 'x');
  longer.payload = std::string(1000, '\x01');
  longer.idempotency_key = "key-1";
  EventRecord shorter = SampleRecord();
  shorter.stream_id = "u";
  shorter.reason.clear();
  shorter.remote_address.clear();
  shorter.payload = "p";
  const std::string stored_longer = SealEventRecord(&longer);
  const std::string stored_shorter = SealEventRecord(&shorter);
  std::string damaged = stored_longer;
  damaged[damaged.size() / 2] ^= 0x40;

  EventRecord record;
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(DecodeEventRecord(stored_longer, 7, &record).ok());
    EXPECT_EQ(record, longer);
    Status failed = DecodeEventRecord(damaged, 7, &record);
    EXPECT_EQ(failed.ToString(),
              DecodeEventRecord(damaged, 7).status().ToString());
    EXPECT_EQ(failed.number(), std::optional<std::uint64_t>(7));
    ASSERT_TRUE(DecodeEventRecord(stored_shorter, 7, &record).ok());
    EXPECT_EQ(record, shorter);
    EXPECT_EQ(DecodeEventRecord(stored_shorter, 8, &record).ToString(),
              DecodeEventRecord(stored_shorter, 8).status().ToString());
  }
}

TEST(Sha256Test, KnownAnswerAndHexRoundTrip) {
  EXPECT_EQ(ToHex(Sha256({""})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256({"ab", "c"})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Hash256 parsed;
  ASSERT_TRUE(FromHex(ToHex(Sha256({"x"})), &parsed));
  EXPECT_EQ(parsed, Sha256({"x"}));
  EXPECT_FALSE(FromHex("zz", &parsed));
  EXPECT_FALSE(FromHex(std::string(64, 'g'), &parsed));
}

}  // namespace
}  // namespace exemplar
