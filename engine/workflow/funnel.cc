#include "engine/workflow/funnel.h"

#include <algorithm>
#include <set>

#include "engine/workflow/organisation.h"
#include "engine/workflow/stream_ids.h"
#include "events/funnel_events.h"
#include "events/payload_codec.h"

namespace exemplar {
namespace {

Status Invalid(const std::string& field, const std::string& message) {
  return Status::Rejected("validation_failed", field + ": " + message, field);
}

template <typename T>
NewEvent EventOf(const T& payload, const FunnelCommand& command) {
  NewEvent event;
  event.type = T::kType;
  event.schema_version = T::kSchemaVersion;
  event.payload = EncodePayload(payload);
  event.actor = command.actor;
  event.request_id = command.request_id;
  event.remote_address = command.remote_address;
  event.recorded_at_us = command.at_us;
  return event;
}

// The annual list recorded on a registration stream, if any.
std::optional<AnnualListRegistered> ListOf(
    const std::vector<EventRecord>& stream) {
  for (const EventRecord& record : stream) {
    if (record.type != AnnualListRegistered::kType) continue;
    Result<AnnualListRegistered> list =
        DecodeRecordPayload<AnnualListRegistered>(record);
    if (list.ok()) return *list;
  }
  return std::nullopt;
}

bool Submitted(const std::vector<EventRecord>& stream) {
  return std::any_of(stream.begin(), stream.end(), [](const EventRecord& r) {
    return r.type == AnnualListSubmitted::kType;
  });
}

}  // namespace

bool LeadsCampaignIn(const Authority& authority, const std::string& unit,
                     int year) {
  const CivilDate first = CivilDate::FromYmd(year, 1, 1);
  const CivilDate last = CivilDate::FromYmd(year, 12, 31);
  for (const auto& [id, campaign] : authority.campaigns()) {
    if (campaign.unit_id == unit && campaign.period_start <= last &&
        first <= campaign.period_end) {
      return true;
    }
  }
  return false;
}

namespace {

// A funnel decision: the checks every step shares, then the step's own.
class Decision {
 public:
  Decision(const FunnelCommand& command, const std::vector<EventRecord>& stream,
           const FunnelReads& reads, const Authority& authority,
           const Definition& definition)
      : command_(command),
        stream_(stream),
        reads_(reads),
        authority_(authority),
        definition_(definition) {}

  Result<std::vector<NewEvent>> operator()(const RegisterList& c) {
    return List(c.unit_id, c.year, c.exemplar_ids, c.note, "register");
  }
  Result<std::vector<NewEvent>> operator()(const SelectList& c) {
    return List(c.unit_id, c.year, c.exemplar_ids, c.note, "select");
  }
  Result<std::vector<NewEvent>> operator()(const SubmitList& c);
  Result<std::vector<NewEvent>> operator()(const ScorePropagation& c);

 private:
  Result<std::vector<NewEvent>> List(const std::string& unit, int year,
                                     const std::vector<std::string>& ids,
                                     const std::string& note,
                                     const std::string& step);
  // The unit is open and the actor may act for it with one of `roles`.
  Status CheckActor(const std::string& unit,
                    const std::vector<std::string>& roles) const;
  Status CheckUnit(const std::string& unit, const std::string& field) const;
  // The entry of the unit's level for `year`, with step `step`.
  Result<const AnnualRegistration*> Step(const std::string& unit, int year,
                                         const std::string& step) const;
  // The child of `unit` that registered exemplar `id` for `year`, for a
  // selection; "" for an exemplar of `unit`'s subtree in no child's list.
  Result<std::string> RegisteredBy(const std::string& unit, int year,
                                   const std::string& id,
                                   const std::string& exemplar_unit) const;
  bool Late(const AnnualRegistration& entry, int year) const {
    return CivilDate::AtInstant(command_.at_us,
                                definition_.utc_offset_minutes) >
           entry.DueIn(year);
  }

  const FunnelCommand& command_;
  const std::vector<EventRecord>& stream_;
  const FunnelReads& reads_;
  const Authority& authority_;
  const Definition& definition_;
};

Status Decision::CheckUnit(const std::string& unit,
                           const std::string& field) const {
  const UnitRecord* record = authority_.FindUnit(unit);
  if (record == nullptr) {
    return Status::Rejected("unknown_unit", "no unit " + unit, field);
  }
  if (!record->OpenAt(command_.at_us)) {
    return Status::Rejected("unit_closed", "unit " + unit + " is closed",
                            field);
  }
  return Status::Ok();
}

Status Decision::CheckActor(const std::string& unit,
                            const std::vector<std::string>& roles) const {
  const Actor& actor = command_.actor;
  if (std::find(roles.begin(), roles.end(), actor.role) == roles.end()) {
    return Status::Rejected(
        "not_authorised", "role \"" + actor.role + "\" may not take this step");
  }
  return authority_.HeldRole(actor.user_id, actor.role, actor.unit_id, unit,
                             command_.at_us);
}

Result<const AnnualRegistration*> Decision::Step(
    const std::string& unit, int year, const std::string& step) const {
  if (year < 1900 || year > 9998) {
    return Invalid("year", "must be within 1900..9998");
  }
  const UnitRecord* record = authority_.FindUnit(unit);
  const AnnualRegistration* entry =
      definition_.RegistrationFor(record->level, year);
  if (entry == nullptr ||
      (entry->leads_campaign && !LeadsCampaignIn(authority_, unit, year))) {
    return Status::Rejected("no_registration_step",
                            "unit " + unit + " has no annual registration in " +
                                std::to_string(year),
                            "unit_id");
  }
  if (entry->step != step) {
    return Status::Rejected("wrong_registration_step",
                            "a " + record->level + " takes the step \"" +
                                entry->step + "\" in " + std::to_string(year),
                            "unit_id");
  }
  return entry;
}

Result<std::string> Decision::RegisteredBy(
    const std::string& unit, int year, const std::string& id,
    const std::string& exemplar_unit) const {
  const std::vector<std::string> path =
      authority_.units().PathAt(exemplar_unit, command_.at_us);
  auto at = std::find(path.begin(), path.end(), unit);
  if (at == path.end() || at + 1 == path.end()) return std::string();
  const std::string& child = *(at + 1);
  Result<std::vector<EventRecord>> events =
      reads_.stream(RegistrationStreamId(RegistrationId(child, year)));
  if (!events.ok()) return events.status();
  std::optional<AnnualListRegistered> list = ListOf(*events);
  if (!list || std::find(list->exemplar_ids.begin(), list->exemplar_ids.end(),
                         id) == list->exemplar_ids.end()) {
    return std::string();
  }
  return child;
}

Result<std::vector<NewEvent>> Decision::List(
    const std::string& unit, int year, const std::vector<std::string>& ids,
    const std::string& note, const std::string& step) {
  EXEMPLAR_RETURN_IF_ERROR(CheckUnit(unit, "unit_id"));
  Result<const AnnualRegistration*> entry = Step(unit, year, step);
  if (!entry.ok()) return entry.status();
  EXEMPLAR_RETURN_IF_ERROR(CheckActor(unit, (*entry)->roles));
  if (ListOf(stream_)) {
    return Status::Rejected(
        "already_registered",
        unit + " already has a list for " + std::to_string(year), "year");
  }
  if (ids.empty()) return Invalid("exemplar_ids", "empty list");
  if (static_cast<int>(ids.size()) > (*entry)->max) {
    return Status::Rejected("registration_over_max",
                            std::to_string(ids.size()) +
                                " exemplars, at most " +
                                std::to_string((*entry)->max),
                            "exemplar_ids");
  }
  AnnualListRegistered list{RegistrationId(unit, year),
                            unit,
                            year,
                            step,
                            ids,
                            {},
                            (*entry)->DueIn(year),
                            Late(**entry, year),
                            note};
  std::set<std::string> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string field = "exemplar_ids[" + std::to_string(i) + "]";
    if (!seen.insert(ids[i]).second) return Invalid(field, "listed twice");
    Result<std::optional<std::string>> of = reads_.exemplar_unit(ids[i]);
    if (!of.ok()) return of.status();
    if (!*of ||
        !SeesUnit(authority_, command_.actor.user_id, **of, command_.at_us)) {
      return Status::Rejected("exemplar_not_found", "no exemplar " + ids[i],
                              field);
    }
    if (!authority_.IsWithin(**of, unit, command_.at_us)) {
      return Status::Rejected("exemplar_not_of_unit",
                              ids[i] + " is not an exemplar of " + unit, field);
    }
    if (step == "register") continue;
    Result<std::string> child = RegisteredBy(unit, year, ids[i], **of);
    if (!child.ok()) return child.status();
    if (child->empty()) {
      return Status::Rejected(
          "not_registered_by_child",
          ids[i] + " is on no list " + unit + "'s units registered", field);
    }
    list.registered_by.push_back(*child);
  }
  return std::vector<NewEvent>{EventOf(list, command_)};
}

Result<std::vector<NewEvent>> Decision::operator()(const SubmitList& c) {
  EXEMPLAR_RETURN_IF_ERROR(CheckUnit(c.unit_id, "unit_id"));
  Result<const AnnualRegistration*> entry = Step(c.unit_id, c.year, "select");
  if (!entry.ok()) return entry.status();
  EXEMPLAR_RETURN_IF_ERROR(CheckActor(c.unit_id, (*entry)->roles));
  if (!ListOf(stream_)) {
    return Status::Rejected(
        "registration_not_found",
        c.unit_id + " has selected no list for " + std::to_string(c.year),
        "year");
  }
  if (Submitted(stream_)) {
    return Status::Rejected("already_submitted", "the list was submitted",
                            "year");
  }
  EXEMPLAR_RETURN_IF_ERROR(CheckUnit(c.recipient_unit_id, "recipient_unit_id"));
  const UnitRecord* recipient = authority_.FindUnit(c.recipient_unit_id);
  if (c.recipient_unit_id == c.unit_id ||
      (!(*entry)->submit_to_level.empty() &&
       recipient->level != (*entry)->submit_to_level)) {
    return Status::Rejected("invalid_recipient",
                            "the list goes to a " + (*entry)->submit_to_level,
                            "recipient_unit_id");
  }
  AnnualListSubmitted submitted{RegistrationId(c.unit_id, c.year),
                                c.unit_id,
                                c.year,
                                c.recipient_unit_id,
                                (*entry)->DueIn(c.year),
                                Late(**entry, c.year)};
  return std::vector<NewEvent>{EventOf(submitted, command_)};
}

Result<std::vector<NewEvent>> Decision::operator()(const ScorePropagation& c) {
  EXEMPLAR_RETURN_IF_ERROR(CheckUnit(c.unit_id, "unit_id"));
  const PropagationAssessment& rules = definition_.propagation_assessment;
  EXEMPLAR_RETURN_IF_ERROR(CheckActor(c.unit_id, rules.roles));
  if (!(c.score >= rules.min_score && c.score <= rules.max_score)) {
    return Invalid("score", "must be within " +
                                std::to_string(rules.min_score) + ".." +
                                std::to_string(rules.max_score));
  }
  PropagationScored scored{AssessmentId(c.unit_id, c.period), c.unit_id,
                           c.period, c.score, c.comment};
  return std::vector<NewEvent>{EventOf(scored, command_)};
}

// The year of a list's command; 0 for a score.
int YearOf(const FunnelCommand& command) {
  return std::visit(
      [](const auto& c) {
        if constexpr (requires { c.year; }) {
          return c.year;
        } else {
          return 0;
        }
      },
      command.action);
}

}  // namespace

std::string RegistrationId(const std::string& unit_id, int year) {
  return std::to_string(year) + "-" + unit_id;
}

std::string AssessmentId(const std::string& unit_id,
                         const std::string& period) {
  return period + "-" + unit_id;
}

std::string RegistrationStreamId(const std::string& registration_id) {
  return StreamIdOf(StreamKind::kRegistration, registration_id);
}

std::string AssessmentStreamId(const std::string& assessment_id) {
  return StreamIdOf(StreamKind::kAssessment, assessment_id);
}

std::string FunnelUnit(const FunnelCommand& command) {
  return std::visit([](const auto& c) { return c.unit_id; }, command.action);
}

std::string FunnelStreamId(const FunnelCommand& command) {
  if (const auto* score = std::get_if<ScorePropagation>(&command.action)) {
    return AssessmentStreamId(AssessmentId(score->unit_id, score->period));
  }
  const int year = YearOf(command);
  return RegistrationStreamId(RegistrationId(FunnelUnit(command), year));
}

std::vector<std::string> FunnelRoles(const FunnelCommand& command,
                                     const Authority& authority,
                                     const Definition& definition) {
  if (std::holds_alternative<ScorePropagation>(command.action)) {
    return definition.propagation_assessment.roles;
  }
  const UnitRecord* unit = authority.FindUnit(FunnelUnit(command));
  const int year = YearOf(command);
  const AnnualRegistration* entry =
      unit == nullptr ? nullptr : definition.RegistrationFor(unit->level, year);
  return entry == nullptr ? std::vector<std::string>() : entry->roles;
}

bool IsReviewPeriod(const std::string& period) {
  auto digits = [&](size_t from, size_t count) {
    return std::all_of(period.begin() + from, period.begin() + from + count,
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (period.size() == 4) return digits(0, 4);
  if (period.size() != 7 || !digits(0, 4) || period[4] != '-') return false;
  if (period[5] == 'H') return period[6] == '1' || period[6] == '2';
  return period[5] == 'Q' && period[6] >= '1' && period[6] <= '4';
}

Status CheckFunnelIds(const FunnelCommand& command) {
  if (!IsValidId(FunnelUnit(command))) {
    return Invalid("unit_id",
                   "an id is 1 to 100 characters of [A-Za-z0-9._:-]");
  }
  if (const auto* score = std::get_if<ScorePropagation>(&command.action);
      score != nullptr && !IsReviewPeriod(score->period)) {
    return Invalid("period", "expected YYYY, YYYY-Hn or YYYY-Qn");
  }
  const std::string stream = FunnelStreamId(command);
  if (!IsValidId(stream.substr(stream.find('-') + 1))) {
    return Invalid("unit_id", "too long an id");
  }
  return Status::Ok();
}

Result<std::vector<NewEvent>> DecideFunnel(
    const FunnelCommand& command, const std::vector<EventRecord>& stream,
    const FunnelReads& reads, const Authority& authority,
    const Definition& definition) {
  EXEMPLAR_RETURN_IF_ERROR(CheckFunnelIds(command));
  Decision decision(command, stream, reads, authority, definition);
  return std::visit(decision, command.action);
}

}  // namespace exemplar
