// The quota and deadline reports across the 2025 reform: the definition's
// entry in force for the year or the due date, a unit in being for part of
// a year counted pro rata by months.
#include <algorithm>
#include <map>
#include <set>

#include "engine/workflow/funnel.h"
#include "events/funnel_events.h"
#include "projections/funnel_reports.h"
#include "projections/reports.h"
#include "tests/projections/reform_fixture.h"

namespace exemplar::testing {
namespace {

class ReformReportsTest : public ReformTest {
 protected:
  std::map<std::string, projections::QuotaRow> Quotas(
      int year, projections::AsOf as_of = {}) {
    Result<projections::QuotaReport> report =
        projections_->Quotas("", year, {}, as_of);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    std::map<std::string, projections::QuotaRow> rows;
    if (!report.ok()) return rows;
    for (const auto& row : report->rows) rows[row.unit_id] = row;
    return rows;
  }
};

TEST_F(ReformReportsTest, QuotasApplyTheEntryInForceProRataByMonths) {
  System(UnitClosed{"c2", "sáp nhập"}, At(2025, 4, 10));
  OpenProjections();
  CatchUp();

  std::map<std::string, projections::QuotaRow> y2024 = Quotas(2024);
  EXPECT_EQ(y2024["d1"].minimum, 10);
  EXPECT_EQ(y2024["c1"].minimum, 5);
  EXPECT_EQ(y2024.count("kh"), 0u);  // no province step before the reform

  std::map<std::string, projections::QuotaRow> y2025 = Quotas(2025);
  // The district's minimum ends on 1 July 2025: six months of ten.
  EXPECT_EQ(y2025["d1"].minimum, 5);
  EXPECT_EQ(y2025["d1"].registration_due, "2025-02-15");
  // A commune: six months of five, then six of ten (the district's).
  EXPECT_EQ(y2025["c1"].minimum, 8);
  // Closed on 10 April: January to March of five.
  EXPECT_EQ(y2025["c2"].minimum, 2);

  std::map<std::string, projections::QuotaRow> y2026 = Quotas(2026);
  EXPECT_EQ(y2026["c1"].minimum, 10);
  EXPECT_EQ(y2026.count("c2"), 0u);
  // The district's selection step passed to the province.
  ASSERT_EQ(y2026.count("kh"), 1u);
  EXPECT_EQ(y2026["kh"].registration_due, "2026-02-15");
  EXPECT_EQ(y2026["kh"].registration_min, 10);
  EXPECT_EQ(y2026.count("d1"), 0u);  // no district step after it
}

TEST_F(ReformReportsTest, DeadlinesListTheLevelsWithAMinimumOnTheDueDate) {
  OpenProjections();
  CatchUp();
  auto units = [&](int year, int quarter) {
    Result<projections::DeadlineReport> report =
        projections_->Deadlines("", year, quarter, {});
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    std::set<std::string> ids;
    if (!report.ok()) return ids;
    for (const auto& row : report->rows) ids.insert(row.unit_id);
    return ids;
  };
  EXPECT_EQ(units(2025, 2),
            (std::set<std::string>{"c1", "c2", "c3", "d1", "d2"}));
  EXPECT_EQ(units(2025, 3), (std::set<std::string>{"c1", "c2", "c3"}));
}

// Each step counts for the unit the exemplar had then (the ended unit's
// row, its part) and rolls up to the unit's successor for the year (its
// total); the 2025 report equals the sum of its parts before and after
// 1 July.
TEST_F(ReformReportsTest, AYearAcrossTheReformShowsThePartsAndTheSuccessor) {
  ReformHistory();
  OpenProjections();
  CatchUp();
  std::map<std::string, projections::QuotaRow> before =
      Quotas(2025, {0, Reform() - 1});
  std::map<std::string, projections::QuotaRow> year = Quotas(2025);

  EXPECT_EQ(before.count("c12"), 0u);  // the tree of that day
  EXPECT_EQ(before["c1"].detected, 1);
  EXPECT_EQ(before["c2"].detected, 1);
  EXPECT_EQ(before["d1"].detected, 2);

  // The parts read as they were.
  EXPECT_EQ(year["c1"].detected, before["c1"].detected);
  EXPECT_EQ(year["c2"].detected, before["c2"].detected);
  EXPECT_EQ(year["d1"].detected, before["d1"].detected);
  EXPECT_EQ(year["c1"].propagated, 1);  // May, in c1
  EXPECT_EQ(year["c1"].successors, (std::vector<std::string>{"c12"}));
  EXPECT_EQ(year["c1"].minimum, 3);  // six months of five
  // The successor: its predecessors' parts plus its own after 1 July.
  const projections::QuotaRow& c12 = year["c12"];
  EXPECT_EQ(c12.predecessors, (std::vector<std::string>{"c1", "c2"}));
  const int detected_after = 1;  // e4
  EXPECT_EQ(c12.detected,
            before["c1"].detected + before["c2"].detected + detected_after);
  EXPECT_EQ(c12.propagated, 1);  // e1, once for May and September
  EXPECT_EQ(c12.honoured, 1);
  EXPECT_EQ(c12.minimum, 5);  // six months of ten
  // c3 moved under the province and stays itself.
  EXPECT_EQ(year["c3"].detected, 1);
  EXPECT_EQ(year["c3"].minimum, 8);
}

TEST_F(ReformReportsTest, TheListFollowsTheTransferAndAsOfShowsTheUnitThen) {
  ReformHistory();
  OpenProjections();
  CatchUp();
  auto ids = [&](const std::string& unit, projections::AsOf as_of) {
    projections::ExemplarListQuery query;
    query.unit_id = unit;
    Result<projections::ExemplarListPage> page =
        projections_->ListExemplars(query, as_of);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::set<std::string> out;
    if (!page.ok()) return out;
    for (const auto& row : page->items) out.insert(row.id + "@" + row.unit_id);
    return out;
  };
  EXPECT_EQ(ids("c12", {}),
            (std::set<std::string>{"e1@c12", "e2@c12", "e4@c12"}));
  EXPECT_EQ(ids("c1", {0, Reform() - 1}), (std::set<std::string>{"e1@c1"}));
  EXPECT_EQ(ids("d1", {0, Reform() - 1}),
            (std::set<std::string>{"e1@c1", "e2@c2"}));
}

TEST_F(ReformReportsTest, TheViewShowsTheTransferWithItsLegalBasis) {
  ReformHistory();
  OpenProjections();
  CatchUp();
  Result<projections::ExemplarView> view = projections_->Exemplar("e1");
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->unit_id, "c12");
  EXPECT_EQ(view->unit_path.front().first, "vn");
  ASSERT_EQ(view->transfers.size(), 1u);
  const nlohmann::json step = projections::ToJson(view->transfers[0], kOffset);
  EXPECT_EQ(step["fields"]["from_unit_id"], "c1");
  EXPECT_EQ(step["reorganisation"]["kind"], "merge");
  EXPECT_EQ(step["reorganisation"]["legal_basis"]["document_number"],
            "SAMPLE-01/NQ");
  EXPECT_TRUE(std::any_of(view->timeline.begin(), view->timeline.end(),
                          [](const auto& s) {
                            return s.event_type == "exemplar_transferred" &&
                                   !s.reorganisation.is_null();
                          }));
  Result<projections::ExemplarView> then =
      projections_->Exemplar("e1", {0, Reform() - 1});
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->unit_id, "c1");
  EXPECT_TRUE(then->transfers.empty());
}

TEST_F(ReformReportsTest, UnitsOfADateLineageAndSearchByAnOldName) {
  ReformHistory();
  OpenProjections();
  CatchUp();
  Result<std::vector<projections::UnitNode>> then =
      projections_->Units({}, {0, Reform() - 1});
  ASSERT_TRUE(then.ok());
  const nlohmann::json before = projections::ToJson(then->front());
  EXPECT_EQ(before.dump().find("c12"), std::string::npos);
  EXPECT_NE(before.dump().find("\"d1\""), std::string::npos);

  Result<projections::UnitLineage> lineage = projections_->Lineage("c12");
  ASSERT_TRUE(lineage.ok()) << lineage.status().ToString();
  ASSERT_EQ(lineage->predecessors.size(), 2u);
  EXPECT_EQ(lineage->predecessors[0].unit_id, "c1");
  EXPECT_EQ(lineage->predecessors[0].reorganisation_id, "r-merge");
  ASSERT_EQ(lineage->reorganisations.size(), 1u);
  EXPECT_EQ(lineage->reorganisations[0].event.legal_basis.document_number,
            "SAMPLE-01/NQ");
  Result<projections::UnitLineage> of_c1 = projections_->Lineage("c1");
  ASSERT_TRUE(of_c1.ok());
  ASSERT_EQ(of_c1->successors.size(), 1u);
  EXPECT_EQ(of_c1->successors[0].unit_id, "c12");
  EXPECT_FALSE(of_c1->unit.open);
  EXPECT_EQ(of_c1->unit.ended_by, "r-merge");
  EXPECT_EQ(projections_->Lineage("nowhere").status().reason(), "unknown_unit");

  // "Xã Cam Hải Tây" was c1's name: it finds c1 and, through it, c12.
  Result<std::vector<projections::UnitMatch>> found =
      projections_->SearchUnits("cam hai tay");
  ASSERT_TRUE(found.ok());
  std::set<std::string> matched;
  for (const auto& match : *found) {
    matched.insert(match.unit.id + "<" + match.through);
  }
  EXPECT_EQ(matched, (std::set<std::string>{"c1<", "c12<c1"}));
}

// What a reorganisation left pointing at an ended unit, with where to
// carry it: an exemplar not transferred, a replication planned into an
// ended unit, a mentor and people whose grants ended with their units.
TEST_F(ReformReportsTest, TheReorganisationReportListsWhatPointsAtAnEndedUnit) {
  ReformHistory([&] {
    Detect("e5", "Hộ Năm", At(2025, 5, 3));
    nlohmann::json plan = ValidFields("plan_replication");
    plan["replication_id"] = "nr-1";
    plan["target_unit"] = "c2";
    // The district's nominator: c2 lies within their authority.
    Do("e1", "nominator_dist", "plan_replication", plan, At(2025, 5, 4));
    // c1's list for 2025, which no selection took before c1 ended; c3's,
    // whose commune stays.
    for (const char* unit : {"c1", "c3"}) {
      AnnualListRegistered list;
      list.registration_id = RegistrationId(unit, 2025);
      list.unit_id = unit;
      list.year = 2025;
      list.step = "register";
      list.exemplar_ids = {unit == std::string("c1") ? "e1" : "e3"};
      list.due_date = CivilDate::FromYmd(2025, 1, 15);
      list.late = true;
      Append(RegistrationStreamId(list.registration_id), list, At(2025, 5, 5));
    }
  });
  OpenProjections();
  CatchUp();
  auto items = [&](const projections::ReadScope& visible,
                   projections::AsOf as_of) {
    projections::ReorganisationQuery query;
    query.visible = visible;
    Result<projections::ReorganisationReport> report =
        projections_->Reorganisation(query, as_of);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    std::map<std::string, projections::ReorganisationItem> out;
    if (!report.ok()) return out;
    for (const auto& item : report->items) {
      out[item.category + ":" + item.exemplar_id + item.user_id] = item;
    }
    return out;
  };
  std::map<std::string, projections::ReorganisationItem> now = items({}, {});
  ASSERT_EQ(now.count("exemplar_in_ended_unit:e5"), 1u);
  const auto& stranded = now["exemplar_in_ended_unit:e5"];
  EXPECT_EQ(stranded.unit_id, "c1");
  EXPECT_EQ(stranded.ended_by, "r-merge");
  EXPECT_EQ(stranded.successors, (std::vector<std::string>{"c12"}));
  EXPECT_EQ(now.count("exemplar_in_ended_unit:e1"), 0u);  // carried over
  ASSERT_EQ(now.count("replication_target_ended:e1"), 1u);
  EXPECT_EQ(now["replication_target_ended:e1"].detail, "nr-1");
  EXPECT_EQ(now["replication_target_ended:e1"].unit_id, "c2");
  ASSERT_EQ(now.count("mentor_without_grant:e1mentor"), 1u);
  ASSERT_EQ(now.count("person_without_grant:mentor"), 1u);
  EXPECT_EQ(now["person_without_grant:mentor"].successors,
            (std::vector<std::string>{"c12"}));
  EXPECT_EQ(now.count("person_without_grant:appraiser"), 1u);    // at d1
  EXPECT_EQ(now.count("person_without_grant:reporter_d2"), 0u);  // c3 stays
  EXPECT_EQ(now.count("person_without_grant:admin"), 0u);
  ASSERT_EQ(now.count("list_of_ended_unit:"), 1u);
  EXPECT_EQ(now["list_of_ended_unit:"].unit_id, "c1");
  EXPECT_EQ(now["list_of_ended_unit:"].detail, "2025-c1 (register)");
  EXPECT_EQ(now["list_of_ended_unit:"].successors,
            (std::vector<std::string>{"c12"}));

  EXPECT_TRUE(items({}, {0, Reform() - 1}).empty());
  // Readers of the successor see what its predecessors left; others not.
  EXPECT_EQ(items(Seeing({"c12"}), {}).count("exemplar_in_ended_unit:e5"), 1u);
  EXPECT_TRUE(items(Seeing({"c3"}), {}).empty());

  Result<projections::ReorganisationReport> report =
      projections_->Reorganisation({}, {});
  ASSERT_TRUE(report.ok());
  const projections::Table table = projections::ToTable(*report, kOffset);
  EXPECT_EQ(table.rows.size(), report->items.size());
  EXPECT_EQ(projections::ToJson(*report, kOffset)["items"].size(),
            report->items.size());
}

// Propagation across the reform counts as the quotas do: e1's item of May
// for c1 (its part) and for c12 (the year's total), September's for c12.
TEST_F(ReformReportsTest,
       PropagationOfAYearAcrossTheReformRollsUpToTheSuccessor) {
  ReformHistory();
  OpenProjections();
  CatchUp();
  Result<projections::PropagationReport> report =
      projections::Propagation(*projections_, "", "2025", {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::map<std::string, projections::PropagationRowReport> rows;
  for (const auto& row : report->rows) rows[row.unit_id] = row;
  ASSERT_EQ(rows.count("c1"), 1u);
  ASSERT_EQ(rows.count("c12"), 1u);
  EXPECT_EQ(rows["c1"].items, 1);
  EXPECT_EQ(rows["c12"].items, 2);
  EXPECT_EQ(rows["c12"].exemplars_covered, 1);
}

// Transfers fold the same whether followed live or rebuilt.
TEST_F(ReformReportsTest, ARebuildAcrossTheReformEqualsTheIncrementalModels) {
  OpenProjections();
  ReformHistory();
  CatchUp();
  projections_.reset();
  Result<std::map<std::string, std::string>> incremental = Dump();
  ASSERT_TRUE(incremental.ok());
  ASSERT_TRUE(
      projections::Projections::Rebuild(store_.get(), definition_, {}).ok());
  Result<std::map<std::string, std::string>> rebuilt = Dump();
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_TRUE(*incremental == *rebuilt);
}

}  // namespace
}  // namespace exemplar::testing
