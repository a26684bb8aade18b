#include "api/sse_units.h"

#include <gtest/gtest.h>

#include "engine/workflow/command_handler.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/raw_db.h"
#include "tests/support/temp_dir.h"

namespace exemplar::testing {
namespace {

// A store with the test units, a reporter at c1 and three exemplars it
// detected; returns the positions of the first two detect events.
std::pair<std::uint64_t, std::uint64_t> WriteThreeExemplars(
    const std::string& dir) {
  Result<std::unique_ptr<EventStore>> store = EventStore::Open(dir);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  CommandHandler handler(store->get(), &DefaultDefinition());
  const std::int64_t t0 = At(2024, 1, 2);
  auto system = [&](SystemAction action) {
    Result<AppendResult> result = handler.Handle(SystemCommand{
        std::move(action), Actor{"admin", "admin", "vn"}, t0, "", ""});
    EXPECT_TRUE(result.ok()) << result.status().ToString();
  };
  for (const TestUnit& unit : TestUnits()) {
    system(UnitCreated{unit.id, unit.name, unit.level, unit.parent});
  }
  system(UserRegistered{"reporter", "Cán bộ reporter", "c1"});
  system(RoleGranted{"g-reporter", "reporter", "reporter", "c1", t0, 0});
  std::vector<std::uint64_t> positions;
  for (const char* id : {"ex1", "ex2", "ex3"}) {
    Result<AppendResult> detected = handler.Handle(
        WorkflowCommand{id, "detect", ValidFields("detect"),
                        Who("reporter").actor(), At(2024, 5, 2), "", "", ""});
    EXPECT_TRUE(detected.ok()) << detected.status().ToString();
    positions.push_back(detected.ok() ? detected->last_position : 0);
  }
  return {positions[0], positions[1]};
}

// After a restart the unit filter of the event stream learns the unit tree
// from the unit streams, not by filtering the whole log: a damaged exemplar
// event between the units and the event asked about goes unread.
TEST(EventUnitsTest, FirstCatchUpReadsOnlyTheUnitStreams) {
  TempDir dir;
  auto [damaged, asked] = WriteThreeExemplars(dir.str());
  RawDb(dir.str()).Put(damaged, "not an event");
  Result<std::unique_ptr<EventStore>> store = EventStore::Open(dir.str());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<EventRecord> event = (*store)->ReadEvent(asked);
  ASSERT_TRUE(event.ok()) << event.status().ToString();

  api::EventUnits units(**store, DefaultDefinition());
  Result<bool> in_district = units.WithinAny(*event, {"d1"});
  ASSERT_TRUE(in_district.ok()) << in_district.status().ToString();
  EXPECT_TRUE(*in_district);
  Result<bool> in_other = units.WithinAny(*event, {"d2", "c2"});
  ASSERT_TRUE(in_other.ok()) << in_other.status().ToString();
  EXPECT_FALSE(*in_other);
}

// A subscriber filtering on a commune that merged keeps receiving its
// successor's events; events from before the merge stay where they were.
TEST(EventUnitsTest, TheUnitFilterFollowsLineage) {
  TempDir dir;
  auto [first, second] = WriteThreeExemplars(dir.str());
  Result<std::unique_ptr<EventStore>> store = EventStore::Open(dir.str());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  CommandHandler handler(store->get(), &DefaultDefinition());
  const std::int64_t reform = At(2024, 6, 3);
  MergeUnits merge;
  merge.reorganisation_id = "r1";
  merge.units = {"c1", "c2"};
  merge.into = UnitSpec{"c12", "Xã mới", "", ""};
  merge.legal_basis = {"1/NQ-MAU", CivilDate::FromYmd(2024, 6, 1), "HĐND"};
  const Actor admin{"admin", "admin", "vn"};
  ASSERT_TRUE(
      handler.Handle(ReorganisationCommand{merge, admin, reform, "", ""}).ok());
  Result<AppendResult> moved = handler.Handle(TransferCommand{
      ExemplarTransferred{"ex1", "r1", "c1", "c12"}, admin, reform, "", ""});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  Result<EventRecord> transfer = (*store)->ReadEvent(moved->last_position);
  Result<EventRecord> before = (*store)->ReadEvent(second);
  ASSERT_TRUE(transfer.ok() && before.ok());

  api::EventUnits units(**store, DefaultDefinition());
  for (const char* root : {"c1", "c2", "c12", "d1"}) {
    EXPECT_TRUE(*units.WithinAny(*transfer, {root})) << root;
  }
  EXPECT_FALSE(*units.WithinAny(*transfer, {"c3"}));
  EXPECT_TRUE(*units.WithinAny(*before, {"c1"}));
  EXPECT_FALSE(*units.WithinAny(*before, {"c12"}));
  EXPECT_FALSE(*units.WithinAny(*before, {"c2"}));
}

}  // namespace
}  // namespace exemplar::testing
