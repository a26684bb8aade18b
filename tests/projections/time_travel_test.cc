// Time travel: lists, reports and the ledger asked "as of" a moment equal
// what the live projections showed at that moment.
#include <algorithm>

#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {
namespace {

using projections::AsOf;

class TimeTravelTest : public ProjectionTest {
 protected:
  // Everything the live projections (as_of live) or a replay answer.
  nlohmann::json Snapshot(AsOf as_of) {
    nlohmann::json snapshot;
    projections::ExemplarListQuery list;
    list.sort = projections::ExemplarSort::kName;
    snapshot["list"] =
        projections::ToJson(*projections_->ListExemplars(list, as_of), 420);
    list.unit_id = "d1";
    list.states = {"nurturing", "honoured"};
    snapshot["filtered"] =
        projections::ToJson(*projections_->ListExemplars(list, as_of), 420);
    snapshot["quotas"] =
        projections::ToJson(*projections_->Quotas("", 2024, {}, as_of));
    snapshot["deadlines"] = projections::ToJson(
        *projections_->Deadlines("", 2024, 2, {}, as_of), 420);
    snapshot["follow_up"] =
        projections::ToJson(*projections_->FollowUp({}, as_of), 420);
    snapshot["ledger"] =
        projections::ToJson(*projections_->Ledger({}, as_of), 420);
    nlohmann::json units = nlohmann::json::array();
    Result<std::vector<projections::UnitNode>> tree =
        projections_->Units({}, as_of);
    EXPECT_TRUE(tree.ok());
    if (tree.ok()) {
      for (const projections::UnitNode& unit : tree.value()) {
        units.push_back(projections::ToJson(unit));
      }
    }
    snapshot["units"] = units;
    return snapshot;
  }
};

TEST_F(TimeTravelTest, ReportsAsOfATimeEqualWhatLiveShowedThen) {
  OpenProjections();
  std::vector<std::pair<std::int64_t, nlohmann::json>> seen;
  auto snapshot_now = [&] {
    CatchUp();
    Result<EventRecord> last = store_->ReadEvent(store_->head().position);
    ASSERT_TRUE(last.ok());
    seen.emplace_back(last->recorded_at_us, Snapshot({}));
  };
  snapshot_now();
  std::int64_t at = At(2024, 4, 1);
  for (int i = 0; i < 4; ++i) {
    const std::string id = "ex" + std::to_string(i);
    Detect(id, "Hộ Đặng Văn " + std::to_string(i), at + i * kHour);
    snapshot_now();
  }
  at = At(2024, 4, 2);
  const char* targets[] = {"honoured", "nurturing", "returned", "approved"};
  for (int i = 0; i < 4; ++i) {
    // Each path takes under 30 days; the log moves forward in time.
    AdvanceTo("ex" + std::to_string(i), targets[i], at + i * 30 * kDay);
    snapshot_now();
  }
  Do("ex0", "record_propagation", At(2024, 8, 20));
  snapshot_now();
  System(UnitMoved{"c2", "d2"}, At(2024, 8, 21));
  snapshot_now();
  Do("ex0", "plan_replication", At(2024, 9, 1));
  Do("ex0", "evaluate_replication", At(2024, 11, 15));
  snapshot_now();

  for (const auto& [time, live] : seen) {
    EXPECT_EQ(Snapshot({0, time}), live) << "as of " << time;
  }
  // A moment between two snapshots shows the earlier one.
  EXPECT_EQ(Snapshot({0, seen[1].first + kHour / 2}), seen[1].second);
}

TEST_F(TimeTravelTest, AsOfAPositionReplaysUpToThatPosition) {
  OpenProjections();
  Detect("a", "Hộ A", At(2024, 4, 1));
  CatchUp();
  const std::uint64_t position = store_->head().position;
  nlohmann::json then = Snapshot({});
  Detect("b", "Hộ B", At(2024, 4, 2));
  AdvanceTo("a", "approved", At(2024, 4, 3));
  CatchUp();
  EXPECT_EQ(Snapshot({position, 0}), then);
  EXPECT_NE(Snapshot({}), then);
}

// c1 moves from d1 to d2 after its exemplar was decided on. As of before
// the move c1 lay in d1, but a reader of d1 may not read it now: no query
// in the past shows it to them; a reader of d2 sees it.
TEST_F(TimeTravelTest, QueriesInThePastAreScopedOnTodaysTree) {
  OpenProjections();
  Detect("a", "Hộ A", At(2024, 4, 1));
  AdvanceTo("a", "honoured", At(2024, 4, 2));  // introduced for 2024-Q2
  CatchUp();
  const AsOf before{store_->head().position, 0};
  System(UnitMoved{"c1", "d2"}, At(2024, 8, 21));
  CatchUp();

  const projections::ReadScope d1 = Seeing({"d1"});
  projections::ExemplarListQuery list;
  list.visible = d1;
  EXPECT_TRUE(projections_->ListExemplars(list, before)->items.empty());
  projections::LedgerQuery ledger;
  ledger.visible = d1;
  EXPECT_TRUE(projections_->Ledger(ledger, before)->rows.empty());
  Result<projections::QuotaReport> quotas =
      projections_->Quotas("", 2024, d1, before);
  ASSERT_TRUE(quotas.ok());
  for (const projections::QuotaRow& row : quotas->rows) {
    EXPECT_NE(row.unit_id, "c1");
    EXPECT_EQ(row.detected, 0) << row.unit_id;
    EXPECT_EQ(row.registered_on_time + row.registered_late, 0) << row.unit_id;
  }
  Result<projections::DeadlineReport> deadlines =
      projections_->Deadlines("", 2024, 2, d1, before);
  ASSERT_TRUE(deadlines.ok());
  for (const projections::DeadlineRow& row : deadlines->rows) {
    EXPECT_NE(row.unit_id, "c1");
    EXPECT_EQ(row.introduced, 0) << row.unit_id;
  }
  projections::FollowUpQuery follow_up;
  follow_up.visible = d1;
  EXPECT_EQ(projections_->FollowUp(follow_up, before)->total, 0);
  const std::string units =
      projections::ToJson(projections_->Units(d1, before)->front()).dump();
  EXPECT_EQ(units.find("\"c1\""), std::string::npos) << units;

  const projections::ReadScope d2 = Seeing({"d2"});
  list.visible = d2;
  EXPECT_EQ(projections_->ListExemplars(list, before)->items.size(), 1u);
  ledger.visible = d2;
  EXPECT_EQ(projections_->Ledger(ledger, before)->rows.size(), 4u);
  follow_up.visible = d2;
  EXPECT_EQ(projections_->FollowUp(follow_up, before)->total, 1);
  deadlines = projections_->Deadlines("", 2024, 2, d2, before);
  ASSERT_TRUE(deadlines.ok());
  EXPECT_TRUE(std::any_of(
      deadlines->rows.begin(), deadlines->rows.end(),
      [](const auto& row) { return row.unit_id == "c1" && row.introduced; }));
}

}  // namespace
}  // namespace exemplar::testing
