// CSV (UTF-8 BOM, bilingual headers, RFC 4180 quoting) and JSON Lines.
#include "projections/export.h"

#include <gtest/gtest.h>

#include <sstream>

#include "projections/export_labels.h"
#include "tests/engine/workflow_fixture.h"

namespace exemplar::projections {
namespace {

ExemplarListPage OnePage() {
  ExemplarRow row;
  row.id = "lan";
  row.name = "Hộ bà Lan, \"tôm hùm\"";
  row.state = "honoured";
  row.priority_flags = {"direct_worker", "grassroots_collective"};
  row.detected_at_us = 1714356000000000;  // 2024-04-29T09:00:00+07:00
  return ExemplarListPage{{row}, "", 12};
}

TEST(ExportTest, CsvStartsWithTheBomAndBilingualHeadersAndQuotes) {
  std::ostringstream out;
  WriteCsv(ToTable(OnePage(), 420), out);
  const std::string csv = out.str();
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF"
                      "id (mã),name (tên),state (trạng thái)",
                      0),
            0u);
  EXPECT_NE(csv.find("\r\nlan,\"Hộ bà Lan, \"\"tôm hùm\"\"\",honoured,"),
            std::string::npos);
  EXPECT_NE(csv.find("direct_worker; grassroots_collective"),
            std::string::npos);
  EXPECT_NE(csv.find("2024-04-29T09:00:00+07:00"), std::string::npos);
}

TEST(ExportTest, LabelColumnsFollowTheCodedColumnsWithTheDefinitionsWords) {
  const CodeLabels labels =
      VietnameseLabels(exemplar::testing::DefaultDefinition());
  ExemplarListPage page = OnePage();
  page.items.front().subject_kind = "household";
  page.items.front().field = "no_such_field";
  std::ostringstream out;
  WriteCsv(WithLabelColumns(ToTable(page, 420), labels), out);
  const std::string csv = out.str();
  EXPECT_NE(csv.find("state (trạng thái),state_vi (trạng thái),subject kind "
                     "(loại đối tượng),subject_kind_vi (loại đối tượng)"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",honoured,\"Đã tôn vinh, khen thưởng\",household,Hộ "
                     "gia đình,"),
            std::string::npos)
      << csv;
  // A list is labelled item by item; a code without a label stays a code.
  EXPECT_NE(csv.find("Công nhân, nông dân, người lao động trực tiếp; Tập thể "
                     "nhỏ, cấp cơ sở"),
            std::string::npos);
  EXPECT_NE(csv.find(",no_such_field,no_such_field,"), std::string::npos);

  LedgerRow decision;
  decision.action = "approve";
  decision.actor_role = "approver";
  std::ostringstream ledger;
  WriteCsv(WithLabelColumns(ToTable(LedgerPage{{decision}, 0, 1}, 420), labels),
           ledger);
  EXPECT_NE(ledger.str().find(",approve,Phê duyệt,"), std::string::npos);
  EXPECT_NE(ledger.str().find(",approver,Người phê duyệt,"), std::string::npos);

  // The reports' own codes too.
  Table deadlines{{{"level", "level (cấp)"}, {"status", "status (tình trạng)"}},
                  {{{"level", "commune"}, {"status", "late"}}}};
  std::ostringstream report;
  WriteCsv(WithLabelColumns(deadlines, labels), report);
  EXPECT_NE(report.str().find("level (cấp),level_vi (cấp),status (tình "
                              "trạng),status_vi (tình trạng)\r\ncommune,Xã,"
                              "late,Trễ hạn\r\n"),
            std::string::npos)
      << report.str();
}

TEST(ExportTest, JsonLinesHasOneObjectPerRowInColumnOrder) {
  std::ostringstream out;
  ExemplarListPage page = OnePage();
  page.items.push_back(page.items.front());
  page.items.back().id = "mai";
  WriteJsonLines(ToTable(page, 420), out);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(lines, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1]["id"], "mai");
  EXPECT_EQ(rows[0]["name"], "Hộ bà Lan, \"tôm hùm\"");
  EXPECT_EQ(out.str().rfind("{\"id\":\"lan\",\"name\"", 0), 0u);
}

TEST(ExportTest, EveryReportHasAHeaderPerColumn) {
  QuotaReport quotas{2024, "", {QuotaRow{}}, 1};
  DeadlineReport deadlines;
  deadlines.rows.push_back(DeadlineRow{});
  FollowUpReport follow_up;
  follow_up.priority.push_back(PriorityShare{"any", 1, 1.0});
  LedgerPage ledger{{LedgerRow{}}, 0, 1};
  for (const Table& table : {ToTable(quotas), ToTable(deadlines, 420),
                             ToTable(follow_up, 420), ToTable(ledger, 420)}) {
    ASSERT_EQ(table.rows.size(), 1u);
    for (const Column& column : table.columns) {
      EXPECT_NE(column.header.find(" ("), std::string::npos) << column.key;
      EXPECT_TRUE(table.rows[0].contains(column.key)) << column.key;
    }
  }
}

// Spreadsheets run a cell that begins with = + - @, tab or CR as a formula.
// Such text is written quoted, behind a single quote, in every export.
std::string Csv(const Table& table) {
  std::ostringstream out;
  WriteCsv(table, out);
  return out.str();
}

constexpr char kFormula[] = "=HYPERLINK(\"http://x\",\"Bấm\")";
constexpr char kFormulaCell[] = "\"'=HYPERLINK(\"\"http://x\"\",\"\"Bấm\"\")\"";

TEST(ExportTest, ListNeutralisesFormulaNames) {
  ExemplarListPage page = OnePage();
  page.items[0].name = kFormula;
  page.items[0].priority_flags = {"@SUM(A1)", "x"};
  const std::string csv = Csv(ToTable(page, 420));
  EXPECT_NE(csv.find("\r\nlan," + std::string(kFormulaCell) + ",honoured,"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",\"'@SUM(A1); x\","), std::string::npos) << csv;
}

TEST(ExportTest, LedgerNeutralisesFormulaReasons) {
  for (const std::string reason :
       {"+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1"}) {
    LedgerRow row;
    row.action = "reject";
    row.reason = reason;
    const std::string csv = Csv(ToTable(LedgerPage{{row}, 0, 1}, 420));
    EXPECT_NE(csv.find(",\"'" + reason + "\","), std::string::npos) << csv;
  }
}

TEST(ExportTest, QuotaReportNeutralisesFormulaUnitNames) {
  QuotaRow row;
  row.unit_id = "u1";
  row.unit_name = "=1+1";
  const std::string csv = Csv(ToTable(QuotaReport{2024, "", {row}, 1}));
  EXPECT_NE(csv.find(",u1,\"'=1+1\","), std::string::npos) << csv;
}

TEST(ExportTest, DeadlineReportNeutralisesFormulaUnitNames) {
  DeadlineReport report;
  report.rows.push_back(DeadlineRow{"u1", "-1+1", "commune", "missing", 0, 0});
  const std::string csv = Csv(ToTable(report, 420));
  EXPECT_NE(csv.find(",u1,\"'-1+1\",commune,"), std::string::npos) << csv;
}

TEST(ExportTest, FollowUpReportNeutralisesFormulaNames) {
  FollowUpReport report;
  FollowUpItem item;
  item.category = "no_mentor";
  item.exemplar_id = "lan";
  item.name = kFormula;
  report.items.push_back(item);
  const std::string csv = Csv(ToTable(report, 420));
  EXPECT_NE(csv.find("no_mentor,lan," + std::string(kFormulaCell) + ","),
            std::string::npos)
      << csv;
}

// Numbers are written as numbers, negative ones included; only text is
// neutralised, and text that merely contains the characters is left alone.
TEST(ExportTest, NumbersAndHarmlessTextStayAsTheyAre) {
  Table table{{{"n", "n (số)"}, {"t", "t (chữ)"}}, {}};
  table.rows.push_back({{"n", -3}, {"t", "a=b-c"}});
  table.rows.push_back({{"n", -0.5}, {"t", "-3"}});
  const std::string csv = Csv(table);
  EXPECT_NE(csv.find("\r\n-3,a=b-c\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\n-0.5,\"'-3\"\r\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace exemplar::projections
