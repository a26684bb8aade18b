// API tokens: random bearer secrets that act as a user. A secret is shown
// once, when it is issued; the server keeps only its SHA-256.
//
// Durability: issuing and revoking are events in the log, one stream per
// token ("token-<token id>", payload holding only the hash). So a revocation
// survives restarts, is hash-chained like every other fact, and an auditor
// can see who issued or revoked which token when. A stream of its own (rather
// than "user-<id>") keeps token churn from moving the user's stream version,
// which clients use with If-Match, and makes a second revocation of the same
// token a version conflict the store itself refuses.
//
// Expiry: every token stops working at a wall-clock instant fixed when it
// is issued (the issuing event's recorded time may be in the past, as the
// demo's is). Tokens issued before expiry existed (token_issued schema
// version 1) never expire.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cereal/types/string.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "engine/event_store.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar::api {

// How long a token lives when nobody says otherwise, and the bounds a
// caller may choose within.
inline constexpr std::chrono::hours kDay{24};
inline constexpr std::chrono::seconds kUserTokenLifetime = 90 * kDay;
inline constexpr std::chrono::seconds kFirstAdminTokenLifetime = 30 * kDay;
inline constexpr std::chrono::seconds kDemoTokenLifetime = 30 * kDay;
inline constexpr int kMinTokenLifetimeDays = 1;
inline constexpr int kMaxTokenLifetimeDays = 365;

struct TokenIssued {
  static constexpr char kType[] = "token_issued";
  // 2: expires_at_us added. Version 1 upcasts with no expiry.
  static constexpr std::uint32_t kSchemaVersion = 2;
  std::string token_id;
  std::string user_id;
  std::string secret_sha256;  // hex of SHA-256 of the secret
  // Wall-clock UTC microseconds from which the token is refused; 0: never.
  std::int64_t expires_at_us = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id, secret_sha256, expires_at_us);
  }
  static Result<TokenIssued> Upcast(std::uint32_t version,
                                    std::string_view bytes);
};

struct TokenRevoked {
  static constexpr char kType[] = "token_revoked";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string token_id;
  std::string user_id;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id);
  }
};

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

// What Issue returns: the secret is not kept anywhere.
struct IssuedToken {
  std::string token_id;
  std::string secret;
  std::uint64_t position = 0;  // log position of the token_issued event
  std::int64_t expires_at_us = 0;
};

// Who asks for a token change, for the event's envelope.
struct TokenChange {
  Actor actor;
  std::string request_id;
  std::string remote_address;  // the client's IP address; empty: no request
  // Time of the change, UTC microseconds; 0 lets the store stamp it.
  std::int64_t at_us = 0;
};

class TokenRegistry {
 public:
  // Folds every token event of `store`, which must outlive the registry.
  // `clock` is the wall clock expiry is counted on (UTC microseconds;
  // default the system clock). Errors: the store's read errors,
  // kCorruption for an undecodable payload.
  static Result<std::unique_ptr<TokenRegistry>> Load(
      EventStore* store, std::function<std::int64_t()> clock = {});

  // Issues a token for `user_id` that expires `lifetime` after now on the
  // registry's clock (whatever change.at_us says). With `secret` empty a
  // random one is drawn (OpenSSL RAND_bytes, 32 bytes); a given secret
  // (EXEMPLAR_ADMIN_TOKEN) must be 20 to 200 printable ASCII characters
  // (kInvalidArgument). The caller checks that the user exists and may be
  // given a token.
  Result<IssuedToken> Issue(const std::string& user_id,
                            const TokenChange& change,
                            std::chrono::seconds lifetime,
                            const std::string& secret = {});

  // Revokes a token. kNotFound for an unknown id; kRejected
  // "already_revoked" when it was revoked before.
  Result<std::uint64_t> Revoke(const std::string& token_id,
                               const TokenChange& change);

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

// `bytes` random bytes (OpenSSL RAND_bytes) in lower-case hex; kInternal if
// the generator fails.
Result<std::string> RandomHex(std::size_t bytes);

// `bytes` random bytes in lower-case hex from a per-thread generator seeded
// from OpenSSL's: for ids that must not collide but need not be secret
// (exemplar ids, grant ids). Unlike RandomHex it makes no system call, which
// OpenSSL's fork check costs on every call.
std::string RandomIdHex(std::size_t bytes);

// The hex SHA-256 of a secret, as stored.
std::string HashSecret(std::string_view secret);

// OK when `secret` may be a token chosen by the operator
// (EXEMPLAR_ADMIN_TOKEN): 20 to 200 printable ASCII characters; otherwise
// kInvalidArgument.
Status CheckTokenSecret(const std::string& secret);

}  // namespace exemplar::api
