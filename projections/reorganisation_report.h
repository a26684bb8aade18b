// The report of what still points at an ended unit after a reorganisation:
// exemplars still in a unit that ended (not yet carried over), exemplars
// whose mentor holds no grant over them any more, replications planned into
// a unit that ended, annual lists an ended unit left in flight, and people
// a reorganisation left without any valid grant. JSON and the exports from one
// declaration of its columns.
//
// Thread safety: pure functions of the model; the caller holds it still.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "projections/export.h"
#include "projections/queries.h"
#include "projections/read_model.h"
#include "projections/report_columns.h"

namespace exemplar::projections {

struct ReorganisationItem {
  // "exemplar_in_ended_unit", "mentor_without_grant",
  // "replication_target_ended", "list_of_ended_unit",
  // "person_without_grant".
  std::string category;
  std::string exemplar_id;  // "" for a person
  std::string name;         // the exemplar's, or the person's full name
  std::string user_id;      // the mentor or the person; "" otherwise
  std::string unit_id;      // the ended unit named, or the exemplar's unit
  std::string ended_by;     // the reorganisation that ended it
  // The units the ended unit became, open at the moment shown: where to
  // carry it over.
  std::vector<std::string> successors;
  // The replication id, the grants ended, or the list ("2025-c1
  // (register)").
  std::string detail;
};

struct ReorganisationReport {
  std::int64_t as_of_us = 0;
  std::vector<ReorganisationItem> items;
  std::uint64_t position = 0;
};

struct ReorganisationQuery {
  ReadScope visible;
  std::string unit_id;      // within this unit's subtree; "" all
  std::int64_t now_us = 0;  // the moment grants are judged at
};

// The items, exemplars in id order, then lists in id order, then people in
// id order. Exemplars are
// those within the query's scope; people those whose home unit is.
ReorganisationReport BuildReorganisationReport(
    const ReadModel& model, const ReorganisationQuery& query);

const ReportColumns<ReorganisationReport, ReorganisationItem>&
ReorganisationColumns();
nlohmann::json ToJson(const ReorganisationReport& report,
                      int utc_offset_minutes);
Table ToTable(const ReorganisationReport& report, int utc_offset_minutes);

}  // namespace exemplar::projections
