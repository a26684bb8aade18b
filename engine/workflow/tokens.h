// API tokens, the engine's side: random bearer secrets that act as a user.
// A secret is shown once, when it is issued; the log keeps only its SHA-256
// (token_issued, see events/system_events.h). Who may issue or revoke one
// is a system command's rule (organisation.h); this module draws the id and
// the secret and fixes the lifetimes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/status.h"
#include "events/system_events.h"

namespace exemplar {

// How long a token lives when nobody says otherwise, and the bounds a
// caller may choose within.
inline constexpr std::chrono::hours kDay{24};
inline constexpr std::chrono::seconds kUserTokenLifetime = 90 * kDay;
inline constexpr std::chrono::seconds kFirstAdminTokenLifetime = 30 * kDay;
inline constexpr std::chrono::seconds kDemoTokenLifetime = 30 * kDay;
inline constexpr int kMinTokenLifetimeDays = 1;
inline constexpr int kMaxTokenLifetimeDays = 365;

// A token drawn but not yet issued.
struct NewToken {
  std::string token_id;
  std::string secret;  // shown once, never stored
};

// Draws a token: a random id (NewTokenId) and, with `secret` empty, a random
// secret "exm_" + 64 hex (OpenSSL RAND_bytes, 32 bytes). A given secret
// (EXEMPLAR_ADMIN_TOKEN) must pass CheckTokenSecret (kInvalidArgument).
Result<NewToken> DrawToken(const std::string& secret = {});

// The event issuing `token` to `user_id` at `at_us`, expiring `lifetime`
// later.
TokenIssued TokenIssuedFor(const NewToken& token, const std::string& user_id,
                           std::int64_t at_us, std::chrono::seconds lifetime);

// The hex SHA-256 of a secret, as stored.
std::string HashSecret(std::string_view secret);

// OK when `secret` may be a token chosen by the operator
// (EXEMPLAR_ADMIN_TOKEN): 20 to 200 printable ASCII characters; otherwise
// kInvalidArgument (field "token").
Status CheckTokenSecret(const std::string& secret);

}  // namespace exemplar
