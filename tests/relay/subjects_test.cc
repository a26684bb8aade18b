#include "relay/subjects.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar::relay {
namespace {

EventRecord UnitEvent(const std::string& type, const std::string& payload) {
  EventRecord record;
  record.type = type;
  record.payload = payload;
  return record;
}

EventRecord ActionAt(const std::string& unit, const std::string& type) {
  EventRecord record;
  record.type = type;
  record.actor.unit_id = unit;
  return record;
}

TEST(EscapeSubjectToken, KeepsOrdinaryNamesAsTheyAre) {
  EXPECT_EQ(EscapeSubjectToken("exemplar_detected"), "exemplar_detected");
  EXPECT_EQ(EscapeSubjectToken("hn-bd:01"), "hn-bd:01");
}

TEST(EscapeSubjectToken, EscapesWhatNatsGivesAMeaningTo) {
  EXPECT_EQ(EscapeSubjectToken("a.b"), "a%2Eb");
  EXPECT_EQ(EscapeSubjectToken("*>"), "%2A%3E");
  EXPECT_EQ(EscapeSubjectToken("a b\t"), "a%20b%09");
  EXPECT_EQ(EscapeSubjectToken("100%"), "100%25");
  EXPECT_EQ(EscapeSubjectToken("Hà"), "H%C3%A0");
}

TEST(EscapeSubjectToken, GivesAnEmptyNameAToken) {
  EXPECT_EQ(EscapeSubjectToken(""), "_");
}

// Folds a unit_created event for `unit` under `parent`.
void Create(UnitTree* units, const std::string& unit, const std::string& parent,
            const std::string& level) {
  ASSERT_TRUE(
      units
          ->Apply(UnitEvent(UnitCreated::kType,
                            EncodePayload(UnitCreated{unit, "Đơn vị " + unit,
                                                      level, parent})))
          .ok());
}

TEST(SubjectFor, NamesTheUnitPathFromTheRootDown) {
  UnitTree units;
  Create(&units, "vn", "", "central");
  Create(&units, "hn", "vn", "province");
  Create(&units, "hn.bd", "hn", "district");
  EXPECT_EQ(
      SubjectFor("exemplar", units, "hn.bd", ActionAt("hn.bd", "honoured")),
      "exemplar.vn.hn.hn%2Ebd.honoured");
}

// The path is the event's unit (an exemplar's, for the district's decision
// on it), not the unit its actor acted for.
TEST(SubjectFor, NamesTheEventsUnitNotItsActors) {
  UnitTree units;
  Create(&units, "vn", "", "central");
  Create(&units, "hn", "vn", "province");
  Create(&units, "bd", "hn", "district");
  EXPECT_EQ(SubjectFor("exemplar", units, "bd", ActionAt("hn", "approved")),
            "exemplar.vn.hn.bd.approved");
}

TEST(SubjectFor, FollowsAMovedUnitWhateverTheEventsTime) {
  UnitTree units;
  Create(&units, "a", "", "province");
  Create(&units, "b", "", "province");
  Create(&units, "c", "a", "district");
  EventRecord moved =
      UnitEvent(UnitMoved::kType, EncodePayload(UnitMoved{"c", "b"}));
  moved.recorded_at_us = 1000;
  ASSERT_TRUE(units.Apply(moved).ok());
  EventRecord earlier = ActionAt("c", "t");
  earlier.recorded_at_us = 10;
  EXPECT_EQ(SubjectFor("x", units, "c", earlier), "x.b.c.t");
}

TEST(SubjectFor, NamesAnUnknownUnitByItsIdAndNoUnitByUnderscore) {
  UnitTree units;
  EXPECT_EQ(SubjectFor("gov.exemplar", units, "x", ActionAt("x", "t")),
            "gov.exemplar.x.t");
  EXPECT_EQ(SubjectFor("exemplar", units, "", ActionAt("", "t")),
            "exemplar._.t");
}

TEST(SubjectFor, StopsOnACycleInsteadOfLooping) {
  UnitTree units;
  Create(&units, "a", "", "province");
  Create(&units, "b", "a", "district");
  ASSERT_TRUE(units
                  .Apply(UnitEvent(UnitMoved::kType,
                                   EncodePayload(UnitMoved{"a", "b"})))
                  .ok());
  const std::string subject = SubjectFor("x", units, "a", ActionAt("a", "t"));
  EXPECT_EQ(std::count(subject.begin(), subject.end(), '.'),
            static_cast<long>(UnitTree::kMaxDepth) + 1);
}

TEST(SubjectFor, AUnitEventThatDoesNotDecodeLeavesTheUnitsOwnId) {
  UnitTree units;
  EXPECT_FALSE(units.Apply(UnitEvent(UnitCreated::kType, "not cereal")).ok());
  EXPECT_EQ(SubjectFor("x", units, "a", ActionAt("a", "t")), "x.a.t");
}

}  // namespace
}  // namespace exemplar::relay
