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

// Cam Lâm and Diên Khánh (districts of kh) merge into a new district
// "camdien" at 100; Cam Lâm's commune moves under it.
class ReorganisedTreeTest : public UnitTreeTest {
 protected:
  void SetUp() override {
    UnitTreeTest::SetUp();
    Fold(At(30, UnitCreated{"dienkhanh", "Diên Khánh", "district", "kh"}));
    Fold(At(40, UnitCreated{"camhai", "Cam Hải", "commune", "camlam"}));
    UnitsReorganised merge;
    merge.reorganisation_id = "r1";
    merge.kind = "merge";
    merge.legal_basis = {"1/2025/NQ-TEST", CivilDate::FromYmd(2025, 6, 1),
                         "Hội đồng nhân dân"};
    merge.created = {{"camdien", "Cam Diên", "district", "kh"}};
    merge.ended = {"camlam", "dienkhanh"};
    merge.reparented = {{"camhai", "camdien"}};
    merge.successions = {{"camlam", {"camdien"}}, {"dienkhanh", {"camdien"}}};
    Fold(At(100, merge));
  }
};

TEST_F(ReorganisedTreeTest, EndedUnitsCloseAndKeepTheirLineage) {
  const UnitRecord* camlam = tree_.Find("camlam");
  ASSERT_NE(camlam, nullptr);
  EXPECT_TRUE(camlam->OpenAt(99));
  EXPECT_FALSE(camlam->OpenAt(100));
  EXPECT_EQ(camlam->ended_by, "r1");
  EXPECT_EQ(camlam->successors, std::vector<std::string>{"camdien"});
  const UnitRecord* camdien = tree_.Find("camdien");
  ASSERT_NE(camdien, nullptr);
  EXPECT_FALSE(camdien->OpenAt(99));
  EXPECT_TRUE(camdien->OpenAt(100));
  EXPECT_EQ(camdien->predecessors,
            (std::vector<std::string>{"camlam", "dienkhanh"}));
  EXPECT_EQ(camdien->ended_by, "");
}

TEST_F(ReorganisedTreeTest, TheTreeBeforeTheMergeReadsAsItWas) {
  EXPECT_EQ(tree_.PathAt("camhai", 99),
            (std::vector<std::string>{"vn", "kh", "camlam", "camhai"}));
  EXPECT_EQ(tree_.PathAt("camhai", 100),
            (std::vector<std::string>{"vn", "kh", "camdien", "camhai"}));
  EXPECT_TRUE(tree_.IsWithin("camhai", "camlam", 99));
  EXPECT_FALSE(tree_.IsWithin("camhai", "camdien", 99));
  EXPECT_TRUE(tree_.IsWithin("camhai", "camdien", 100));
  EXPECT_TRUE(tree_.HasOpenChild("camlam", 99));
  EXPECT_FALSE(tree_.HasOpenChild("camlam", 100));
}

TEST_F(ReorganisedTreeTest, AnEndedUnitLiesWhereItsSuccessorsLie) {
  EXPECT_FALSE(tree_.IsWithin("dienkhanh", "camdien", 99));
  EXPECT_TRUE(tree_.IsWithin("dienkhanh", "camdien", 100));
  EXPECT_TRUE(tree_.IsWithin("dienkhanh", "kh", 100));
  EXPECT_FALSE(tree_.IsWithin("dienkhanh", "nt", 100));
}

TEST_F(ReorganisedTreeTest, SuccessorsAreFollowedToTheOpenUnits) {
  EXPECT_EQ(tree_.CurrentSuccessorsAt("camlam", 99),
            std::vector<std::string>{"camlam"});
  EXPECT_EQ(tree_.CurrentSuccessorsAt("camlam", 100),
            std::vector<std::string>{"camdien"});
  // camdien then splits in two: camlam's open successors are both.
  UnitsReorganised split;
  split.reorganisation_id = "r2";
  split.kind = "split";
  split.created = {{"cam1", "Cam Một", "district", "kh"},
                   {"cam2", "Cam Hai", "district", "kh"}};
  split.ended = {"camdien"};
  split.reparented = {{"camhai", "cam1"}};
  split.successions = {{"camdien", {"cam1", "cam2"}}};
  Fold(At(200, split));
  EXPECT_EQ(tree_.CurrentSuccessorsAt("camlam", 150),
            std::vector<std::string>{"camdien"});
  EXPECT_EQ(tree_.CurrentSuccessorsAt("camlam", 200),
            (std::vector<std::string>{"cam1", "cam2"}));
  EXPECT_EQ(tree_.AncestorsInLineage("cam2"),
            (std::vector<std::string>{"camdien", "camlam", "dienkhanh"}));
  EXPECT_TRUE(tree_.AncestorsInLineage("kh").empty());
  EXPECT_TRUE(tree_.CurrentSuccessorsAt("camdien", 99).empty());
}

TEST_F(ReorganisedTreeTest, ARenameKeepsEveryNameWithItsInstant) {
  Fold(At(300, UnitRenamed{"camdien", "Cam Diên mới"}));
  using Names = std::vector<std::pair<std::int64_t, std::string>>;
  EXPECT_EQ(tree_.Find("camdien")->names,
            (Names{{100, "Cam Diên"}, {300, "Cam Diên mới"}}));
  EXPECT_EQ(tree_.Find("camlam")->names, (Names{{30, "Cam Lâm"}}));
}

TEST_F(ReorganisedTreeTest, AReorganisationNamingAnUnknownUnitIsCorruption) {
  UnitsReorganised bad;
  bad.reorganisation_id = "r3";
  bad.ended = {"ghost"};
  EventRecord record = At(400, bad);
  record.position = 12;
  Status refused = tree_.Apply(record);
  EXPECT_EQ(refused.code(), StatusCode::kCorruption);
  EXPECT_EQ(refused.number(), std::optional<std::uint64_t>(12));
}

}  // namespace
}  // namespace exemplar
