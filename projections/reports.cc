#include "projections/reports.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "events/civil_date.h"
#include "projections/unit_lineage.h"

namespace exemplar::projections {
namespace {

constexpr std::int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

// The minimum `unit` is held to in `year`: the quotas in force while it was
// in being, pro rata by months unless the definition says otherwise.
int YearMinimum(const Definition& definition, const UnitRecord& unit, int year,
                int offset) {
  std::optional<CivilDate> ended;
  if (unit.closed_at_us)
    ended = CivilDate::AtInstant(*unit.closed_at_us, offset);
  return definition.MinimumForYear(
      unit.level, year, CivilDate::AtInstant(unit.created_at_us, offset),
      ended);
}

Status CheckYear(int year) {
  if (year < 1900 || year > 9998) {
    return Status::InvalidArgument("year must be within 1900..9998", "year");
  }
  return Status::Ok();
}

void AddCounts(const QuotaCounts& counts, QuotaRow* row) {
  row->detected += counts.detected;
  row->nominated += counts.nominated;
  row->approved += counts.approved;
  row->honoured += counts.honoured;
  row->propagated += counts.propagated;
  row->replicated += counts.replicated;
  row->propagated_and_replicated += counts.propagated_and_replicated;
  row->registered_on_time += counts.registered_on_time;
  row->registered_late += counts.registered_late;
}

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// The priority flags an exemplar may have: the values of the creating
// action's priority field.
std::vector<std::string> PriorityFlags(const Definition& definition) {
  for (const ActionSpec& action : definition.actions) {
    if (!action.creates) continue;
    const FieldSpec* field =
        action.FindField(definition.subject.priority_field);
    if (field != nullptr) return field->values;
  }
  return {};
}

}  // namespace

Result<QuotaReport> BuildQuotaReport(const ReadModel& model,
                                     const std::string& unit_id, int year,
                                     const ReadScope& visible, int offset) {
  EXEMPLAR_RETURN_IF_ERROR(CheckYear(year));
  const Definition& definition = model.definition();
  const Authority& authority = model.authority();
  const std::int64_t begin =
      CivilDate::FromYmd(year, 1, 1).StartUnixMicros(offset);
  const std::int64_t end =
      CivilDate::FromYmd(year + 1, 1, 1).StartUnixMicros(offset);

  std::map<std::string, QuotaRow> rows;
  const ReadModel::UnitScope scope = model.Scope(unit_id, visible);
  // A unit in scope may have held, in the tree of the moment shown, a unit
  // that has left the scope since: its exemplars are not counted.
  const ReadModel::UnitScope seen = model.Scope("", visible);
  for (const std::string& id : model.unit_ids()) {
    const UnitRecord* unit = authority.FindUnit(id);
    const AnnualRegistration* registration =
        definition.RegistrationFor(unit->level, year);
    const int minimum = YearMinimum(definition, *unit, year, offset);
    const bool in_being = unit->created_at_us < end &&
                          (!unit->closed_at_us || *unit->closed_at_us > begin);
    if (!scope.Contains(id) || !in_being ||
        (minimum == 0 && registration == nullptr)) {
      continue;
    }
    QuotaRow& row = rows[id];
    row.unit_id = id;
    row.unit_name = unit->name;
    row.level = unit->level;
    row.minimum = minimum;
    row.predecessors = unit->predecessors;
    row.successors = unit->successors;
    if (registration != nullptr) {
      row.registration_min = registration->min;
      row.registration_max = registration->max;
      row.registration_due = registration->DueIn(year).ToString();
    }
  }

  model.ForEachQuotaSum(
      year, offset, seen,
      [&rows](const std::string& unit, const QuotaCounts& counts) {
        auto row = rows.find(unit);
        if (row != rows.end()) AddCounts(counts, &row->second);
      });

  QuotaReport report{year, unit_id, {}, model.position()};
  for (auto& [id, row] : rows) {
    row.met = row.propagated_and_replicated >= row.minimum;
    row.registration_met = row.registration_due.empty() ||
                           row.registered_on_time >= row.registration_min;
    report.rows.push_back(std::move(row));
  }
  return report;
}

Result<DeadlineReport> BuildDeadlineReport(const ReadModel& model,
                                           const std::string& unit_id, int year,
                                           int quarter,
                                           const ReadScope& visible,
                                           int offset) {
  EXEMPLAR_RETURN_IF_ERROR(CheckYear(year));
  if (quarter < 1 || quarter > 4) {
    return Status::InvalidArgument("quarter must be within 1..4", "quarter");
  }
  const Definition& definition = model.definition();
  const Authority& authority = model.authority();
  const CivilDate due =
      CivilDate::FromYmd(year, static_cast<unsigned>(quarter * 3),
                         definition.deadlines.quarterly_introduction_day);
  const std::int64_t due_us = due.StartUnixMicros(offset);
  const std::string period =
      std::to_string(year) + "-Q" + std::to_string(quarter);

  DeadlineReport report;
  report.year = year;
  report.quarter = quarter;
  report.due_before = due.ToString();
  for (const LeadBlocRotation& rotation :
       definition.deadlines.lead_bloc_rotation) {
    if (rotation.quarter == quarter) {
      report.lead_blocs = rotation.blocs;
      report.lead_bloc_labels = rotation.bloc_labels;
    }
  }
  report.position = model.position();

  const ReadModel::UnitScope scope = model.Scope(unit_id, visible);
  std::map<std::string, DeadlineRow> rows;
  auto row_for = [&](const std::string& id) -> DeadlineRow& {
    DeadlineRow& row = rows[id];
    if (row.unit_id.empty()) {
      const UnitRecord* unit = authority.FindUnit(id);
      row.unit_id = id;
      row.unit_name = unit == nullptr ? "" : unit->name;
      row.level = unit == nullptr ? "" : unit->level;
      row.status = "missing";
    }
    return row;
  };
  for (const std::string& id : model.unit_ids()) {
    const UnitRecord* unit = authority.FindUnit(id);
    const Quota* quota = definition.QuotaOn(unit->level, due);
    if (scope.Contains(id) && quota != nullptr && quota->min_per_year > 0 &&
        unit->OpenAt(due_us)) {
      row_for(id);
    }
  }
  // The introducing unit, and the units it became since, whose row for the
  // quarter counts it too.
  std::map<std::string, std::vector<std::string>> introducers_of;
  auto introducers =
      [&](const std::string& unit) -> const std::vector<std::string>& {
    auto [known, inserted] = introducers_of.try_emplace(unit);
    std::vector<std::string>& units = known->second;
    if (inserted) {
      units.push_back(unit);
      for (const std::string& successor :
           authority.units().CurrentSuccessorsAt(unit, model.tree_at_us())) {
        if (scope.Contains(successor) && !Contains(units, successor)) {
          units.push_back(successor);
        }
      }
    }
    return units;
  };
  model.ForEachNominatedFor(scope, period, [&](const ExemplarRow& exemplar) {
    for (const NominationFact& n : exemplar.nominations) {
      if (n.kind != definition.read_side.nominated.quarterly ||
          n.period != period || !scope.Contains(n.unit_id)) {
        continue;
      }
      for (const std::string& id : introducers(n.unit_id)) {
        DeadlineRow& row = row_for(id);
        ++row.introduced;
        if (row.first_introduced_at_us == 0 ||
            n.at_us < row.first_introduced_at_us) {
          row.first_introduced_at_us = n.at_us;
        }
      }
    }
  });
  for (auto& [id, row] : rows) {
    if (row.introduced > 0) {
      row.status = row.first_introduced_at_us < due_us ? "on_time" : "late";
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

FollowUpReport BuildFollowUpReport(const ReadModel& model,
                                   const FollowUpQuery& query, int offset) {
  FollowUpReport report;
  report.as_of_us =
      query.as_of_us != 0 ? query.as_of_us : model.last_event_us();
  report.no_mentor_days = query.no_mentor_days;
  report.position = model.position();
  const std::string this_year =
      CivilDate::AtInstant(report.as_of_us, offset).ToString().substr(0, 4);
  const std::int64_t mentor_cutoff =
      report.as_of_us -
      static_cast<std::int64_t>(query.no_mentor_days) * kMicrosPerDay;
  const ReadModel::UnitScope scope = model.Scope(query.unit_id, query.visible);

  const ReadSide& read = model.definition().read_side;
  std::map<std::string, int> flag_counts;
  for (const std::string& flag : PriorityFlags(model.definition())) {
    flag_counts[flag] = 0;
  }
  int any_priority = 0;
  model.ForEachExemplarIn(scope, [&](const ExemplarRow& row) {
    ++report.total;
    for (const std::string& flag : row.priority_flags) ++flag_counts[flag];
    any_priority += !row.priority_flags.empty();
    auto add = [&](const char* category, std::string detail,
                   std::int64_t since) {
      report.items.push_back(FollowUpItem{category, row.id, row.name,
                                          row.unit_id, row.state,
                                          std::move(detail), since});
    };
    if (Contains(read.closed_states, row.state)) return;
    if (row.mentor_id.empty() && row.detected_at_us <= mentor_cutoff) {
      add("no_mentor",
          std::to_string((report.as_of_us - row.detected_at_us) /
                         kMicrosPerDay) +
              " days since detection",
          row.detected_at_us);
    }
    if (!row.approved_us.empty() && row.propagated_us.empty()) {
      add("approved_not_propagated", "", row.approved_us.front());
    }
    if (!row.honoured_us.empty() && row.replications.empty() &&
        Contains(read.replicable_states, row.state)) {
      add("honoured_not_replicated", "", row.honoured_us.front());
    }
    for (const auto& [id, outcome] : row.replications) {
      if (outcome.empty()) add("replication_without_evaluation", id, 0);
    }
    const bool evaluable = Contains(read.evaluable_states, row.state);
    const bool evaluated = std::any_of(
        row.evaluation_periods.begin(), row.evaluation_periods.end(),
        [&](const std::string& p) { return p.starts_with(this_year); });
    if (evaluable && !evaluated) add("no_evaluation_this_year", this_year, 0);
  });
  // In id order, each exemplar's items in the order found: their indexes
  // sorted, then each item moved once (moving the items while sorting cost
  // more than the comparisons).
  std::vector<std::uint32_t> order(report.items.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&items = report.items](std::uint32_t a, std::uint32_t b) {
                     return items[a].exemplar_id < items[b].exemplar_id;
                   });
  std::vector<FollowUpItem> sorted;
  sorted.reserve(order.size());
  for (std::uint32_t i : order) sorted.push_back(std::move(report.items[i]));
  report.items = std::move(sorted);
  auto share = [&](int count) {
    return report.total == 0 ? 0.0 : static_cast<double>(count) / report.total;
  };
  for (const auto& [flag, count] : flag_counts) {
    report.priority.push_back(PriorityShare{flag, count, share(count)});
  }
  report.priority.push_back(
      PriorityShare{"any", any_priority, share(any_priority)});
  return report;
}

namespace {

// The local date `years` after `from`; 29 February becomes 28 February in
// a year without it.
CivilDate YearsAfter(CivilDate from, int years) {
  namespace chrono = std::chrono;
  const chrono::year_month_day start{
      chrono::sys_days{chrono::days{from.days_since_epoch}}};
  chrono::year_month_day end = start + chrono::years{years};
  if (!end.ok()) end = end.year() / end.month() / chrono::last;
  return CivilDate{static_cast<std::int32_t>(
      chrono::sys_days{end}.time_since_epoch().count())};
}

// The item of `row`'s data of `kept`, when its keeping period has begun and
// its data was not erased since.
std::optional<RetentionItem> RetentionOf(const ExemplarRow& row,
                                         const RetentionClass& kept,
                                         int offset) {
  const RetentionFact* started = nullptr;
  const RetentionFact* requested = nullptr;
  bool held = false;
  for (const RetentionFact& fact : row.retention) {
    if (fact.retention_class != kept.name) continue;
    switch (fact.kind) {
      case RetentionFact::kHeld:
        held = true;
        break;
      case RetentionFact::kKeepingStarted:
        started = &fact;
        requested = nullptr;
        break;
      case RetentionFact::kRequested:
        if (started != nullptr) requested = &fact;
        break;
      case RetentionFact::kErased:
        started = requested = nullptr;  // nothing of it left to erase
        held = false;
        break;
    }
  }
  // No data of the class recorded since its last erasure: nothing to erase.
  if (started == nullptr || !held) return std::nullopt;
  const CivilDate due = YearsAfter(CivilDate::AtInstant(started->at_us, offset),
                                   kept.erase_after_years);
  return RetentionItem{
      row.id,         row.name,
      row.unit_id,    row.state,
      kept.name,      started->at_us,
      due.ToString(), requested != nullptr ? requested->at_us : 0};
}

}  // namespace

Result<RetentionReport> BuildRetentionReport(const ReadModel& model,
                                             const RetentionQuery& query,
                                             int offset) {
  RetentionReport report;
  report.position = model.position();
  report.due_by = query.due_by;
  if (report.due_by.empty()) {
    report.due_by = CivilDate::AtInstant(query.now_us, offset).ToString();
  }
  Result<CivilDate> due_by = CivilDate::Parse(report.due_by);
  if (!due_by.ok()) {
    return Status::InvalidArgument("due_by is a date: YYYY-MM-DD", "due_by");
  }
  std::vector<const RetentionClass*> timed;
  for (const RetentionClass& kept : model.definition().retention_classes) {
    if (kept.erase_after_years > 0) timed.push_back(&kept);
  }
  const ReadModel::UnitScope scope = model.Scope(query.unit_id, query.visible);
  model.ForEachExemplarIn(scope, [&](const ExemplarRow& row) {
    if (row.retention.empty()) return;
    for (const RetentionClass* kept : timed) {
      std::optional<RetentionItem> item = RetentionOf(row, *kept, offset);
      if (item && item->due_on <= report.due_by) {
        report.items.push_back(std::move(*item));
      }
    }
  });
  std::sort(report.items.begin(), report.items.end(),
            [](const RetentionItem& a, const RetentionItem& b) {
              return std::tie(a.due_on, a.exemplar_id, a.retention_class) <
                     std::tie(b.due_on, b.exemplar_id, b.retention_class);
            });
  return report;
}

}  // namespace exemplar::projections
