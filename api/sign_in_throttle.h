// Slows password guessing: after `free_failures` failed sign-ins for one
// key (a user id, a remote address), each further attempt must wait, the
// wait doubling with every failure from `first_delay` up to `max_delay`.
// A success clears the key; failures are forgotten after `max_delay` with
// none. The table is bounded (`max_keys`): when full, keys not waiting are
// dropped first, then the oldest.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace exemplar::api {

struct ThrottleOptions {
  int free_failures = 5;
  std::chrono::seconds first_delay{1};
  std::chrono::seconds max_delay = std::chrono::minutes(15);
  std::size_t max_keys = 100000;
  // UTC microseconds; default the system clock.
  std::function<std::int64_t()> clock;
};

class SignInThrottle {
 public:
  explicit SignInThrottle(ThrottleOptions options = {});

  // Whole seconds `key` must wait before its next attempt; 0 when it may
  // try now.
  std::int64_t RetryAfterSeconds(const std::string& key) const;
  void Failed(const std::string& key);
  void Succeeded(const std::string& key);

 private:
  struct Failures {
    int count = 0;
    std::int64_t last_us = 0;
  };
  std::int64_t WaitUs(const Failures& failures) const;
  void MakeRoom(std::int64_t now);

  const ThrottleOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Failures> failures_;
};

}  // namespace exemplar::api
