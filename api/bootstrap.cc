#include "api/bootstrap.h"

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
  if (!secret.empty()) EXEMPLAR_RETURN_IF_ERROR(CheckTokenSecret(secret));
  if (at_us == 0) at_us = SystemClockMicros();
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
  Result<IssuedToken> token = tokens.Issue(
      kAdminUserId, TokenChange{admin, request_id, remote_address, at_us},
      kFirstAdminTokenLifetime, secret);
  if (!token.ok()) return token.status();
  return std::optional<IssuedToken>(*token);
}

}  // namespace exemplar::api
