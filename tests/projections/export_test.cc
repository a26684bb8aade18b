// CSV (UTF-8 BOM, bilingual headers, RFC 4180 quoting) and JSON Lines.
#include "projections/export.h"

#include <gtest/gtest.h>

#include <sstream>

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

}  // namespace
}  // namespace exemplar::projections
