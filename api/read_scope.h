// Who may read what: a user reads what lies in the subtrees of the units
// where they hold a grant valid now. An auditor or integrator is granted at
// the root (explicitly, like any role) to read everything; the raw log
// (GET /v1/events, /v1/streams/{id}) is for such whole-tree readers only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/workflow/authority.h"
#include "events/status.h"

namespace exemplar::api {

// The units of `user`'s grants valid at `at_us`, each once, in grant order.
// kPermissionDenied when there is none: such a user may read nothing.
Result<std::vector<std::string>> ReadableUnits(const Authority& authority,
                                               const std::string& user,
                                               std::int64_t at_us);

// OK when one of `user`'s grants valid at `at_us` is at a root of the unit
// tree; kPermissionDenied otherwise.
Status CheckReadsWholeTree(const Authority& authority, const std::string& user,
                           std::int64_t at_us);

}  // namespace exemplar::api
