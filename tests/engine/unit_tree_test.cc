#include "engine/workflow/unit_tree.h"

#include <gtest/gtest.h>

#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

template <typename T>
EventRecord At(std::int64_t at_us, const T& payload) {
  EventRecord record;
  record.type = T::kType;
  record.schema_version = T::kSchemaVersion;
  record.payload = EncodePayload(payload);
  record.recorded_at_us = at_us;
  return record;
}

class UnitTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Fold(At(10, UnitCreated{"vn", "Việt Nam", "central", ""}));
    Fold(At(20, UnitCreated{"kh", "Khánh Hòa", "province", "vn"}));
    Fold(At(20, UnitCreated{"nt", "Ninh Thuận", "province", "vn"}));
    Fold(At(30, UnitCreated{"camlam", "Cam Lâm", "district", "kh"}));
  }
  void Fold(const EventRecord& record) {
    ASSERT_TRUE(tree_.Apply(record).ok());
  }
  UnitTree tree_;
};

TEST_F(UnitTreeTest, PathsRunFromTheRootDown) {
  EXPECT_EQ(tree_.PathAt("camlam", 40),
            (std::vector<std::string>{"vn", "kh", "camlam"}));
  EXPECT_EQ(tree_.PathAt("unknown", 40), (std::vector<std::string>{"unknown"}));
}

TEST_F(UnitTreeTest, AMoveTakesEffectFromItsInstant) {
  Fold(At(100, UnitMoved{"camlam", "nt"}));
  EXPECT_TRUE(tree_.IsWithin("camlam", "kh", 99));
  EXPECT_FALSE(tree_.IsWithin("camlam", "kh", 100));
  EXPECT_TRUE(tree_.IsWithin("camlam", "nt", 100));
  EXPECT_EQ(tree_.PathAt("camlam", 99),
            (std::vector<std::string>{"vn", "kh", "camlam"}));
  EXPECT_EQ(tree_.PathAt("camlam", 100),
            (std::vector<std::string>{"vn", "nt", "camlam"}));
}

TEST_F(UnitTreeTest, AClosedChildNoLongerHoldsItsParentOpen) {
  EXPECT_TRUE(tree_.HasOpenChild("kh", 40));
  Fold(At(50, UnitClosed{"camlam", "sáp nhập"}));
  EXPECT_TRUE(tree_.HasOpenChild("kh", 49));
  EXPECT_FALSE(tree_.HasOpenChild("kh", 50));
  EXPECT_FALSE(tree_.Find("camlam")->OpenAt(50));
}

TEST_F(UnitTreeTest, AnEventNamingAnUnknownUnitIsCorruption) {
  EventRecord moved = At(60, UnitMoved{"ghost", "kh"});
  moved.position = 9;
  Status refused = tree_.Apply(moved);
  EXPECT_EQ(refused.code(), StatusCode::kCorruption);
  EXPECT_EQ(refused.number(), std::optional<std::uint64_t>(9));
}

TEST_F(UnitTreeTest, OtherEventsAreIgnored) {
  EventRecord other;
  other.type = "exemplar_detected";
  other.payload = "not a unit event";
  EXPECT_TRUE(tree_.Apply(other).ok());
  EXPECT_EQ(tree_.size(), 4u);
}

}  // namespace
}  // namespace exemplar
