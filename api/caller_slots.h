// Fair shares of what is scarce: how many event streams, or how many
// requests waiting for a position, one user and one token may hold at
// once, so that no single client takes every slot and leaves the others
// waiting. A request over its share is answered 429 `too_many_requests`
// with `Retry-After` (TooManyRequests).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/http.h"

namespace exemplar::api {

struct CallerLimits {
  std::size_t per_user = 0;   // 0: no limit
  std::size_t per_token = 0;  // 0: no limit
  std::size_t total = 0;      // over every caller; 0: no limit
};

class CallerSlots {
 public:
  explicit CallerSlots(CallerLimits limits);

  // A slot held; given back when the lease is destroyed. A default lease
  // holds nothing.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept;
    ~Lease();

   private:
    friend class CallerSlots;
    struct State;
    Lease(std::shared_ptr<State> state, std::string user, std::string token);
    void Release();
    std::shared_ptr<State> state_;
    std::string user_;
    std::string token_;
  };

  // A slot for `user` holding `token`, or nullopt when the user, the token
  // or everyone together already holds their limit. An empty user (no
  // authentication, in-process tests) counts toward the total only.
  std::optional<Lease> TryAcquire(const std::string& user,
                                  const std::string& token);

 private:
  CallerLimits limits_;
  std::shared_ptr<Lease::State> state_;
};

// 429 `too_many_requests` with `Retry-After: <retry_after_seconds>`.
Response TooManyRequests(const Request& request, const std::string& detail,
                         int retry_after_seconds = 1);

}  // namespace exemplar::api
