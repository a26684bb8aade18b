#include "projections/reports.h"

#include <algorithm>
#include <array>
#include <iterator>
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

// The quota rows credited with a step: CreditCache's answers, as indexes
// of the report's rows, each worked out once.
class CreditedRows {
 public:
  CreditedRows(const ReadModel& model,
               const std::map<std::string, std::size_t>& rows)
      : credits_(model.authority(), model.unit_ids(), model.tree_at_us()),
        rows_(rows) {}

  const std::vector<std::size_t>& For(const std::string& unit,
                                      std::int64_t at_us) {
    const CreditCache::Credit credit = credits_.For(unit, at_us);
    if (credit.number >= by_answer_.size()) {
      by_answer_.resize(credit.number + 1);
      for (const std::string& id : *credit.units) {
        auto row = rows_.find(id);
        if (row != rows_.end())
          by_answer_[credit.number].push_back(row->second);
      }
    }
    return by_answer_[credit.number];
  }

 private:
  CreditCache credits_;
  const std::map<std::string, std::size_t>& rows_;
  std::vector<std::vector<std::size_t>> by_answer_;
};

// The steps a quota row counts, each exemplar once per row and step.
enum QuotaStep : std::size_t {
  kDetectedStep,
  kNominatedStep,
  kApprovedStep,
  kHonouredStep,
  kPropagatedStep,
  kReplicatedStep,
  kQuotaSteps
};
constexpr int QuotaRow::*kStepCounts[kQuotaSteps] = {
    &QuotaRow::detected, &QuotaRow::nominated,  &QuotaRow::approved,
    &QuotaRow::honoured, &QuotaRow::propagated, &QuotaRow::replicated};

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
  const std::string year_text = std::to_string(year);

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

  std::vector<QuotaRow> ordered;
  std::map<std::string, std::size_t> index;
  for (auto& [id, row] : rows) {
    index.emplace(id, ordered.size());
    ordered.push_back(std::move(row));
  }
  CreditedRows credited(model, index);
  // stamps[row][step] is the serial of the last exemplar counted there.
  std::vector<std::array<std::uint32_t, kQuotaSteps>> stamps(ordered.size());
  std::uint32_t serial = 0;
  std::vector<std::size_t> propagated;  // rows this exemplar's items credit
  model.ForEachExemplarIn(seen, [&](const ExemplarRow& exemplar) {
    ++serial;
    propagated.clear();
    auto count = [&](QuotaStep step, std::int64_t t) {
      if (t < begin || t >= end) return;
      for (std::size_t r : credited.For(exemplar.UnitAt(t), t)) {
        if (stamps[r][step] == serial) continue;
        stamps[r][step] = serial;
        ++(ordered[r].*kStepCounts[step]);
        if (step == kPropagatedStep) propagated.push_back(r);
      }
    };
    auto count_all = [&](QuotaStep step, const std::vector<std::int64_t>& ts) {
      for (std::int64_t t : ts) count(step, t);
    };
    count(kDetectedStep, exemplar.detected_at_us);
    for (const NominationFact& n : exemplar.nominations) {
      count(kNominatedStep, n.at_us);
      if (n.kind != definition.read_side.nominated.annual ||
          n.period != year_text) {
        continue;
      }
      auto registrar = index.find(n.unit_id);
      if (registrar == index.end()) continue;
      QuotaRow& row = ordered[registrar->second];
      if (row.registration_due.empty()) continue;
      const std::int64_t due_end =
          CivilDate::Parse(row.registration_due)->StartUnixMicros(offset) +
          kMicrosPerDay;
      ++(n.at_us < due_end ? row.registered_on_time : row.registered_late);
    }
    count_all(kApprovedStep, exemplar.approved_us);
    count_all(kHonouredStep, exemplar.honoured_us);
    count_all(kPropagatedStep, exemplar.propagated_us);
    count_all(kReplicatedStep, exemplar.replicated_us);
    for (std::size_t r : propagated) {
      if (stamps[r][kReplicatedStep] == serial) {
        ++ordered[r].propagated_and_replicated;
      }
    }
  });

  QuotaReport report{year, unit_id, {}, model.position()};
  for (QuotaRow& row : ordered) {
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
  model.ForEachExemplarIn(scope, [&](const ExemplarRow& exemplar) {
    for (const NominationFact& n : exemplar.nominations) {
      if (n.kind != definition.read_side.nominated.quarterly ||
          n.period != period || !scope.Contains(n.unit_id)) {
        continue;
      }
      // The introducing unit, and the units it became since, whose row
      // for the quarter counts it too.
      std::set<std::string> introducers = {n.unit_id};
      for (const std::string& successor : authority.units().CurrentSuccessorsAt(
               n.unit_id, model.tree_at_us())) {
        if (scope.Contains(successor)) introducers.insert(successor);
      }
      for (const std::string& id : introducers) {
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
  // In id order, each exemplar's items in the order found.
  std::stable_sort(report.items.begin(), report.items.end(),
                   [](const FollowUpItem& a, const FollowUpItem& b) {
                     return a.exemplar_id < b.exemplar_id;
                   });
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

}  // namespace exemplar::projections
