// The unit an event belongs to: its exemplar's for an exemplar's stream,
// whoever acted; its unit's for a unit's stream; its actor's otherwise.
#include "engine/workflow/event_unit.h"

#include <gtest/gtest.h>

#include "events/funnel_events.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "events/workflow_event.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

class EventUnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto definition =
        LoadDefinition(EXEMPLAR_SOURCE_DIR "/workflows/exemplar.json");
    ASSERT_TRUE(definition.ok()) << definition.status().ToString();
    definition_ = std::move(*definition);
    auto store = EventStore::Open(dir_.str());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  // Appends one event of `type` with `payload` to `stream`, as an actor of
  // `actor_unit`; returns it as stored.
  EventRecord Append(const std::string& stream, const std::string& type,
                     std::string payload, const std::string& actor_unit) {
    NewEvent event;
    event.type = type;
    event.payload = std::move(payload);
    event.actor = {"someone", "officer", actor_unit};
    AppendRequest request;
    request.stream_id = stream;
    request.events.push_back(std::move(event));
    auto appended = store_->Append(std::move(request));
    EXPECT_TRUE(appended.ok()) << appended.status().ToString();
    auto record = store_->ReadEvent(store_->head().position);
    EXPECT_TRUE(record.ok());
    return *record;
  }

  // The definition's creating action, with its unit field set to `unit`.
  std::string Creation(const std::string& unit) const {
    WorkflowEvent event;
    event.definition_name = definition_.name;
    event.definition_version = definition_.version;
    for (const ActionSpec& action : definition_.actions) {
      if (action.creates) event.action = action.name;
    }
    event.fields[definition_.subject.unit_field] = unit;
    return EncodePayload(event);
  }

  testing::TempDir dir_;
  Definition definition_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(EventUnitTest, AnExemplarsEventsAreItsUnitsWhoeverActed) {
  EventRecord created =
      Append("exemplar-lan", "exemplar_detected", Creation("c1"), "c1");
  EventRecord approved =
      Append("exemplar-lan", "exemplar_approved", "whatever", "d1");
  EventUnitResolver resolver(*store_, definition_);
  EXPECT_EQ(*resolver.UnitOf(created), "c1");
  EXPECT_EQ(*resolver.UnitOf(approved), "c1");
  // A resolver that meets the stream at a later event reads its creation.
  EventUnitResolver fresh(*store_, definition_);
  EXPECT_EQ(*fresh.UnitOf(approved), "c1");
}

TEST_F(EventUnitTest, AnExemplarsEventsFollowItsTransfer) {
  EventRecord created =
      Append("exemplar-lan", "exemplar_detected", Creation("c1"), "c1");
  EventRecord nominated =
      Append("exemplar-lan", "exemplar_nominated", "whatever", "c1");
  NewEvent moved;
  moved.type = ExemplarTransferred::kType;
  moved.schema_version = ExemplarTransferred::kSchemaVersion;
  moved.payload = EncodePayload(ExemplarTransferred{"lan", "r1", "c1", "c12"});
  moved.actor = {"admin", "admin", "vn"};
  AppendRequest request;
  request.stream_id = "exemplar-lan";
  request.events.push_back(std::move(moved));
  ASSERT_TRUE(store_->Append(std::move(request)).ok());
  auto transfer = store_->ReadEvent(store_->head().position);
  ASSERT_TRUE(transfer.ok());
  EventRecord approved =
      Append("exemplar-lan", "exemplar_approved", "whatever", "d1");

  EventUnitResolver resolver(*store_, definition_);
  EXPECT_EQ(*resolver.UnitOf(created), "c1");
  EXPECT_EQ(*resolver.UnitOf(nominated), "c1");
  EXPECT_EQ(*resolver.UnitOf(*transfer), "c12");
  EXPECT_EQ(*resolver.UnitOf(approved), "c12");
  // Asked out of order, and by a resolver that meets the stream late.
  EXPECT_EQ(*resolver.UnitOf(nominated), "c1");
  EventUnitResolver fresh(*store_, definition_);
  EXPECT_EQ(*fresh.UnitOf(approved), "c12");
  EXPECT_EQ(*fresh.UnitOf(nominated), "c1");
}

TEST_F(EventUnitTest, AUnitsEventsAreThatUnitsAndOthersTheirActors) {
  EventRecord unit =
      Append("unit-c9", UnitCreated::kType,
             EncodePayload(UnitCreated{"c9", "Xã 9", "commune", "d1"}), "d1");
  EventRecord user = Append("user-lan", "user_created", "x", "kh");
  EventUnitResolver resolver(*store_, definition_);
  EXPECT_EQ(*resolver.UnitOf(unit), "c9");
  EXPECT_EQ(*resolver.UnitOf(user), "kh");
}

// An annual list and a propagation score belong to the unit they are
// about, whoever recorded them (a province selects for itself, an
// appraiser of the province scores a commune).
TEST_F(EventUnitTest, AListOrAScoreIsTheUnitsItIsAbout) {
  AnnualListRegistered list;
  list.registration_id = "2026-c9";
  list.unit_id = "c9";
  list.year = 2026;
  list.step = "register";
  EventRecord registered =
      Append("registration-2026-c9", AnnualListRegistered::kType,
             EncodePayload(list), "kh");
  AnnualListSubmitted submitted;
  submitted.registration_id = "2026-d1";
  submitted.unit_id = "d1";
  EventRecord sent = Append("registration-2026-d1", AnnualListSubmitted::kType,
                            EncodePayload(submitted), "kh");
  PropagationScored score;
  score.unit_id = "c9";
  score.period = "2025";
  EventRecord scored = Append("assessment-2025-c9", PropagationScored::kType,
                              EncodePayload(score), "kh");
  EventUnitResolver resolver(*store_, definition_);
  EXPECT_EQ(*resolver.UnitOf(registered), "c9");
  EXPECT_EQ(*resolver.UnitOf(sent), "d1");
  EXPECT_EQ(*resolver.UnitOf(scored), "c9");
}

TEST_F(EventUnitTest, AnExemplarStreamWithoutACreationHasNoUnit) {
  EventRecord odd = Append("exemplar-odd", "odd", "not a creation", "d1");
  EventUnitResolver resolver(*store_, definition_);
  EXPECT_EQ(*resolver.UnitOf(odd), "");
}

}  // namespace
}  // namespace exemplar
