// People's passwords: Argon2id hashes (libsodium's crypto_pwhash_str) kept
// in the side store (SideSpace::kPasswords), never in the log.
//
// Cost: each hash takes `memory_bytes` of memory and `operations` passes
// over it (default libsodium's "interactive" limits, 64 MiB and 2 passes,
// about 0.1 s of one core; docs/architecture.md says why). So that a flood
// of sign-ins cannot take all memory and CPU, at most `concurrent` hashes
// run at once and `queued` more wait for a turn; any beyond are refused at
// once (kUnavailable "busy") rather than queued without end.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/side_store.h"
#include "events/status.h"

namespace exemplar::api {

struct PasswordOptions {
  std::uint64_t operations = 2;                 // OPSLIMIT_INTERACTIVE
  std::size_t memory_bytes = 64 * 1024 * 1024;  // MEMLIMIT_INTERACTIVE
  int concurrent = 2;                           // hashes computed at once
  int queued = 4;  // requests waiting for a turn beyond those
};

// The shortest and longest password accepted, in code points and bytes.
inline constexpr std::size_t kMinPasswordCodePoints = 10;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// OK when `password` may be set: valid UTF-8, at least
// kMinPasswordCodePoints code points, at most kMaxPasswordBytes bytes;
// else kInvalidArgument naming the field "password".
Status CheckNewPassword(std::string_view password);

// A bounded number of turns: at most `concurrent` held at once, at most
// `queued` callers waiting for one.
class TurnGate {
 public:
  TurnGate(int concurrent, int queued);

  // A turn, held until it is destroyed; nullopt when `queued` callers
  // already wait.
  class Turn {
   public:
    explicit Turn(TurnGate* gate) : gate_(gate) {}
    Turn(Turn&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    Turn& operator=(Turn&&) = delete;
    ~Turn();

   private:
    TurnGate* gate_;
  };
  // Waits for a turn, or refuses at once when the queue is full.
  std::optional<Turn> Enter();

  int running() const;
  int waiting() const;

 private:
  void Leave();
  const int concurrent_;
  const int queued_;
  mutable std::mutex mutex_;
  std::condition_variable turn_free_;
  int running_ = 0;
  int waiting_ = 0;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordOptions options = {});

  // The Argon2id string of `password` (salt and limits included).
  // kUnavailable "busy" when no turn is free; kInternal when libsodium
  // fails (out of memory).
  Result<std::string> Hash(std::string_view password);
  // Whether `password` matches `stored` (an Argon2id string); with no stored
  // hash, checks against a fixed one and answers false, so that an unknown
  // user costs what a wrong password does. kUnavailable "busy" as Hash.
  Result<bool> Verify(const std::optional<std::string>& stored,
                      std::string_view password);

  const TurnGate& gate() const { return gate_; }

 private:
  PasswordOptions options_;
  TurnGate gate_;
  std::string decoy_;  // a hash of a random password, for unknown users
};

// The stored hash of `user_id`'s password; nullopt when none was set.
// Errors: kIoError.
Result<std::optional<std::string>> StoredPassword(const SideStore& side,
                                                  const std::string& user_id);
// Stores `hash` as `user_id`'s password, on disk before it returns.
Status StorePassword(SideStore& side, const std::string& user_id,
                     const std::string& hash);

}  // namespace exemplar::api
