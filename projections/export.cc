#include "projections/export.h"

#include <algorithm>
#include <string_view>

#include "projections/report_columns.h"

namespace exemplar::projections {
namespace {

// Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that begins
// with one of these as a formula, e.g. =HYPERLINK(...) (OWASP, "CSV
// Injection").
bool LooksLikeFormula(const std::string& text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) !=
                              std::string_view::npos;
}

// A cell's text. Text from people that a spreadsheet would run as a formula
// is neutralised the OWASP way: a single quote before it, and the cell
// quoted. Only text: numbers, booleans and null are the export's own and
// stay as they are, so a negative number is still a number.
std::string CsvCell(const nlohmann::json& value) {
  std::string text;
  bool neutralise = false;
  if (value.is_null()) {
    return {};
  } else if (value.is_string()) {
    text = value.get<std::string>();
    neutralise = LooksLikeFormula(text);
  } else if (value.is_array()) {
    for (const nlohmann::json& item : value) {
      if (!text.empty()) text += "; ";
      text += item.is_string() ? item.get<std::string>() : item.dump();
    }
    neutralise = LooksLikeFormula(text);
  } else {
    text = value.dump();
  }
  if (neutralise) text.insert(0, 1, '\'');
  if (!neutralise && text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

Table ToTable(const ExemplarListPage& page, int offset) {
  return TableOf(ExemplarColumns(), page, page.items, offset);
}

Table ToTable(const LedgerPage& page, int offset) {
  return TableOf(LedgerColumns(), page, page.rows, offset);
}

Table ToTable(const QuotaReport& report) {
  return TableOf(QuotaColumns(), report, report.rows, 0);
}

Table ToTable(const DeadlineReport& report, int offset) {
  return TableOf(DeadlineColumns(), report, report.rows, offset);
}

Table ToTable(const RetentionReport& report, int offset) {
  return TableOf(RetentionColumns(), report, report.items, offset);
}

Table ToTable(const FollowUpReport& report, int offset) {
  Table table = TableOf(FollowUpColumns(), report, report.items, offset);
  // The shares of the priority groups follow the items, one row each.
  for (const PriorityShare& share : report.priority) {
    table.rows.push_back({{"category", "priority_share"},
                          {"exemplar_id", nullptr},
                          {"name", share.flag},
                          {"unit_id", nullptr},
                          {"state", nullptr},
                          {"detail", std::to_string(share.count) + "/" +
                                         std::to_string(report.total)},
                          {"since", nullptr}});
  }
  return table;
}

void WriteCsv(const Table& table, std::ostream& out) {
  WriteCsvHeader(table.columns, out);
  WriteCsvRows(table, out);
}

void WriteCsvHeader(const std::vector<Column>& columns, std::ostream& out) {
  out << "\xEF\xBB\xBF";
  for (size_t i = 0; i < columns.size(); ++i) {
    out << (i == 0 ? "" : ",") << CsvCell(columns[i].header);
  }
  out << "\r\n";
}

void WriteCsvRows(const Table& table, std::ostream& out) {
  for (const nlohmann::json& row : table.rows) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const std::string& key = table.columns[i].key;
      out << (i == 0 ? "" : ",")
          << (row.contains(key) ? CsvCell(row[key]) : std::string());
    }
    out << "\r\n";
  }
}

void WriteJsonLines(const Table& table, std::ostream& out) {
  for (const nlohmann::json& row : table.rows) {
    // nlohmann::ordered_json keeps the columns' order in each line.
    nlohmann::ordered_json line;
    for (const Column& column : table.columns) {
      line[column.key] =
          row.contains(column.key) ? row[column.key] : nlohmann::json();
    }
    out << line.dump() << '\n';
  }
}

}  // namespace exemplar::projections
