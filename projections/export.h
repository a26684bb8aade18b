// Export of every list, report and the approvals ledger as CSV (UTF-8 with
// a byte-order mark, so Excel shows Vietnamese text correctly; headers in
// English with the Vietnamese term, e.g. "state (trạng thái)") or as JSON
// Lines (one flat object per row, the same keys as the CSV columns).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "projections/queries.h"

namespace exemplar::projections {

struct Column {
  std::string key;     // member of each row object
  std::string header;  // CSV header
};

// Rows of one export: flat objects whose members are strings, numbers,
// booleans, null, or arrays of strings (joined with "; " in CSV).
struct Table {
  std::vector<Column> columns;
  std::vector<nlohmann::json> rows;
};

Table ToTable(const ExemplarListPage& page, int utc_offset_minutes);
Table ToTable(const LedgerPage& page, int utc_offset_minutes);
Table ToTable(const QuotaReport& report);
Table ToTable(const DeadlineReport& report, int utc_offset_minutes);
Table ToTable(const FollowUpReport& report, int utc_offset_minutes);
Table ToTable(const RetentionReport& report, int utc_offset_minutes);

// RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote
// or line break) preceded by the UTF-8 BOM. A text cell that begins with
// = + - @, tab or carriage return, which a spreadsheet would run as a
// formula, is written quoted behind a single quote ("'=1+1"); numbers are
// written as numbers, negative ones included.
void WriteCsv(const Table& table, std::ostream& out);
// The same in parts, for an export written a page at a time: the BOM and
// the header line once, then each page's rows.
void WriteCsvHeader(const std::vector<Column>& columns, std::ostream& out);
void WriteCsvRows(const Table& table, std::ostream& out);
// One JSON object per line, in column order.
void WriteJsonLines(const Table& table, std::ostream& out);

}  // namespace exemplar::projections
