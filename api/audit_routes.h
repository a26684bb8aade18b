// Routes for auditors: the signed tree head, inclusion and consistency
// proofs, and the public key that signs heads.
#pragma once

#include "api/router.h"
#include "engine/audit/audit_log.h"

namespace exemplar::api {

// GET /v1/audit/head, /v1/audit/proof/inclusion, /v1/audit/proof/consistency,
// /v1/audit/public-key.
void AddAuditRoutes(Router& router, audit::AuditLog& audit);

}  // namespace exemplar::api
