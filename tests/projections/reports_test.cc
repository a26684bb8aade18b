// The quota, deadline and follow-up reports on scripted histories,
// including the deadline's edges: exactly on the 5th, the time-zone
// boundary, and a quarter with no submission.
#include "projections/reports.h"

#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {
namespace {

class ReportsTest : public ProjectionTest {
 protected:
  // Detects `id` in `unit`, gives it a mentor, and nominates it as
  // `nominator` for `period` (`kind`) at `at`.
  void Nominate(const std::string& id, const std::string& unit,
                const std::string& nominator, const std::string& kind,
                const std::string& period, std::int64_t at) {
    const bool d2 = unit == "c3";
    Detect(id, "Hộ " + id, at - 10 * kDay, unit);
    nlohmann::json mentor = ValidFields("assign_mentor");
    if (d2) mentor["mentor_id"] = "mentor_d2";
    Do(id, d2 ? "nominator_d2" : "nominator", "assign_mentor", mentor,
       at - 9 * kDay);
    nlohmann::json fields = ValidFields("nominate");
    fields["nomination_kind"] = kind;
    fields["period"] = period;
    if (period.starts_with("2025")) fields["campaign_id"] = "wu2025";
    Do(id, nominator, "nominate", fields, at);
  }

  std::map<std::string, projections::DeadlineRow> Deadlines(int quarter) {
    Result<projections::DeadlineReport> report =
        projections_->Deadlines("", 2024, quarter, {});
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    std::map<std::string, projections::DeadlineRow> rows;
    if (!report.ok()) return rows;
    for (const auto& row : report->rows) rows[row.unit_id] = row;
    return rows;
  }
};

// 5 June 2024 00:00 at UTC+7 is 4 June 17:00 UTC.
constexpr std::int64_t kMinute = 60LL * 1000 * 1000;
std::int64_t LocalMidnight(int year, unsigned month, unsigned day) {
  return CivilDate::FromYmd(year, month, day).StartUnixMicros(kOffset);
}

TEST_F(ReportsTest, DeadlineIsBeforeTheFifthOfTheQuartersLastMonthLocalTime) {
  // c1: one minute before local midnight of 5 June: on time.
  Nominate("c1-q2", "c1", "nominator", "quarterly", "2024-Q2",
           LocalMidnight(2024, 6, 5) - kMinute);
  // c3: local midnight of 5 June, still 4 June in UTC: late.
  Nominate("c3-q2", "c3", "nominator_d2", "quarterly", "2024-Q2",
           LocalMidnight(2024, 6, 5));
  // d1 (the district's own nominator): exactly on the 5th, 09:00: late.
  Nominate("d1-q2", "c1", "nominator_dist", "quarterly", "2024-Q2",
           At(2024, 6, 5));
  OpenProjections();
  CatchUp();

  std::map<std::string, projections::DeadlineRow> q2 = Deadlines(2);
  EXPECT_EQ(q2["c1"].status, "on_time");
  EXPECT_EQ(q2["c3"].status, "late");
  EXPECT_EQ(q2["d1"].status, "late");
  EXPECT_EQ(q2["c2"].status, "missing");
  EXPECT_EQ(q2["d2"].status, "missing");
  EXPECT_EQ(q2.size(), 5u);  // districts and communes; no province
  EXPECT_EQ(q2["c1"].introduced, 1);
  Result<projections::DeadlineReport> report =
      projections_->Deadlines("", 2024, 2, {});
  EXPECT_EQ(report->due_before, "2024-06-05");
  EXPECT_EQ(report->lead_blocs, (std::vector<std::string>{"education"}));
  ASSERT_EQ(report->lead_bloc_labels.size(), 1u);
  EXPECT_EQ(report->lead_bloc_labels[0].vi, "Giáo dục");
  const nlohmann::json json = projections::ToJson(*report, 420);
  EXPECT_EQ(
      json["lead_bloc_choices"],
      nlohmann::json::parse(
          R"([{"value": "education", "vi": "Giáo dục", "en": "Education"}])"));

  // A quarter with no submission: every unit missing.
  for (const auto& [unit, row] : Deadlines(3)) {
    EXPECT_EQ(row.status, "missing") << unit;
    EXPECT_EQ(row.introduced, 0) << unit;
  }
  // A user of d2 sees d2's units only.
  Result<projections::DeadlineReport> scoped =
      projections_->Deadlines("", 2024, 2, Seeing({"d2"}));
  EXPECT_EQ(scoped->rows.size(), 2u);
  EXPECT_EQ(projections_->Deadlines("", 2024, 5, {}).status().code(),
            StatusCode::kInvalidArgument);
}

// `unit` selects the units of its subtree and the exemplars within it, as
// on the other reports.
TEST_F(ReportsTest, TheDeadlineReportKeepsToTheUnitAskedFor) {
  Nominate("c1-q2", "c1", "nominator", "quarterly", "2024-Q2",
           LocalMidnight(2024, 6, 1));
  Nominate("c3-q2", "c3", "nominator_d2", "quarterly", "2024-Q2",
           LocalMidnight(2024, 6, 1));
  OpenProjections();
  CatchUp();
  Result<projections::DeadlineReport> d2 =
      projections_->Deadlines("d2", 2024, 2, {});
  ASSERT_TRUE(d2.ok()) << d2.status().ToString();
  std::map<std::string, std::string> status;
  for (const projections::DeadlineRow& row : d2->rows) {
    status[row.unit_id] = row.status;
  }
  EXPECT_EQ(status, (std::map<std::string, std::string>{{"c3", "on_time"},
                                                        {"d2", "missing"}}));
  Result<projections::DeadlineReport> c1 =
      projections_->Deadlines("c1", 2024, 2, {});
  ASSERT_EQ(c1->rows.size(), 1u);
  EXPECT_EQ(c1->rows[0].unit_id, "c1");
  EXPECT_EQ(c1->rows[0].introduced, 1);
}

TEST_F(ReportsTest, DeadlineTimeZoneIsConfigurable) {
  Nominate("c3-q2", "c3", "nominator_d2", "quarterly", "2024-Q2",
           LocalMidnight(2024, 6, 5));
  projections::ProjectionsOptions utc;
  utc.utc_offset_minutes = 0;
  OpenProjections(true, utc);
  CatchUp();
  // At UTC the same instant is 4 June 17:00: on time.
  Result<projections::DeadlineReport> report =
      projections_->Deadlines("", 2024, 2, Seeing({"c3"}));
  ASSERT_EQ(report->rows.size(), 1u);
  EXPECT_EQ(report->rows[0].status, "on_time");
}

TEST_F(ReportsTest, QuotaCountsEachStepPerUnitSubtreeAndYear) {
  Detect("full", "Hộ đầy đủ", At(2024, 3, 1));
  AdvanceTo("full", "honoured", At(2024, 3, 2));
  Do("full", "record_propagation", At(2024, 6, 20));
  Do("full", "plan_replication", At(2024, 7, 1));
  Do("full", "evaluate_replication", At(2024, 11, 15));
  Detect("only", "Hộ mới phát hiện", At(2024, 8, 1));
  // Local 2025, though still 2024 in UTC.
  Detect("next", "Hộ năm sau", At(2025, 1, 1, 0));
  // Annual registration for 2025: one by 15 January, one after.
  Nominate("reg1", "c1", "nominator", "annual", "2025", At(2025, 1, 15, 23));
  Nominate("reg2", "c1", "nominator", "annual", "2025", At(2025, 1, 16));
  OpenProjections();
  CatchUp();

  Result<projections::QuotaReport> report = projections_->Quotas("", 2024, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::map<std::string, projections::QuotaRow> rows;
  for (const auto& row : report->rows) rows[row.unit_id] = row;
  ASSERT_EQ(rows.size(), 5u);
  const projections::QuotaRow& c1 = rows["c1"];
  EXPECT_EQ(c1.minimum, 5);
  EXPECT_EQ(c1.detected, 2);
  EXPECT_EQ(c1.nominated, 1);
  EXPECT_EQ(c1.approved, 1);
  EXPECT_EQ(c1.honoured, 1);
  EXPECT_EQ(c1.propagated, 1);
  EXPECT_EQ(c1.replicated, 1);
  EXPECT_EQ(c1.propagated_and_replicated, 1);
  EXPECT_FALSE(c1.met);
  EXPECT_EQ(rows["d1"].minimum, 10);
  EXPECT_EQ(rows["d1"].detected, 2);  // its communes' exemplars count
  EXPECT_EQ(rows["d2"].detected, 0);
  EXPECT_EQ(rows["c2"].detected, 0);

  Result<projections::QuotaReport> next = projections_->Quotas("d1", 2025, {});
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->rows.size(), 3u);  // d1, c1, c2
  for (const auto& row : next->rows) {
    if (row.unit_id != "c1") continue;
    EXPECT_EQ(row.registration_due, "2025-01-15");
    EXPECT_EQ(row.registration_min, 5);
    EXPECT_EQ(row.registration_max, 6);
    EXPECT_EQ(row.registered_on_time, 1);
    EXPECT_EQ(row.registered_late, 1);
    EXPECT_FALSE(row.registration_met);
    EXPECT_EQ(row.nominated, 2);
  }
}

TEST_F(ReportsTest, FollowUpListsWhatNeedsAttentionAndPriorityShares) {
  Detect("nomentor", "Hộ chưa có người theo dõi", At(2024, 1, 10), "c1",
         {"direct_worker", "remote_border_island_ethnic_area"});
  Detect("recent", "Hộ mới", At(2024, 2, 25), "c1", {});
  Detect("approved", "Hộ đã duyệt", At(2024, 1, 5), "c1", {});
  AdvanceTo("approved", "approved", At(2024, 1, 6));
  Detect("honoured", "Hộ đã khen", At(2024, 1, 5), "c1",
         {"grassroots_collective"});
  AdvanceTo("honoured", "honoured", At(2024, 1, 6));
  Do("honoured", "record_propagation", At(2024, 2, 10));
  Detect("replicating", "Hộ nhân rộng", At(2024, 1, 5), "c1", {});
  AdvanceTo("replicating", "honoured", At(2024, 1, 6));
  Do("replicating", "record_propagation", At(2024, 2, 10));
  Do("replicating", "plan_replication", At(2024, 2, 11));
  OpenProjections();
  CatchUp();

  projections::FollowUpQuery query;
  query.as_of_us = At(2024, 3, 1);
  query.no_mentor_days = 30;
  Result<projections::FollowUpReport> report = projections_->FollowUp(query);
  ASSERT_TRUE(report.ok());
  std::set<std::string> items;
  for (const auto& item : report->items) {
    items.insert(item.category + ":" + item.exemplar_id);
  }
  EXPECT_EQ(items, (std::set<std::string>{
                       "no_mentor:nomentor", "approved_not_propagated:approved",
                       "honoured_not_replicated:honoured",
                       "replication_without_evaluation:replicating",
                       "no_evaluation_this_year:approved",
                       "no_evaluation_this_year:honoured",
                       "no_evaluation_this_year:replicating"}));
  EXPECT_EQ(report->total, 5);
  std::map<std::string, projections::PriorityShare> shares;
  for (const auto& share : report->priority) shares[share.flag] = share;
  EXPECT_EQ(shares["direct_worker"].count, 1);
  EXPECT_EQ(shares["grassroots_collective"].count, 1);
  EXPECT_EQ(shares["any"].count, 2);
  EXPECT_DOUBLE_EQ(shares["any"].share, 0.4);
}

}  // namespace
}  // namespace exemplar::testing
