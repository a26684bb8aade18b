#include "relay/subjects.h"

#include <gtest/gtest.h>

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

TEST(UnitTree, NamesTheUnitPathFromTheRootDown) {
  UnitTree units;
  units.Apply(
      UnitEvent(UnitCreated::kType,
                EncodePayload(UnitCreated{"vn", "Việt Nam", "central", ""})));
  units.Apply(
      UnitEvent(UnitCreated::kType,
                EncodePayload(UnitCreated{"hn", "Hà Nội", "province", "vn"})));
  units.Apply(UnitEvent(
      UnitCreated::kType,
      EncodePayload(UnitCreated{"hn.bd", "Ba Đình", "district", "hn"})));
  EXPECT_EQ(SubjectFor("exemplar", units, ActionAt("hn.bd", "honoured")),
            "exemplar.vn.hn.hn%2Ebd.honoured");
}

TEST(UnitTree, FollowsAMovedUnit) {
  UnitTree units;
  units.Apply(UnitEvent(UnitCreated::kType,
                        EncodePayload(UnitCreated{"a", "A", "province", ""})));
  units.Apply(UnitEvent(UnitCreated::kType,
                        EncodePayload(UnitCreated{"b", "B", "province", ""})));
  units.Apply(UnitEvent(UnitCreated::kType,
                        EncodePayload(UnitCreated{"c", "C", "district", "a"})));
  units.Apply(UnitEvent(UnitMoved::kType, EncodePayload(UnitMoved{"c", "b"})));
  EXPECT_EQ(units.PathOf("c"), (std::vector<std::string>{"b", "c"}));
}

TEST(UnitTree, NamesAnUnknownUnitByItsIdAndNoUnitByUnderscore) {
  UnitTree units;
  EXPECT_EQ(SubjectFor("gov.exemplar", units, ActionAt("x", "t")),
            "gov.exemplar.x.t");
  EXPECT_EQ(SubjectFor("exemplar", units, ActionAt("", "t")), "exemplar._.t");
}

TEST(UnitTree, StopsOnACycleInsteadOfLooping) {
  UnitTree units;
  units.Apply(UnitEvent(UnitMoved::kType, EncodePayload(UnitMoved{"a", "b"})));
  units.Apply(UnitEvent(UnitMoved::kType, EncodePayload(UnitMoved{"b", "a"})));
  EXPECT_EQ(units.PathOf("a").size(), 64u);
}

TEST(UnitTree, IgnoresAPayloadThatDoesNotDecode) {
  UnitTree units;
  units.Apply(UnitEvent(UnitCreated::kType, "not cereal"));
  EXPECT_EQ(units.PathOf("a"), (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace exemplar::relay
