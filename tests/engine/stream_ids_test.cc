#include "engine/workflow/stream_ids.h"

#include <gtest/gtest.h>

namespace exemplar {
namespace {

TEST(StreamIdsTest, AnIdReadsBackAsItsKindAndId) {
  for (StreamKind kind :
       {StreamKind::kExemplar, StreamKind::kUnit, StreamKind::kUser,
        StreamKind::kToken, StreamKind::kCampaign}) {
    const std::string stream = StreamIdOf(kind, "dh-0042");
    std::optional<StreamName> name = ParseStreamId(stream);
    ASSERT_TRUE(name.has_value()) << stream;
    EXPECT_EQ(name->kind, kind) << stream;
    EXPECT_EQ(name->id, "dh-0042") << stream;
  }
  EXPECT_EQ(ExemplarStreamId("dh-1"), "exemplar-dh-1");
  EXPECT_EQ(StreamIdOf(StreamKind::kUser, "an"), "user-an");
}

TEST(StreamIdsTest, AStreamOfNoKnownKindIsNotParsed) {
  EXPECT_FALSE(ParseStreamId("other-1").has_value());
  EXPECT_FALSE(ParseStreamId("").has_value());
}

TEST(StreamIdsTest, OnlyUnitUserAndCampaignStreamsAreSystemStreams) {
  EXPECT_TRUE(IsSystemStream("unit-kh"));
  EXPECT_TRUE(IsSystemStream("user-an"));
  EXPECT_TRUE(IsSystemStream("campaign-gen-2025"));
  EXPECT_FALSE(IsSystemStream("token-tok1"));
  EXPECT_FALSE(IsSystemStream("exemplar-unit-1"));
  for (const std::string& prefix : SystemStreamPrefixes()) {
    EXPECT_TRUE(IsSystemStream(prefix + "x")) << prefix;
  }
}

}  // namespace
}  // namespace exemplar
