// The columns of the exemplar list, the ledger and each report, declared once:
// the JSON answer (ToJson, queries.h) and the flat export (ToTable, export.h:
// CSV and JSON Lines) are both rendered from the declaration, so a column added
// or renamed shows in both.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "projections/export.h"
#include "projections/queries.h"

namespace exemplar::projections {

// Where a column shows. Export only: a value of the whole report that the
// export repeats on each row (the year), which the JSON answer gives once,
// or the export's flat form of a value the JSON answer gives in full (the
// first approval time, where the JSON lists them all: two columns of one
// key, one for each).
enum class Shown { kBoth, kJsonOnly, kExportOnly };

template <typename Report, typename Row>
struct ReportColumn {
  const char* key;     // in the export's rows and, by default, the JSON's
  const char* header;  // CSV header: English, then the Vietnamese term
  Shown shown;
  // Where the JSON answer's row object holds the value when not at `key`,
  // e.g. {"registration", "min"}.
  std::vector<const char*> json_path;
  std::function<nlohmann::json(const Report& report, const Row& row,
                               int offset)>
      value;
};

// A column showing a member of the row as it is.
template <typename Report, typename Row, typename T>
ReportColumn<Report, Row> Plain(const char* key, const char* header,
                                T Row::*member, Shown shown = Shown::kBoth,
                                std::vector<const char*> json_path = {}) {
  return {key, header, shown, std::move(json_path),
          [member](const Report&, const Row& row, int) -> nlohmann::json {
            return row.*member;
          }};
}

// An instant in local time; null for 0.
inline nlohmann::json Instant(std::int64_t unix_us, int offset) {
  return unix_us == 0 ? nlohmann::json(nullptr)
                      : nlohmann::json(FormatInstant(unix_us, offset));
}

// A column whose value is computed from the row alone.
template <typename Report, typename Row, typename Value>
ReportColumn<Report, Row> FromRow(const char* key, const char* header,
                                  Value value, Shown shown = Shown::kBoth) {
  return {key,
          header,
          shown,
          {},
          [value](const Report&, const Row& row, int offset) -> nlohmann::json {
            return value(row, offset);
          }};
}

// A column showing an instant of the row in local time (null for none).
template <typename Report, typename Row>
ReportColumn<Report, Row> InstantColumn(const char* key, const char* header,
                                        std::int64_t Row::*member,
                                        Shown shown = Shown::kBoth) {
  return FromRow<Report, Row>(
      key, header,
      [member](const Row& row, int offset) {
        return Instant(row.*member, offset);
      },
      shown);
}

// A column showing a value of the whole report on every exported row.
template <typename Row, typename Report, typename T>
ReportColumn<Report, Row> OfReport(const char* key, const char* header,
                                   T Report::*member, Shown shown) {
  return {key,
          header,
          shown,
          {},
          [member](const Report& report, const Row&, int) -> nlohmann::json {
            return report.*member;
          }};
}

template <typename Report, typename Row>
using ReportColumns = std::vector<ReportColumn<Report, Row>>;

const ReportColumns<ExemplarListPage, ExemplarRow>& ExemplarColumns();
const ReportColumns<LedgerPage, LedgerRow>& LedgerColumns();
const ReportColumns<QuotaReport, QuotaRow>& QuotaColumns();
const ReportColumns<DeadlineReport, DeadlineRow>& DeadlineColumns();
const ReportColumns<FollowUpReport, FollowUpItem>& FollowUpColumns();
const ReportColumns<RetentionReport, RetentionItem>& RetentionColumns();

// The JSON answer's object for `row`.
template <typename Report, typename Row>
nlohmann::json JsonRow(const ReportColumns<Report, Row>& columns,
                       const Report& report, const Row& row, int offset) {
  nlohmann::json out = nlohmann::json::object();
  for (const ReportColumn<Report, Row>& column : columns) {
    if (column.shown == Shown::kExportOnly) continue;
    nlohmann::json* at = &out;
    if (column.json_path.empty()) at = &out[column.key];
    for (const char* key : column.json_path) at = &(*at)[key];
    *at = column.value(report, row, offset);
  }
  return out;
}

// The export of `rows`, one flat object per row.
template <typename Report, typename Row>
Table TableOf(const ReportColumns<Report, Row>& columns, const Report& report,
              const std::vector<Row>& rows, int offset) {
  Table table;
  for (const ReportColumn<Report, Row>& column : columns) {
    if (column.shown != Shown::kJsonOnly) {
      table.columns.push_back({column.key, column.header});
    }
  }
  for (const Row& row : rows) {
    nlohmann::json flat = nlohmann::json::object();
    for (const ReportColumn<Report, Row>& column : columns) {
      if (column.shown != Shown::kJsonOnly) {
        flat[column.key] = column.value(report, row, offset);
      }
    }
    table.rows.push_back(std::move(flat));
  }
  return table;
}

}  // namespace exemplar::projections
