// The registration funnel's report and the propagation assessment, against
// known inputs, live, as of a past moment and after a rebuild.
#include "projections/funnel_reports.h"

#include "projections/stored_model.h"
#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {
namespace {

using projections::Projections;

class FunnelReportsTest : public ProjectionTest {
 protected:
  void Funnel(FunnelAction action, const Actor& actor, std::int64_t at) {
    Result<AppendResult> result =
        handler_->Handle(FunnelCommand{std::move(action), actor, at, "", ""});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }

  // 2025: c1 registers two (short of five), c2 nothing, the district
  // selects one late and submits it late to the Home Affairs department.
  void ScriptFunnel() {
    System(UnitCreated{"snv", "Sở Nội vụ", "department", "kh"}, At(2024, 1, 3));
    Detect("ex1", "Chị Nguyễn Thị Lan", At(2024, 3, 1));
    Detect("ex2", "Hộ ông Trần Văn Bình", At(2024, 3, 2));
    Funnel(RegisterList{"c1", 2025, {"ex1", "ex2"}, ""},
           Actor{"nominator", "nominator", "c1"}, At(2025, 1, 10));
    selected_at_ = At(2025, 2, 20);
    Funnel(SelectList{"d1", 2025, {"ex1"}, ""},
           Actor{"approver", "approver", "d1"}, selected_at_);
    Funnel(SubmitList{"d1", 2025, "snv"}, Actor{"approver", "approver", "d1"},
           At(2025, 2, 21));
  }

  // 2026-H1: two items on two exemplars of c1, one the year before, a
  // replication planned and evaluated, and a score for c1.
  void ScriptPropagation() {
    Detect("ex1", "Chị Nguyễn Thị Lan", At(2024, 3, 1));
    Detect("ex2", "Hộ ông Trần Văn Bình", At(2024, 3, 2));
    AdvanceTo("ex1", "honoured", At(2024, 4, 1));
    AdvanceTo("ex2", "nurturing", At(2024, 4, 1));
    Item("ex1", "newspaper", 100, At(2025, 12, 31));
    Item("ex1", "newspaper", 100, At(2026, 3, 1));
    Item("ex2", "radio_television", 50, At(2026, 4, 1));
    Do("ex1", "plan_replication", At(2026, 5, 1));
    Do("ex1", "evaluate_replication", At(2026, 6, 1));
    Funnel(ScorePropagation{"c1", "2026-H1", 75, "Đạt"},
           Actor{"appraiser", "appraiser", "d1"}, At(2026, 6, 30));
  }

  void Item(const std::string& id, const std::string& channel, int reach,
            std::int64_t at) {
    nlohmann::json fields = ValidFields("record_propagation");
    fields["channel"] = channel;
    fields["reach"] = reach;
    Do(id, "propagandist", "record_propagation", fields, at);
  }

  const projections::RegistrationRow* RowOf(
      const projections::RegistrationReport& report, const std::string& unit) {
    for (const auto& row : report.rows) {
      if (row.unit_id == unit) return &row;
    }
    return nullptr;
  }

  std::int64_t selected_at_ = 0;
};

TEST_F(FunnelReportsTest, WhoRegisteredWhoSelectedWhatWhoIsLateOrShort) {
  OpenProjections();
  ScriptFunnel();
  CatchUp();
  auto report = projections::Registrations(*projections_, "d1", 2025, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->rows.size(), 3u);  // d1, c1, c2
  const auto* c1 = RowOf(*report, "c1");
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(c1->status, "on_time");
  EXPECT_EQ(c1->listed, 2);
  EXPECT_TRUE(c1->short_of_min);
  EXPECT_EQ(c1->selected_above, 1);
  ASSERT_EQ(c1->exemplars.size(), 2u);
  EXPECT_EQ(c1->exemplars[0].name, "Chị Nguyễn Thị Lan");
  EXPECT_TRUE(c1->exemplars[0].selected_above);
  EXPECT_FALSE(c1->exemplars[1].selected_above);
  const auto* c2 = RowOf(*report, "c2");
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(c2->status, "missing");
  const auto* d1 = RowOf(*report, "d1");
  ASSERT_NE(d1, nullptr);
  EXPECT_EQ(d1->step, "select");
  EXPECT_EQ(d1->status, "late");
  EXPECT_EQ(d1->exemplars[0].registered_by, "c1");
  EXPECT_EQ(d1->submitted_to, "snv");
  EXPECT_TRUE(d1->submission_late);
  EXPECT_EQ(RowOf(*report, "c3"), nullptr);

  // As of the moment before the selection, the district had none.
  auto before = projections::Registrations(*projections_, "d1", 2025, {},
                                           {0, selected_at_ - 1});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(RowOf(*before, "d1")->status, "missing");
  EXPECT_EQ(RowOf(*before, "c1")->selected_above, 0);

  // A reader of c3 sees neither row.
  auto scoped =
      projections::Registrations(*projections_, "", 2025, Seeing({"c3"}));
  ASSERT_TRUE(scoped.ok());
  ASSERT_EQ(scoped->rows.size(), 1u);
  EXPECT_EQ(scoped->rows[0].unit_id, "c3");

  nlohmann::json json = ToJson(*report, 420);
  EXPECT_EQ(json["rows"][0]["exemplars"][0]["exemplar_id"], "ex1");
  projections::Table table = ToTable(*report, 420);
  EXPECT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0]["year"], 2025);
  EXPECT_FALSE(projections::Registrations(*projections_, "", 1800, {}).ok());
}

TEST_F(FunnelReportsTest, PropagationWorkPerUnitAndPeriod) {
  OpenProjections();
  ScriptPropagation();
  CatchUp();
  auto report = projections::Propagation(*projections_, "", "2026-H1", {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const projections::PropagationRowReport* c1 = nullptr;
  const projections::PropagationRowReport* d1 = nullptr;
  for (const auto& row : report->rows) {
    if (row.unit_id == "c1") c1 = &row;
    if (row.unit_id == "d1") d1 = &row;
  }
  ASSERT_NE(c1, nullptr);
  ASSERT_NE(d1, nullptr);
  EXPECT_EQ(c1->items, 2);
  EXPECT_EQ(c1->reach, 150);
  EXPECT_EQ(c1->exemplars_covered, 2);
  EXPECT_EQ(c1->by_channel.at("newspaper"), 1);
  EXPECT_EQ(c1->by_channel.at("radio_television"), 1);
  EXPECT_EQ(c1->replications_started, 1);
  EXPECT_EQ(c1->replications_evaluated, 1);
  ASSERT_TRUE(c1->score.has_value());
  EXPECT_EQ(*c1->score, 75);
  EXPECT_EQ(c1->scored_by, "appraiser");
  EXPECT_NE(c1->summary_vi.find("Báo chí: 1"), std::string::npos)
      << c1->summary_vi;
  EXPECT_NE(c1->summary_en.find("Propagation score: 75"), std::string::npos)
      << c1->summary_en;
  // The district's row rolls up its communes' work; the score is c1's own.
  EXPECT_EQ(d1->items, 2);
  EXPECT_FALSE(d1->score.has_value());

  auto year = projections::Propagation(*projections_, "c1", "2025", {});
  ASSERT_TRUE(year.ok());
  ASSERT_EQ(year->rows.size(), 1u);
  EXPECT_EQ(year->rows[0].items, 1);
  EXPECT_FALSE(projections::Propagation(*projections_, "", "2026-H3", {}).ok());
  projections::Table table = ToTable(*report, 420);
  EXPECT_EQ(table.rows[0]["period"], "2026-H1");
}

TEST_F(FunnelReportsTest, RebuildEqualsIncrementalAndRestartKeepsTheModels) {
  OpenProjections();
  ScriptPropagation();
  System(UnitCreated{"snv", "Sở Nội vụ", "department", "kh"}, At(2026, 1, 3));
  Funnel(RegisterList{"c1", 2026, {"ex1", "ex2"}, ""},
         Actor{"nominator", "nominator", "c1"}, At(2026, 1, 10));
  CatchUp();
  auto live = projections::Propagation(*projections_, "", "2026", {});
  ASSERT_TRUE(live.ok());
  projections_->Stop();
  projections_.reset();
  Result<std::map<std::string, std::string>> incremental = Dump();
  ASSERT_TRUE(incremental.ok());
  ASSERT_TRUE(
      Projections::Rebuild(store_.get(), &DefaultDefinition(), {}).ok());
  Result<std::map<std::string, std::string>> rebuilt = Dump();
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_TRUE(*incremental == *rebuilt);
  ASSERT_TRUE(Projections::Rebuild(store_.get(), &DefaultDefinition(),
                                   {"unit_records", "propagation"})
                  .ok());
  EXPECT_TRUE(*incremental == *Dump());

  // Loaded from the stored rows, the reports read as before.
  OpenProjections();
  auto loaded = projections::Propagation(*projections_, "", "2026", {});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(ToJson(*loaded, 420), ToJson(*live, 420));
  auto lists = projections::Registrations(*projections_, "c1", 2026, {});
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists->rows.size(), 1u);
  EXPECT_EQ(lists->rows[0].listed, 2);
}

}  // namespace
}  // namespace exemplar::testing
