#include "api/read_scope.h"

#include <algorithm>

namespace exemplar::api {

Result<std::vector<std::string>> ReadableUnits(const Authority& authority,
                                               const std::string& user,
                                               std::int64_t at_us) {
  std::vector<std::string> units;
  for (const GrantRecord* grant : authority.GrantsOf(user, at_us)) {
    if (std::find(units.begin(), units.end(), grant->unit_id) == units.end()) {
      units.push_back(grant->unit_id);
    }
  }
  if (units.empty()) {
    return Status::PermissionDenied("user " + user +
                                    " holds no grant, so may read nothing");
  }
  return units;
}

Result<projections::ReadScope> ReaderScope(
    std::shared_ptr<const Authority> tree, const std::string& user,
    std::int64_t now_us) {
  auto units = ReadableUnits(*tree, user, now_us);
  if (!units.ok()) return units.status();
  return projections::ReadScope{std::move(tree), now_us, std::move(*units)};
}

Status CheckReadsWholeTree(const Authority& authority, const std::string& user,
                           std::int64_t at_us) {
  for (const GrantRecord* grant : authority.GrantsOf(user, at_us)) {
    const UnitRecord* unit = authority.FindUnit(grant->unit_id);
    if (unit && unit->ParentAt(at_us).empty()) return Status::Ok();
  }
  return Status::PermissionDenied(
      "reading the whole log needs a grant at the root unit (e.g. auditor or "
      "integrator)");
}

}  // namespace exemplar::api
