#include "api/bootstrap.h"

#include <algorithm>

#include "events/clock.h"

namespace exemplar::api {

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
  const Actor admin{kAdminUserId, "admin", kRootUnitId};
  const std::string request_id = "bootstrap";
  const std::string remote_address;  // made by the server, not a request
  for (SystemAction action : std::vector<SystemAction>{
           UnitCreated{kRootUnitId, "Trung ương", "central", ""},
           UserRegistered{kAdminUserId, "Quản trị hệ thống", kRootUnitId},
           RoleGranted{"g-admin", kAdminUserId, "admin", kRootUnitId, at_us,
                       0}}) {
    Result<AppendResult> done = handler.Handle(
        SystemCommand{action, admin, at_us, request_id, remote_address});
    if (!done.ok()) return done.status();
  }
  // A token's life counts on the wall clock: it is issued now even when the
  // organisation is founded in the past (the demo).
  const std::int64_t issued_at = std::max(now, at_us);
  Result<IssuedToken> issued =
      IssueToken(handler, &tokens, *token,
                 SystemCommand{TokenIssuedFor(*token, kAdminUserId, issued_at,
                                              kFirstAdminTokenLifetime),
                               admin, issued_at, request_id, remote_address});
  if (!issued.ok()) return issued.status();
  return std::optional<IssuedToken>(*issued);
}

}  // namespace exemplar::api
