// The workflow payload decoder the rebuild uses: whatever event its reused
// WorkflowEvent held before, it gives exactly what the payload codec gives,
// and refuses exactly what the codec refuses.
#include "projections/row_decoder.h"

#include <gtest/gtest.h>

#include <sstream>

#include "events/payload_codec.h"

namespace exemplar::testing {
namespace {

using projections::WorkflowEventDecoder;

// Events with every kind of field value, keys shared and not, and strings
// longer and shorter than the ones before them.
std::vector<WorkflowEvent> VariedEvents() {
  return {
      {"detect",
       "exemplar",
       3,
       {{"name", std::string("Hộ Nguyễn Văn Đức, xã Cam Hải Đông")},
        {"priority_flags",
         std::vector<std::string>{"direct_worker", "remote_area"}},
        {"unit_id", std::string("camlam-1")}}},
      {"record_vote",
       "exemplar",
       3,
       {{"members", std::int64_t{9}},
        {"meeting_date", CivilDate::FromYmd(2024, 6, 3)},
        {"name", std::int64_t{-4}},
        {"share", 0.75},
        {"still_meets_standard", true}}},
      {"appraise",
       "exemplar",
       3,
       {{"criteria", std::vector<CriterionResult>{{"a", true, "Biên bản"},
                                                  {"b", false, ""}}}}},
      {"log_support_visit", "", 0, {}},
      {"detect",
       "exemplar",
       3,
       {{"name", std::string("Lan")},
        {"priority_flags", std::vector<std::string>{}},
        {"unit_id", std::string("c")}}},
  };
}

TEST(WorkflowEventDecoderTest, GivesWhatTheCodecGivesWhateverCameBefore) {
  const std::vector<WorkflowEvent> events = VariedEvents();
  WorkflowEventDecoder decoder;
  WorkflowEvent reused;
  // Every ordered pair, so each event follows each other one.
  for (const WorkflowEvent& before : events) {
    for (const WorkflowEvent& event : events) {
      ASSERT_TRUE(decoder.Decode(EncodePayload(before), &reused));
      const std::string bytes = EncodePayload(event);
      ASSERT_TRUE(decoder.Decode(bytes, &reused)) << event.action;
      Result<WorkflowEvent> expected =
          DecodePayload<WorkflowEvent>(WorkflowEvent::kSchemaVersion, bytes);
      ASSERT_TRUE(expected.ok());
      EXPECT_EQ(reused, *expected) << before.action << " then " << event.action;
    }
  }
}

TEST(WorkflowEventDecoderTest, RefusesTruncatedAndTrailingBytes) {
  const std::string bytes = EncodePayload(VariedEvents()[1]);
  WorkflowEventDecoder decoder;
  WorkflowEvent reused;
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(decoder.Decode(bytes.substr(0, size), &reused)) << size;
  }
  EXPECT_FALSE(decoder.Decode(bytes + '\0', &reused));
  EXPECT_TRUE(decoder.Decode(bytes, &reused));
}

// The payload of one field "k" holding alternative `index` (an int32, as
// cereal writes a variant) followed by an int64.
std::string PayloadWithAlternative(std::int32_t index) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::BinaryOutputArchive archive(out);
    archive(std::string("a"), std::string("d"), std::uint32_t{1});
    archive(cereal::make_size_tag(cereal::size_type{1}));
    archive(std::string("k"), index, std::int64_t{5});
  }
  return std::move(out).str();
}

TEST(WorkflowEventDecoderTest, RefusesAnAlternativeTheCodecRefuses) {
  WorkflowEventDecoder decoder;
  WorkflowEvent reused;
  ASSERT_TRUE(decoder.Decode(PayloadWithAlternative(1), &reused));
  EXPECT_EQ(std::get<std::int64_t>(reused.fields.at("k")), 5);
  for (std::int32_t index : {-1, 7, 1000}) {
    const std::string bytes = PayloadWithAlternative(index);
    EXPECT_FALSE(decoder.Decode(bytes, &reused)) << index;
    EXPECT_FALSE(
        DecodePayload<WorkflowEvent>(WorkflowEvent::kSchemaVersion, bytes).ok())
        << index;
  }
}

TEST(WorkflowEventDecoderTest, ARepeatedKeyKeepsItsFirstValueAsTheCodecDoes) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::BinaryOutputArchive archive(out);
    archive(std::string("a"), std::string("d"), std::uint32_t{1});
    archive(cereal::make_size_tag(cereal::size_type{2}));
    archive(std::string("k"), std::int32_t{1}, std::int64_t{5});
    archive(std::string("k"), std::int32_t{3}, true);
  }
  const std::string bytes = std::move(out).str();
  WorkflowEventDecoder decoder;
  WorkflowEvent reused;
  ASSERT_TRUE(decoder.Decode(bytes, &reused));
  Result<WorkflowEvent> expected =
      DecodePayload<WorkflowEvent>(WorkflowEvent::kSchemaVersion, bytes);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(reused, *expected);
  EXPECT_EQ(reused.fields.size(), 1u);
}

}  // namespace
}  // namespace exemplar::testing
