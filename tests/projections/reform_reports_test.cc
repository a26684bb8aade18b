// The quota and deadline reports across the 2025 reform: the definition's
// entry in force for the year or the due date, a unit in being for part of
// a year counted pro rata by months.
#include <map>
#include <set>

#include "projections/reports.h"
#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {
namespace {

class ReformReportsTest : public ProjectionTest {
 protected:
  std::map<std::string, projections::QuotaRow> Quotas(int year) {
    Result<projections::QuotaReport> report =
        projections_->Quotas("", year, {});
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

}  // namespace
}  // namespace exemplar::testing
