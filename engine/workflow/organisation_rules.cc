#include "engine/workflow/organisation_rules.h"

#include <map>

#include "engine/workflow/field_check.h"
#include "events/system_events.h"
#include "events/text.h"

namespace exemplar {

Status CheckId(const std::string& id, const std::string& field) {
  if (!IsValidId(id)) {
    return Invalid(field, "an id is 1 to 100 characters of [A-Za-z0-9._:-]");
  }
  return Status::Ok();
}

namespace {

// Text of at most 300 code points: NFC UTF-8, not blank, and without
// control characters beyond those `lines` allows (names are one line,
// reasons may span several).
Status CheckText(const std::string& text, const std::string& field,
                 TextLines lines) {
  for (const Status& valid : {ValidateText(text, field),
                              CheckControlCharacters(text, field, lines)}) {
    if (!valid.ok()) {
      return Status::Rejected("validation_failed", valid.message(), field);
    }
  }
  if (IsBlank(text)) return Invalid(field, "must not be blank");
  if (CodePointCount(text) > 300) return Invalid(field, "longer than 300");
  return Status::Ok();
}

}  // namespace

Status CheckName(const std::string& text, const std::string& field) {
  return CheckText(text, field, TextLines::kOne);
}

Status CheckReason(const std::string& text) {
  return CheckText(text, "reason", TextLines::kMany);
}

// Parent levels each level may sit under; empty means "only as a root".
bool LevelFits(const std::string& level, const std::string& parent_level) {
  static const std::map<std::string, std::vector<std::string>> kParents = {
      {"central", {}},
      {"province", {"central"}},
      {"district", {"province"}},
      // Under a province too: the 2025 reform ended the district level.
      {"commune", {"district", "province"}},
      {"branch", {"commune"}},
      {"department", {"central", "province", "district"}},
      {"bloc", {"central", "province", "district"}},
  };
  const std::vector<std::string>& allowed = kParents.at(level);
  if (parent_level.empty()) return level == "central";
  return Contains(allowed, parent_level);
}

OrganisationRules::OrganisationRules(const Actor& actor, std::int64_t at_us,
                                     const Authority& authority)
    : actor_(actor), authority_(authority), at_(at_us) {}

bool OrganisationRules::Bootstrap() const {
  return !authority_.EverGranted(kAdminRole);
}

// Whether the actor may see what belongs to `unit` (anything, during
// bootstrap).
bool OrganisationRules::Sees(const std::string& unit) const {
  return Bootstrap() || SeesUnit(authority_, actor_.user_id, unit, at_);
}

// Refuses, naming no target, a user who holds "admin" at no unit now.
Status OrganisationRules::AnyAdmin() const {
  if (Bootstrap()) return Status::Ok();
  for (const GrantRecord* grant : authority_.GrantsOf(actor_.user_id, at_)) {
    if (grant->role == kAdminRole) return Status::Ok();
  }
  return Status::Rejected("not_authorised",
                          "only an admin changes the organisation");
}

Status OrganisationRules::Exists(const std::string& what,
                                 const std::string& id) const {
  return Status::Rejected(
      "already_exists", what + " \"" + id + "\" already exists", what + "_id");
}

// An existing unit the actor may see, else "unknown_unit" either way.
Status OrganisationRules::SeenUnit(const std::string& id,
                                   const std::string& field) const {
  if (authority_.FindUnit(id) == nullptr || !Sees(id)) {
    return Status::Rejected("unknown_unit", "no unit \"" + id + "\"", field);
  }
  return Status::Ok();
}

// An existing user whose home unit the actor may see, else
// "unknown_user" either way.
Status OrganisationRules::SeenUser(const std::string& id) const {
  const UserRecord* user = authority_.FindUser(id);
  if (user == nullptr || !Sees(user->home_unit_id)) {
    return Status::Rejected("unknown_user", "no user \"" + id + "\"",
                            "user_id");
  }
  return Status::Ok();
}

// A unit already known to exist is open.
Status OrganisationRules::OpenUnit(const std::string& id,
                                   const std::string& field) const {
  if (!authority_.FindUnit(id)->OpenAt(at_)) {
    return Status::Rejected("unit_closed", "unit \"" + id + "\" is closed",
                            field);
  }
  return Status::Ok();
}

// A user already known to exist is active.
Status OrganisationRules::ActiveUser(const std::string& id) const {
  if (!authority_.FindUser(id)->ActiveAt(at_)) {
    return Status::Rejected("user_inactive",
                            "user \"" + id + "\" is deactivated", "user_id");
  }
  return Status::Ok();
}

Status OrganisationRules::CheckLevel(const std::string& level,
                                     const std::string& parent_level,
                                     const std::string& field) const {
  if (!LevelFits(level, parent_level)) {
    return Status::Rejected("invalid_unit_level",
                            "a " + level + " cannot sit under " +
                                (parent_level.empty() ? std::string("nothing")
                                                      : "a " + parent_level),
                            field);
  }
  return Status::Ok();
}

// Admin at the acting unit, which must contain `target` ("" for a root:
// bootstrap only).
Status OrganisationRules::Authorise(const std::string& target) const {
  if (Bootstrap()) return Status::Ok();
  if (target.empty()) {
    return Status::Rejected("not_authorised",
                            "only bootstrap may create a root unit");
  }
  return authority_.HeldRole(actor_.user_id, kAdminRole, actor_.unit_id, target,
                             at_);
}

}  // namespace exemplar
