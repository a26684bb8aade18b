// Who may read what: a user reads what lies in the subtrees of the units
// where they hold a grant valid now, in the unit tree as it is now. One rule
// for every read, live or as of the past, the event stream's history
// included: an exemplar is visible when its unit (fixed when it was
// detected) lies today in such a subtree, whatever the tree was when the
// events shown happened. An auditor or integrator is granted at the root
// (explicitly, like any role) to read everything; the raw log
// (GET /v1/events, /v1/streams/{id}) is for such whole-tree readers only.
//
// Across a reorganisation (merge, split, dissolved level) the rule follows
// lineage: a unit a reorganisation ended lies, from then on, where its
// successors lie (UnitTree::IsWithin). So a successor's readers see its
// predecessors' exemplars and history, those carried over and any not yet
// carried over, and a predecessor's readers lose them with their grants,
// which end with the unit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/workflow/authority.h"
#include "events/status.h"
#include "projections/queries.h"

namespace exemplar::api {

// The units of `user`'s grants valid at `at_us`, each once, in grant order.
// kPermissionDenied when there is none: such a user may read nothing.
Result<std::vector<std::string>> ReadableUnits(const Authority& authority,
                                               const std::string& user,
                                               std::int64_t at_us);

// What `user` may read: the units of their grants valid at `now_us`, in
// `tree` (the unit tree as it is now) at `now_us`. kPermissionDenied as
// ReadableUnits.
Result<projections::ReadScope> ReaderScope(
    std::shared_ptr<const Authority> tree, const std::string& user,
    std::int64_t now_us);

// OK when one of `user`'s grants valid at `at_us` is at a root of the unit
// tree; kPermissionDenied otherwise.
Status CheckReadsWholeTree(const Authority& authority, const std::string& user,
                           std::int64_t at_us);

}  // namespace exemplar::api
