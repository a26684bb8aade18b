// API tokens, the server's side: the registry that authenticates bearer
// secrets, a read model of the token events (events/system_events.h). Who
// may issue or revoke a token, and the ids, secrets and lifetimes, are the
// engine's (engine/workflow/organisation.h, tokens.h); tokens are issued and
// revoked through the command handler like every other system command.
//
// The registry stays here rather than in the engine's authority model: it
// holds the secrets' hashes, which no decision reads, and it answers every
// request's guard from its own map without taking the command handler's
// authority lock.
//
// Expiry: every token stops working at the wall-clock instant its event
// names. Tokens issued before expiry existed (token_issued schema version
// 1) never expire.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/tokens.h"
#include "events/envelope.h"
#include "events/status.h"
#include "events/system_events.h"

namespace exemplar::api {

// A token as the registry knows it (never the secret).
struct TokenInfo {
  std::string token_id;
  std::string user_id;
  bool revoked = false;
  std::int64_t expires_at_us = 0;  // 0: never

  bool ExpiredAt(std::int64_t at_us) const {
    return expires_at_us != 0 && at_us >= expires_at_us;
  }
};

// A token just issued: the secret is not kept anywhere.
struct IssuedToken {
  std::string token_id;
  std::string secret;
  std::uint64_t position = 0;  // log position of the token_issued event
  std::int64_t expires_at_us = 0;
};

class TokenRegistry {
 public:
  // Folds every token event of `store`, which must outlive the registry.
  // `clock` is the wall clock expiry is checked on (UTC microseconds;
  // default the system clock). Errors: the store's read errors,
  // kCorruption for an undecodable payload.
  static Result<std::unique_ptr<TokenRegistry>> Load(
      EventStore* store, std::function<std::int64_t()> clock = {});

  // Folds the events from `first` to `last` (log positions just appended,
  // e.g. an AppendResult's), so that the guard knows a token issued or
  // revoked before the answer goes out. Events of other types are skipped.
  Status Learn(std::uint64_t first, std::uint64_t last);

  // The live token whose secret is `secret`. kNotFound for an unknown or
  // revoked one; kRejected "token_expired" once it has expired.
  Result<TokenInfo> Authenticate(std::string_view secret) const;

  // The token with this id, revoked or not; nullopt when unknown.
  std::optional<TokenInfo> Find(const std::string& token_id) const;

 private:
  TokenRegistry(EventStore* store, std::function<std::int64_t()> clock)
      : store_(store), clock_(std::move(clock)) {}
  Status Fold(const EventRecord& record);

  EventStore* store_;
  const std::function<std::int64_t()> clock_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, TokenInfo> by_id_;
  std::map<std::string, std::string> id_by_hash_;  // hex SHA-256 -> id
};

// Issues `token` through `handler`: `command` holds its TokenIssued (see
// TokenIssuedFor), which the engine decides. On success `tokens` (when
// given) learns it and the secret comes back with the event's position.
// Errors: the engine's rejections, the store's.
Result<IssuedToken> IssueToken(CommandHandler& handler, TokenRegistry* tokens,
                               const NewToken& token,
                               const SystemCommand& command);

}  // namespace exemplar::api
