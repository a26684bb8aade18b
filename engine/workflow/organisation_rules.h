// The checks the system commands share (organisation.h, reorganisation.h):
// who may act (an admin, or anyone during bootstrap), what the actor may
// see, and the rules of ids, names and levels. Private to engine/workflow/.
#pragma once

#include <cstdint>
#include <string>

#include "engine/workflow/authority.h"
#include "engine/workflow/organisation.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

inline constexpr char kAdminRole[] = "admin";

// "validation_failed" naming `field` unless `id` IsValidId.
Status CheckId(const std::string& id, const std::string& field);
// One line of at most 300 code points, NFC, not blank.
Status CheckName(const std::string& text, const std::string& field);
// The same over several lines, for the field "reason".
Status CheckReason(const std::string& text);
// Whether a unit of `level` may sit under one of `parent_level` ("" for a
// root).
bool LevelFits(const std::string& level, const std::string& parent_level);

// The checks of one system command, in the order they are made: who may
// act is settled before anything about the target is told.
class OrganisationRules {
 public:
  // `actor` and `authority` must outlive the object.
  OrganisationRules(const Actor& actor, std::int64_t at_us,
                    const Authority& authority);

 protected:
  // Until the first "admin" grant exists, anyone may.
  bool Bootstrap() const;
  // Whether the actor may see what belongs to `unit` (anything, during
  // bootstrap).
  bool Sees(const std::string& unit) const;
  // Refuses, naming no target, a user who holds "admin" at no unit now.
  Status AnyAdmin() const;
  Status Exists(const std::string& what, const std::string& id) const;
  // An existing unit the actor may see, else "unknown_unit" either way.
  Status SeenUnit(const std::string& id, const std::string& field) const;
  // An existing user whose home unit the actor may see, else
  // "unknown_user" either way.
  Status SeenUser(const std::string& id) const;
  // A unit already known to exist is open.
  Status OpenUnit(const std::string& id, const std::string& field) const;
  // A user already known to exist is active.
  Status ActiveUser(const std::string& id) const;
  // "invalid_unit_level" naming `field` unless LevelFits.
  Status CheckLevel(const std::string& level, const std::string& parent_level,
                    const std::string& field = "parent_id") const;
  // Admin at the acting unit, which must contain `target` ("" for a root:
  // bootstrap only).
  Status Authorise(const std::string& target) const;

  const Actor& actor_;
  const Authority& authority_;
  const std::int64_t at_;
};

}  // namespace exemplar
