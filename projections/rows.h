// The rows the read models keep per exemplar and per decision, and their
// stored form (cereal binary in the `projections` column family).
#pragma once

#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace exemplar::projections {

// One nomination (quarterly introduction or annual registration).
struct NominationFact {
  std::int64_t at_us = 0;
  std::string unit_id;  // the unit the nominator acted for
  std::string nominator;
  std::string kind;  // "quarterly" or "annual"
  std::string period;
  std::string campaign_id;

  bool operator==(const NominationFact&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(at_us, unit_id, nominator, kind, period, campaign_id);
  }
};

// The exemplar moved from a unit a reorganisation ended to its successor.
struct TransferFact {
  std::int64_t at_us = 0;
  std::string reorganisation_id;
  std::string from_unit_id;
  std::string to_unit_id;

  bool operator==(const TransferFact&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(at_us, reorganisation_id, from_unit_id, to_unit_id);
  }
};

// One event folded into an exemplar's row: where it lies in the log, when
// it was recorded and what it added. The row keeps one per event so that
// it can be told as of any earlier position (row_history.h).
struct RowStep {
  enum Fact : std::uint16_t {
    kMentorFilled = 1 << 0,
    kMentorCleared = 1 << 1,
    kNominated = 1 << 2,
    kApproved = 1 << 3,
    kHonoured = 1 << 4,
    kPropagated = 1 << 5,
    kReplicationPlanned = 1 << 6,
    kReplicationTarget = 1 << 7,  // the planning named a target unit
    kReplicationEvaluated = 1 << 8,
    kReplicated = 1 << 9,  // an evaluation found it adopted
    kEvaluated = 1 << 10,
    kTransferred = 1 << 11,
    kStateSet = 1 << 12,
  };
  std::uint64_t position = 0;
  std::int64_t at_us = 0;
  std::uint16_t facts = 0;  // Fact bits

  bool operator==(const RowStep&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(position, at_us, facts);
  }
};

// A replication planned (value: the unit it targets) or evaluated (value:
// the outcome), in the order the row's steps took them.
struct ReplicationStep {
  std::string id;
  std::string value;

  bool operator==(const ReplicationStep&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(id, value);
  }
};

// A step in the keeping of the exemplar's personal data of one retention
// class kept for a time: an action that starts the class's keeping period
// (the definition's `after_actions`), an erasure of the class requested, or
// one done, and the first event since the last erasure that recorded data
// of the class (kHeld). The retention report tells from these what is due.
struct RetentionFact {
  enum Kind : std::uint8_t {
    kKeepingStarted = 0,
    kRequested = 1,
    kErased = 2,
    kHeld = 3,
  };
  std::uint64_t position = 0;
  std::int64_t at_us = 0;
  std::uint8_t kind = kKeepingStarted;
  std::string retention_class;

  bool operator==(const RetentionFact&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(position, at_us, kind, retention_class);
  }
};

// What the list, the quota, deadline and follow-up reports need of one
// exemplar. Times are UTC microseconds; 0 means "never".
struct ExemplarRow {
  std::string id;
  std::string name;
  std::string name_folded;  // FoldForSearch(name)
  std::string state;
  std::string subject_kind;
  std::string unit_id;  // now: the creating action's, or the last transfer's
  std::string field;
  std::vector<std::string> priority_flags;
  std::string mentor_id;    // empty: no mentor now
  std::string campaign_id;  // of the latest nomination
  std::string period;       // of the latest nomination
  std::int64_t detected_at_us = 0;
  std::int64_t first_mentor_at_us = 0;
  std::vector<NominationFact> nominations;
  std::vector<std::int64_t> approved_us;
  std::vector<std::int64_t> honoured_us;
  std::vector<std::int64_t> propagated_us;
  // replication id -> outcome ("" until evaluated)
  std::map<std::string, std::string> replications;
  // replication id -> the unit it targets (the planning action's unit field)
  std::map<std::string, std::string> replication_targets;
  std::vector<std::int64_t> replicated_us;  // evaluations with adoption
  std::vector<std::string> evaluation_periods;
  std::vector<TransferFact> transfers;  // in time order
  std::uint64_t event_count = 0;
  std::uint64_t last_position = 0;
  std::int64_t updated_at_us = 0;
  // The row's history: one step per event folded, and the values those
  // steps set, in order: one state per kStateSet, one mentor per
  // kMentorFilled, one replication step per planning and evaluation.
  std::vector<RowStep> steps;
  std::vector<std::string> states;
  std::vector<std::string> mentors;
  std::vector<ReplicationStep> replication_steps;
  // In position order, so the row as of a position keeps a prefix.
  std::vector<RetentionFact> retention;

  bool operator==(const ExemplarRow&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(id, name, name_folded, state, subject_kind, unit_id, field,
       priority_flags, mentor_id, campaign_id, period, detected_at_us,
       first_mentor_at_us, nominations, approved_us, honoured_us, propagated_us,
       replications, replicated_us, evaluation_periods, event_count,
       last_position, updated_at_us, transfers, replication_targets, steps,
       states, mentors, replication_steps, retention);
  }

  // The unit it belonged to at `at_us`: the creating action's until the
  // first transfer, then each transfer's from its instant on.
  const std::string& UnitAt(std::int64_t at_us) const {
    for (const TransferFact& transfer : transfers) {
      if (at_us < transfer.at_us) return transfer.from_unit_id;
    }
    return unit_id;
  }
};

// One decision-type event: who approved (appraised, voted, rejected, ...)
// what, and whether they held the role for it at that moment.
struct LedgerRow {
  std::uint64_t position = 0;
  std::int64_t at_us = 0;
  std::string action;
  std::string actor_user;
  std::string actor_role;
  std::string actor_unit;
  std::string exemplar_id;
  std::string exemplar_unit;
  std::uint64_t nomination = 0;  // the nomination cycle, 1-based
  std::string nominator;
  std::string reason;
  bool role_held = false;
  std::string role_check;  // why not, when role_held is false

  bool operator==(const LedgerRow&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(position, at_us, action, actor_user, actor_role, actor_unit, exemplar_id,
       exemplar_unit, nomination, nominator, reason, role_held, role_check);
  }
};

// One step of an exemplar's propagation work (seed 001): an item
// published, a replication planned or a replication evaluated, counted for
// the unit the exemplar belonged to when it was recorded.
enum class PropagationStep : std::uint8_t {
  kItem = 0,
  kReplicationStarted = 1,
  kReplicationEvaluated = 2,
};

struct PropagationRow {
  std::uint64_t position = 0;
  std::int64_t at_us = 0;
  std::string exemplar_id;
  std::string unit_id;
  PropagationStep step = PropagationStep::kItem;
  std::string channel;     // kItem, when the definition reads one
  std::int64_t reach = 0;  // kItem: people reached, 0 when not stated
  bool adopted = false;    // kReplicationEvaluated: someone adopted it

  bool operator==(const PropagationRow&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(position, at_us, exemplar_id, unit_id, step, channel, reach, adopted);
  }
};

}  // namespace exemplar::projections
