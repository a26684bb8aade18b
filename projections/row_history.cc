#include "projections/row_history.h"

#include <algorithm>

namespace exemplar::projections {
namespace {

// The first `count` values of `values`.
template <typename T>
std::vector<T> Prefix(const std::vector<T>& values, std::size_t count) {
  return std::vector<T>(values.begin(), values.begin() + count);
}

// How many of `steps` carry `fact`.
std::size_t Count(const std::vector<RowStep>& steps, std::uint16_t fact) {
  return static_cast<std::size_t>(std::count_if(
      steps.begin(), steps.end(),
      [fact](const RowStep& s) { return (s.facts & fact) != 0; }));
}

// The mentor, the first mentor's time and the replications as `steps`
// (a prefix of `row.steps`) left them.
void ReplayValues(const ExemplarRow& row, const std::vector<RowStep>& steps,
                  ExemplarRow* past) {
  std::size_t mentors = 0, replications = 0;
  for (const RowStep& step : steps) {
    if (step.facts & RowStep::kMentorFilled) {
      past->mentor_id = row.mentors[mentors++];
      if (past->first_mentor_at_us == 0) past->first_mentor_at_us = step.at_us;
    }
    if (step.facts & RowStep::kMentorCleared) past->mentor_id.clear();
    if (step.facts & RowStep::kReplicationPlanned) {
      const ReplicationStep& planned = row.replication_steps[replications++];
      past->replications.emplace(planned.id, "");
      if (step.facts & RowStep::kReplicationTarget) {
        past->replication_targets[planned.id] = planned.value;
      }
    }
    if (step.facts & RowStep::kReplicationEvaluated) {
      const ReplicationStep& evaluated = row.replication_steps[replications++];
      past->replications[evaluated.id] = evaluated.value;
    }
  }
  past->mentors = Prefix(row.mentors, mentors);
  past->replication_steps = Prefix(row.replication_steps, replications);
}

}  // namespace

std::size_t StepsUpTo(const ExemplarRow& row, std::uint64_t position) {
  auto end = std::upper_bound(
      row.steps.begin(), row.steps.end(), position,
      [](std::uint64_t p, const RowStep& step) { return p < step.position; });
  return static_cast<std::size_t>(end - row.steps.begin());
}

bool RowAsOf(const ExemplarRow& row, std::uint64_t position,
             ExemplarRow* past) {
  const std::size_t n = StepsUpTo(row, position);
  if (n == 0) return false;
  if (n == row.steps.size()) {
    *past = row;
    return true;
  }
  ExemplarRow out;
  out.steps = Prefix(row.steps, n);
  const std::vector<RowStep>& steps = out.steps;
  out.id = row.id;
  out.name = row.name;
  out.name_folded = row.name_folded;
  out.subject_kind = row.subject_kind;
  out.field = row.field;
  out.priority_flags = row.priority_flags;
  out.detected_at_us = row.detected_at_us;

  out.states = Prefix(row.states, Count(steps, RowStep::kStateSet));
  if (!out.states.empty()) out.state = out.states.back();
  out.transfers = Prefix(row.transfers, Count(steps, RowStep::kTransferred));
  out.unit_id = !out.transfers.empty()   ? out.transfers.back().to_unit_id
                : !row.transfers.empty() ? row.transfers.front().from_unit_id
                                         : row.unit_id;
  out.nominations = Prefix(row.nominations, Count(steps, RowStep::kNominated));
  if (!out.nominations.empty()) {
    out.campaign_id = out.nominations.back().campaign_id;
    out.period = out.nominations.back().period;
  }
  out.approved_us = Prefix(row.approved_us, Count(steps, RowStep::kApproved));
  out.honoured_us = Prefix(row.honoured_us, Count(steps, RowStep::kHonoured));
  out.propagated_us =
      Prefix(row.propagated_us, Count(steps, RowStep::kPropagated));
  out.replicated_us =
      Prefix(row.replicated_us, Count(steps, RowStep::kReplicated));
  out.evaluation_periods =
      Prefix(row.evaluation_periods, Count(steps, RowStep::kEvaluated));
  out.retention =
      Prefix(row.retention,
             std::partition_point(row.retention.begin(), row.retention.end(),
                                  [position](const RetentionFact& fact) {
                                    return fact.position <= position;
                                  }) -
                 row.retention.begin());
  ReplayValues(row, steps, &out);
  out.event_count = n;
  out.last_position = steps.back().position;
  out.updated_at_us = steps.back().at_us;
  *past = std::move(out);
  return true;
}

}  // namespace exemplar::projections
