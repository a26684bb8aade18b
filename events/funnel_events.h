// The registration funnel's and the propagation assessment's events (seed
// 004, seed 001): records a unit keeps beside its exemplars' streams.
//
// Streams: "registration-<year>-<unit id>" (a unit's annual list for a
// year: registered or selected, then submitted), "assessment-<period>-<unit
// id>" (the scores a unit's propagation work received for a period). Each
// type has a stable tag `kType`, a `kSchemaVersion`, a cereal `serialize`
// and a JSON mapping, like the system events (system_events.h).
#pragma once

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "events/civil_date.h"

namespace exemplar {

// A unit's annual list for `year`. Step "register": exemplars of the unit;
// "select": exemplars its children registered, `registered_by` naming the
// child that registered each (same order). `late` when recorded after
// `due_date` (local), the due date of the definition's entry in force.
struct AnnualListRegistered {
  static constexpr char kType[] = "annual_list_registered";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string registration_id;
  std::string unit_id;
  std::int32_t year = 0;
  std::string step;
  std::vector<std::string> exemplar_ids;
  std::vector<std::string> registered_by;
  CivilDate due_date;
  bool late = false;
  std::string note;
  bool operator==(const AnnualListRegistered&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(registration_id, unit_id, year, step, exemplar_ids, registered_by,
       due_date, late, note);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(AnnualListRegistered, registration_id, unit_id,
                                 year, step, exemplar_ids, registered_by,
                                 due_date, late, note)
};

// A selected list sent on to `recipient_unit_id` (the provincial Home
// Affairs department).
struct AnnualListSubmitted {
  static constexpr char kType[] = "annual_list_submitted";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string registration_id;
  std::string unit_id;
  std::int32_t year = 0;
  std::string recipient_unit_id;
  CivilDate due_date;
  bool late = false;
  bool operator==(const AnnualListSubmitted&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(registration_id, unit_id, year, recipient_unit_id, due_date, late);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(AnnualListSubmitted, registration_id, unit_id,
                                 year, recipient_unit_id, due_date, late)
};

// A reviewer's score of a unit's propagation work for a period ("YYYY",
// "YYYY-Hn" or "YYYY-Qn"), for its preliminary or final review report.
struct PropagationScored {
  static constexpr char kType[] = "propagation_scored";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string assessment_id;
  std::string unit_id;
  std::string period;
  double score = 0;
  std::string comment;
  bool operator==(const PropagationScored&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(assessment_id, unit_id, period, score, comment);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(PropagationScored, assessment_id, unit_id,
                                 period, score, comment)
};

}  // namespace exemplar
