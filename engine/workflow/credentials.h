// Sign-in credentials, the engine's side: the one-time setup codes an admin
// issues and the session ids and secrets of people signed in are drawn here,
// and their lifetimes fixed here. Who may issue a code, when a code sets a
// password and who may sign in are rules of DecideSystem (organisation.h);
// the log keeps a code only as its SHA-256 and a session only by its id
// (events/system_events.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/workflow/authority.h"
#include "events/status.h"
#include "events/system_events.h"

namespace exemplar {

// How long a setup code may be used, and a session may last however busy.
inline constexpr std::chrono::hours kSetupCodeLifetime{72};
inline constexpr std::chrono::hours kSessionLifetime{12};

// A setup code: 12 characters of an alphabet without look-alikes (60 bits)
// as "XXXX-XXXX-XXXX", from OpenSSL's generator. kInternal if it fails.
Result<std::string> DrawSetupCode();

// The hex SHA-256 of a code as typed: case, spaces and dashes do not matter.
std::string SetupCodeHash(std::string_view typed);

// The event issuing `code` to `user_id` at `at_us`, for kSetupCodeLifetime.
SetupCodeIssued SetupCodeIssuedFor(const std::string& user_id,
                                   std::string_view code, std::int64_t at_us);

// A session drawn but not yet signed in: its public id ("ses" + 16 hex) and
// its secret (64 hex), which only the person's cookie holds.
struct NewSession {
  std::string session_id;
  std::string secret;
};

// Draws a session from OpenSSL's generator; kInternal if it fails.
Result<NewSession> DrawSession();

// The event signing `user_id` in to `session` at `at_us`, for
// kSessionLifetime.
SignedIn SignedInFor(const NewSession& session, const std::string& user_id,
                     std::int64_t at_us);

// The rules of a person's own credential commands (DecideSystem applies
// them; each records the user as acting with no role at their home unit).
// Each refuses in one way whatever the cause, so an unauthenticated caller
// learns nothing of who exists:
// - PasswordSet: the user is active and `code_sha256` is their latest code,
//   unused and not expired at `at_us`; else kRejected "invalid_setup_code"
//   (field setup_code).
// - SignedIn: the user is active and has set a password; else kRejected
//   "invalid_credentials". The session id must be valid and the expiry
//   within kSessionLifetime (validation_failed).
// - SignedOut: the user is registered (deactivated or not); else
//   "unknown_user".
Status CheckPasswordSet(const PasswordSet& e, const Authority& authority,
                        std::int64_t at_us);
Status CheckSignedIn(const SignedIn& e, const Authority& authority,
                     std::int64_t at_us);
Status CheckSignedOut(const SignedOut& e, const Authority& authority);

// Microseconds in `duration`.
inline std::int64_t Micros(std::chrono::seconds duration) {
  return std::chrono::duration_cast<std::chrono::microseconds>(duration)
      .count();
}

}  // namespace exemplar
