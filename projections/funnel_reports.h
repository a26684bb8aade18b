// The registration funnel's report (seed 004: who registered, who selected
// what, who is late or short) and the propagation assessment (seed 001: a
// unit's propagation work for a period, ready for its preliminary and final
// review reports), computed from a ReadModel's FunnelModel.
//
// Thread safety: pure functions of the model; the caller holds it still.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "events/status.h"
#include "projections/export.h"
#include "projections/projections.h"
#include "projections/queries.h"
#include "projections/read_model.h"

namespace exemplar::projections {

struct ListedExemplar {
  std::string exemplar_id;
  std::string name;
  std::string registered_by;    // the unit whose list it came from
  bool selected_above = false;  // the level above selected it
};

struct RegistrationRow {
  std::string unit_id;
  std::string unit_name;
  std::string level;
  std::string step;  // "register" or "select"
  int min = 0;
  int max = 0;
  std::string due;  // "YYYY-MM-DD"
  // "on_time", "late", "missing" (nothing listed, past due) or "pending"
  // (nothing listed, not yet due).
  std::string status;
  int listed = 0;
  bool short_of_min = false;  // listed, fewer than min
  std::int64_t registered_at_us = 0;
  std::string registered_by_user;
  int selected_above = 0;  // of its exemplars, selected by the level above
  std::string submitted_to;
  std::int64_t submitted_at_us = 0;
  bool submission_late = false;
  std::vector<ListedExemplar> exemplars;
};

struct RegistrationReport {
  int year = 0;
  std::string unit_id;  // "" for every unit
  std::vector<RegistrationRow> rows;
  std::uint64_t position = 0;
};

struct PropagationRowReport {
  std::string unit_id;
  std::string unit_name;
  std::string level;
  int items = 0;
  std::map<std::string, int> by_channel;
  std::int64_t reach = 0;
  int exemplars_covered = 0;
  int replications_started = 0;
  int replications_evaluated = 0;
  int replications_adopted = 0;
  std::optional<double> score;  // the latest recorded
  std::string scored_by;
  std::int64_t scored_at_us = 0;
  int scores = 0;
  std::string summary_vi;  // a paragraph for the review report
  std::string summary_en;
};

struct PropagationReport {
  std::string period;   // "YYYY", "YYYY-Hn" or "YYYY-Qn"
  std::string unit_id;  // "" for every unit
  std::vector<PropagationRowReport> rows;
  std::uint64_t position = 0;
};

// One row per unit within `unit_id` (every unit when empty) and `visible`
// that has a step in `year` (the definition's entry in force that year) or
// a list for it; statuses as of local instant `now_us`. kInvalidArgument
// for a year outside 1900..9998.
Result<RegistrationReport> BuildRegistrationReport(const ReadModel& model,
                                                   const std::string& unit_id,
                                                   int year,
                                                   const ReadScope& visible,
                                                   std::int64_t now_us);

// One row per unit within `unit_id` and `visible` that has a quota level,
// propagation work or a score for `period`: the steps recorded in the
// period on exemplars of its subtree (each counted for the unit the
// exemplar belonged to then), and the latest score recorded for it and the
// period. kInvalidArgument for a period not "YYYY", "YYYY-Hn" or "YYYY-Qn".
Result<PropagationReport> BuildPropagationReport(const ReadModel& model,
                                                 const std::string& unit_id,
                                                 const std::string& period,
                                                 const ReadScope& visible);

// The reports above now or as of a point (Projections::Read).
Result<RegistrationReport> Registrations(const Projections& projections,
                                         const std::string& unit_id, int year,
                                         const ReadScope& visible,
                                         AsOf as_of = {});
Result<PropagationReport> Propagation(const Projections& projections,
                                      const std::string& unit_id,
                                      const std::string& period,
                                      const ReadScope& visible,
                                      AsOf as_of = {});

nlohmann::json ToJson(const RegistrationReport& report, int utc_offset_minutes);
nlohmann::json ToJson(const PropagationReport& report, int utc_offset_minutes);
Table ToTable(const RegistrationReport& report, int utc_offset_minutes);
Table ToTable(const PropagationReport& report, int utc_offset_minutes);

}  // namespace exemplar::projections
