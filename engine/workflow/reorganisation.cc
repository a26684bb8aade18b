#include "engine/workflow/reorganisation.h"

#include <algorithm>

#include "engine/workflow/field_check.h"
#include "engine/workflow/organisation_rules.h"
#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"

namespace exemplar {
namespace {

std::string Indexed(const std::string& field, std::size_t index) {
  return field + "[" + std::to_string(index) + "]";
}

template <typename T>
NewEvent EventOf(const T& payload, const Actor& actor, std::int64_t at_us,
                 const std::string& request_id,
                 const std::string& remote_address) {
  NewEvent event;
  event.type = T::kType;
  event.schema_version = T::kSchemaVersion;
  event.payload = EncodePayload(payload);
  event.actor = actor;
  event.recorded_at_us = at_us;
  event.request_id = request_id;
  event.remote_address = remote_address;
  return event;
}

// Decides one reorganisation: who may first, then the units named, then
// their states and the request's fields.
class ReorganisationDecider : public OrganisationRules {
 public:
  ReorganisationDecider(const ReorganisationCommand& command,
                        const Authority& authority,
                        const Definition& definition)
      : OrganisationRules(command.actor, command.at_us, authority),
        units_(authority.units()),
        offset_minutes_(definition.utc_offset_minutes) {}

  Result<UnitsReorganised> operator()(const MergeUnits& merge) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(NewReorganisation(merge.reorganisation_id));
    if (merge.units.empty()) return Invalid("units", "name the units to merge");
    for (std::size_t i = 0; i < merge.units.size(); ++i) {
      EXEMPLAR_RETURN_IF_ERROR(SeenUnit(merge.units[i], Indexed("units", i)));
    }
    UnitSpec into = merge.into;
    const bool creates = !into.name.empty();
    const UnitRecord& first = *units_.Find(merge.units.front());
    if (creates) {
      if (into.level.empty()) into.level = first.level;
      if (into.parent_id.empty()) into.parent_id = first.ParentAt(at_);
    }
    std::vector<std::string> named = merge.units;
    EXEMPLAR_RETURN_IF_ERROR(Successor(into, creates, "into", &named));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(CommonAncestor(named)));

    std::vector<std::string> ended;
    for (std::size_t i = 0; i < merge.units.size(); ++i) {
      const std::string& unit = merge.units[i];
      EXEMPLAR_RETURN_IF_ERROR(NotNamedTwice(ended, unit, Indexed("units", i)));
      if (unit != into.unit_id) ended.push_back(unit);
    }
    if (ended.empty() || (creates && ended.size() < 2)) {
      return Invalid("units", "a merge joins two units or more");
    }
    EXEMPLAR_RETURN_IF_ERROR(SuccessorOutside(into, creates, "into", ended));
    const std::string& level =
        creates ? into.level : units_.Find(into.unit_id)->level;
    for (std::size_t i = 0; i < merge.units.size(); ++i) {
      const std::string& unit = merge.units[i];
      const std::string field = Indexed("units", i);
      EXEMPLAR_RETURN_IF_ERROR(OpenUnit(unit, field));
      if (units_.Find(unit)->level != level) {
        return Status::Rejected("invalid_unit_level",
                                "unit \"" + unit + "\" is not a " + level +
                                    " like the unit it merges into",
                                field);
      }
    }
    EXEMPLAR_RETURN_IF_ERROR(
        CheckRecord(merge.legal_basis, merge.effective_date));
    UnitsReorganised event =
        Event(merge.reorganisation_id, "merge", merge.legal_basis);
    if (creates) event.created.push_back(into);
    for (const std::string& unit : ended) {
      EXEMPLAR_RETURN_IF_ERROR(
          EndInto(unit, {into.unit_id}, level, "into.unit_id", &event));
    }
    return event;
  }

  Result<UnitsReorganised> operator()(const SplitUnit& split) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(NewReorganisation(split.reorganisation_id));
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(split.unit_id, "unit_id"));
    if (split.into.size() < 2) {
      return Invalid("into", "a split makes two units or more");
    }
    const UnitRecord& unit = *units_.Find(split.unit_id);
    std::vector<UnitSpec> into = split.into;
    std::vector<std::string> named{split.unit_id};
    for (std::size_t i = 0; i < into.size(); ++i) {
      const bool creates = !into[i].name.empty();
      if (creates && into[i].level.empty()) into[i].level = unit.level;
      if (creates && into[i].parent_id.empty()) {
        into[i].parent_id = unit.ParentAt(at_);
      }
      EXEMPLAR_RETURN_IF_ERROR(
          Successor(into[i], creates, Indexed("into", i), &named));
    }
    EXEMPLAR_RETURN_IF_ERROR(Authorise(CommonAncestor(named)));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(split.unit_id, "unit_id"));
    std::vector<std::string> successors;
    for (std::size_t i = 0; i < into.size(); ++i) {
      const std::string field = Indexed("into", i);
      const std::string& id = into[i].unit_id;
      if (Contains(successors, id)) {
        return Invalid(field + ".unit_id", "unit \"" + id + "\" named twice");
      }
      EXEMPLAR_RETURN_IF_ERROR(SuccessorOutside(into[i], !into[i].name.empty(),
                                                field, {split.unit_id}));
      successors.push_back(id);
    }
    std::string main = split.default_successor.empty()
                           ? successors.front()
                           : split.default_successor;
    if (!Contains(successors, main)) {
      return Invalid("default_successor", "not one of the units of into");
    }
    for (const auto& [exemplar, target] : split.assignments) {
      EXEMPLAR_RETURN_IF_ERROR(CheckId(exemplar, "assignments." + exemplar));
      if (!Contains(successors, target)) {
        return Invalid("assignments." + exemplar,
                       "unit \"" + target + "\" is not one of into");
      }
    }
    EXEMPLAR_RETURN_IF_ERROR(
        CheckRecord(split.legal_basis, split.effective_date));
    UnitsReorganised event =
        Event(split.reorganisation_id, "split", split.legal_basis);
    for (const UnitSpec& spec : into) {
      if (!spec.name.empty()) event.created.push_back(spec);
    }
    std::erase(successors, main);
    successors.insert(successors.begin(), main);
    EXEMPLAR_RETURN_IF_ERROR(EndInto(split.unit_id, successors,
                                     SuccessorLevel(into, main),
                                     "default_successor", &event));
    for (const auto& [exemplar, target] : split.assignments) {
      event.assignments.push_back({exemplar, target});
    }
    return event;
  }

  Result<UnitsReorganised> operator()(const DissolveLevel& dissolve) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(NewReorganisation(dissolve.reorganisation_id));
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(dissolve.parent_id, "parent_id"));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(dissolve.parent_id));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(dissolve.parent_id, "parent_id"));
    if (!Contains(UnitLevels(), dissolve.level)) {
      return Invalid("level", "unknown unit level \"" + dissolve.level + "\"");
    }
    std::vector<std::string> ended;
    for (const std::string& child :
         units_.OpenChildrenAt(dissolve.parent_id, at_)) {
      if (units_.Find(child)->level == dissolve.level) ended.push_back(child);
    }
    if (ended.empty()) {
      return Status::Rejected("nothing_to_dissolve",
                              "no open " + dissolve.level + " lies under \"" +
                                  dissolve.parent_id + "\"",
                              "level");
    }
    EXEMPLAR_RETURN_IF_ERROR(
        CheckRecord(dissolve.legal_basis, dissolve.effective_date));
    UnitsReorganised event = Event(dissolve.reorganisation_id, "dissolve_level",
                                   dissolve.legal_basis);
    const std::string& parent_level = units_.Find(dissolve.parent_id)->level;
    for (const std::string& unit : ended) {
      EXEMPLAR_RETURN_IF_ERROR(
          EndInto(unit, {dissolve.parent_id}, parent_level, "level", &event));
    }
    return event;
  }

 private:
  Status NewReorganisation(const std::string& id) const {
    EXEMPLAR_RETURN_IF_ERROR(CheckId(id, "reorganisation_id"));
    if (units_.FindReorganisation(id) != nullptr) {
      return Exists("reorganisation", id);
    }
    return Status::Ok();
  }

  // A successor as the request names it: a new unit (an unused id, a
  // parent the actor sees) or an existing one the actor sees. Adds the
  // units it names to `named`.
  Status Successor(const UnitSpec& spec, bool creates, const std::string& field,
                   std::vector<std::string>* named) const {
    if (!creates) {
      named->push_back(spec.unit_id);
      return SeenUnit(spec.unit_id, field + ".unit_id");
    }
    EXEMPLAR_RETURN_IF_ERROR(CheckId(spec.unit_id, field + ".unit_id"));
    if (units_.Find(spec.unit_id) != nullptr) {
      return Status::Rejected("already_exists",
                              "unit \"" + spec.unit_id + "\" already exists",
                              field + ".unit_id");
    }
    if (spec.parent_id.empty()) {
      return Invalid(field + ".parent_id", "a new unit needs a parent");
    }
    named->push_back(spec.parent_id);
    return SeenUnit(spec.parent_id, field + ".parent_id");
  }

  // A successor is open and lies outside every unit that ends (else it
  // would end under itself); a new one has a fitting level and a name.
  Status SuccessorOutside(const UnitSpec& spec, bool creates,
                          const std::string& field,
                          const std::vector<std::string>& ending) const {
    const std::string& anchor = creates ? spec.parent_id : spec.unit_id;
    const std::string anchor_field =
        field + (creates ? ".parent_id" : ".unit_id");
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(anchor, anchor_field));
    for (const std::string& unit : ending) {
      if (authority_.IsWithin(anchor, unit, at_)) {
        return Status::Rejected(
            "unit_cycle",
            "unit \"" + anchor + "\" lies within \"" + unit + "\", which ends",
            anchor_field);
      }
    }
    if (!creates) return Status::Ok();
    EXEMPLAR_RETURN_IF_ERROR(CheckName(spec.name, field + ".name"));
    if (!Contains(UnitLevels(), spec.level)) {
      return Invalid(field + ".level",
                     "unknown unit level \"" + spec.level + "\"");
    }
    return CheckLevel(spec.level, units_.Find(spec.parent_id)->level,
                      field + ".parent_id");
  }

  Status NotNamedTwice(const std::vector<std::string>& ended,
                       const std::string& unit,
                       const std::string& field) const {
    if (!Contains(ended, unit)) return Status::Ok();
    return Status::Rejected("unit_closed",
                            "unit \"" + unit + "\" would end twice", field);
  }

  // The legal basis has its fields and is dated by the recording day at
  // the latest; a stated effective date is the recording day.
  Status CheckRecord(const LegalBasis& basis,
                     const std::optional<CivilDate>& effective) const {
    const CivilDate today = CivilDate::AtInstant(at_, offset_minutes_);
    EXEMPLAR_RETURN_IF_ERROR(
        CheckName(basis.document_number, "legal_basis.document_number"));
    EXEMPLAR_RETURN_IF_ERROR(CheckName(basis.issuer, "legal_basis.issuer"));
    if (today < basis.document_date) {
      return Invalid("legal_basis.document_date",
                     "the document is dated after the day it is recorded");
    }
    if (effective && *effective != today) {
      return Status::Rejected(
          "effective_date_not_today",
          "a reorganisation takes effect on the day it is recorded (" +
              today.ToString() + "), not " + effective->ToString(),
          "effective_date");
    }
    return Status::Ok();
  }

  UnitsReorganised Event(const std::string& id, const std::string& kind,
                         const LegalBasis& basis) const {
    UnitsReorganised event;
    event.reorganisation_id = id;
    event.kind = kind;
    event.legal_basis = basis;
    return event;
  }

  // Ends `unit`: its successors, and its open children move under the
  // first of them (of level `level`; a child that cannot sit there is
  // refused naming `field`).
  Status EndInto(const std::string& unit, std::vector<std::string> successors,
                 const std::string& level, const std::string& field,
                 UnitsReorganised* event) const {
    for (const std::string& child : units_.OpenChildrenAt(unit, at_)) {
      EXEMPLAR_RETURN_IF_ERROR(
          CheckLevel(units_.Find(child)->level, level, field));
      event->reparented.push_back({child, successors.front()});
    }
    event->ended.push_back(unit);
    event->successions.push_back({unit, std::move(successors)});
    return Status::Ok();
  }

  std::string SuccessorLevel(const std::vector<UnitSpec>& into,
                             const std::string& id) const {
    for (const UnitSpec& spec : into) {
      if (spec.unit_id == id && !spec.name.empty()) return spec.level;
    }
    return units_.Find(id)->level;
  }

  // The deepest unit every one of `units` lies within now; "" when none.
  std::string CommonAncestor(const std::vector<std::string>& units) const {
    std::vector<std::string> common = units_.PathAt(units.front(), at_);
    for (const std::string& unit : units) {
      std::vector<std::string> path = units_.PathAt(unit, at_);
      auto [ends, unused] =
          std::mismatch(common.begin(), common.end(), path.begin(), path.end());
      common.erase(ends, common.end());
    }
    return common.empty() ? std::string() : common.back();
  }

  const UnitTree& units_;
  const int offset_minutes_;
};

// The carry-over's rule: an admin over the ended unit moves one of its
// exemplars to one of its successors.
class TransferDecider : public OrganisationRules {
 public:
  TransferDecider(const TransferCommand& command, const Authority& authority)
      : OrganisationRules(command.actor, command.at_us, authority) {}

  Status Check(const ExemplarState& exemplar,
               const ExemplarTransferred& transfer) const {
    if (!exemplar.exists() || exemplar.id != transfer.exemplar_id) {
      return Status::Rejected("exemplar_not_found",
                              "no exemplar \"" + transfer.exemplar_id + "\"",
                              "exemplar_id");
    }
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    const ReorganisationRecord* reorganisation =
        authority_.units().FindReorganisation(transfer.reorganisation_id);
    if (reorganisation == nullptr) {
      return Status::Rejected(
          "unknown_reorganisation",
          "no reorganisation \"" + transfer.reorganisation_id + "\"",
          "reorganisation_id");
    }
    EXEMPLAR_RETURN_IF_ERROR(Authorise(transfer.from_unit_id));
    const UnitsReorganised& event = reorganisation->event;
    if (exemplar.unit_id != transfer.from_unit_id ||
        !Contains(event.ended, transfer.from_unit_id)) {
      return Status::Rejected("not_transferable",
                              "exemplar \"" + exemplar.id + "\" is in unit \"" +
                                  exemplar.unit_id +
                                  "\", which this reorganisation did not end",
                              "from_unit_id");
    }
    for (const Succession& edge : event.successions) {
      if (edge.from == transfer.from_unit_id &&
          Contains(edge.to, transfer.to_unit_id)) {
        return Status::Ok();
      }
    }
    return Status::Rejected("not_transferable",
                            "unit \"" + transfer.to_unit_id +
                                "\" is not a successor of \"" +
                                transfer.from_unit_id + "\"",
                            "to_unit_id");
  }
};

}  // namespace

std::string ReorganisationStreamId(const ReorganisationCommand& command) {
  const std::string& id = std::visit(
      [](const auto& action) -> const std::string& {
        return action.reorganisation_id;
      },
      command.action);
  return StreamIdOf(StreamKind::kReorganisation, id);
}

Result<UnitsReorganised> ReorganisationOf(const ReorganisationCommand& command,
                                          const Authority& authority,
                                          const Definition& definition) {
  return std::visit(ReorganisationDecider(command, authority, definition),
                    command.action);
}

Result<std::vector<NewEvent>> DecideSystem(const ReorganisationCommand& command,
                                           const Authority& authority,
                                           const Definition& definition) {
  Result<UnitsReorganised> event =
      ReorganisationOf(command, authority, definition);
  if (!event.ok()) return event.status();
  return std::vector<NewEvent>{EventOf(*event, command.actor, command.at_us,
                                       command.request_id,
                                       command.remote_address)};
}

std::string CarryOverTarget(const UnitsReorganised& reorganisation,
                            const std::string& exemplar_id,
                            const std::string& from_unit) {
  for (const Succession& edge : reorganisation.successions) {
    if (edge.from != from_unit || edge.to.empty()) continue;
    for (const ExemplarAssignment& assigned : reorganisation.assignments) {
      if (assigned.exemplar_id == exemplar_id &&
          Contains(edge.to, assigned.unit_id)) {
        return assigned.unit_id;
      }
    }
    return edge.to.front();
  }
  return {};
}

Result<std::vector<NewEvent>> DecideTransfer(const ExemplarState& exemplar,
                                             const TransferCommand& command,
                                             const Authority& authority) {
  EXEMPLAR_RETURN_IF_ERROR(
      TransferDecider(command, authority).Check(exemplar, command.transfer));
  return std::vector<NewEvent>{EventOf(command.transfer, command.actor,
                                       command.at_us, command.request_id,
                                       command.remote_address)};
}

}  // namespace exemplar
