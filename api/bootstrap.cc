#include "api/bootstrap.h"

#include <algorithm>

#include "events/clock.h"

namespace exemplar::api {

Status FoundOrganisation(CommandHandler& handler, std::int64_t at_us) {
  const Actor admin{kAdminUserId, "admin", kRootUnitId};
  for (SystemAction action : std::vector<SystemAction>{
           UnitCreated{kRootUnitId, "Trung ương", "central", ""},
           UserRegistered{kAdminUserId, "Quản trị hệ thống", kRootUnitId},
           RoleGranted{"g-admin", kAdminUserId, "admin", kRootUnitId, at_us,
                       0}}) {
    // Made by the server, not a request: no remote address.
    Result<AppendResult> done =
        handler.Handle(SystemCommand{action, admin, at_us, "bootstrap", ""});
    if (!done.ok()) return done.status();
  }
  return Status::Ok();
}

Status RecordWorkflowDefinition(CommandHandler& handler, std::int64_t at_us) {
  Result<AppendResult> done = handler.Handle(SystemCommand{
      RecordOf(handler.definition()), Actor{kAdminUserId, "admin", kRootUnitId},
      at_us, "bootstrap", ""});
  if (!done.ok() && done.status().reason() == "already_exists") {
    return Status::Ok();
  }
  return done.status();
}

Result<std::optional<IssuedToken>> BootstrapIfEmpty(EventStore& store,
                                                    CommandHandler& handler,
                                                    TokenRegistry& tokens,
                                                    const std::string& secret,
                                                    std::int64_t at_us) {
  if (store.head().position != 0) return std::optional<IssuedToken>();
  // Refuse a bad secret before writing anything: a store holding an admin
  // without a token could never be administered.
  Result<NewToken> token = DrawToken(secret);
  if (!token.ok()) return token.status();
  const std::int64_t now = SystemClockMicros();
  if (at_us == 0) at_us = now;
  EXEMPLAR_RETURN_IF_ERROR(FoundOrganisation(handler, at_us));
  // A token's life counts on the wall clock: it is issued now even when the
  // organisation is founded in the past (a test's fixed clock).
  const std::int64_t issued_at = std::max(now, at_us);
  Result<IssuedToken> issued =
      IssueToken(handler, &tokens, *token,
                 SystemCommand{TokenIssuedFor(*token, kAdminUserId, issued_at,
                                              kFirstAdminTokenLifetime),
                               Actor{kAdminUserId, "admin", kRootUnitId},
                               issued_at, "bootstrap", ""});
  if (!issued.ok()) return issued.status();
  return std::optional<IssuedToken>(*issued);
}

}  // namespace exemplar::api
