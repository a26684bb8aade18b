// Routes for auditors: the signed tree head, inclusion and consistency
// proofs, and the public key that signs heads.
#pragma once

#include <chrono>
#include <functional>

#include "api/router.h"
#include "engine/audit/audit_log.h"

namespace exemplar::api {

struct AuditRouteOptions {
  // Who may have a head signed on demand (`?fresh=1`): OK or why not.
  // Unset: anyone authenticated.
  std::function<Status(const RouteParams&)> authorize_fresh;
  // Heads signed on demand, over all callers, at most once per this; a
  // request within it gets the latest head instead. Default 1 s.
  std::chrono::milliseconds min_fresh_interval{1000};
};

// GET /v1/audit/head, /v1/audit/proof/inclusion, /v1/audit/proof/consistency,
// /v1/audit/public-key. `/v1/audit/head?fresh=1` asks for a head signed
// over the log as it is now; each such signature costs a signing and a
// write, so it is limited as `options` says.
void AddAuditRoutes(Router& router, audit::AuditLog& audit,
                    AuditRouteOptions options = {});

}  // namespace exemplar::api
