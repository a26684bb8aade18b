#include "api/sign_in_throttle.h"

#include <algorithm>

#include "engine/workflow/credentials.h"
#include "events/clock.h"

namespace exemplar::api {

SignInThrottle::SignInThrottle(ThrottleOptions options)
    : options_([&] {
        if (!options.clock) options.clock = SystemClockMicros;
        return std::move(options);
      }()) {}

std::int64_t SignInThrottle::WaitUs(const Failures& failures) const {
  if (failures.count < options_.free_failures) return 0;
  const int doublings = std::min(failures.count - options_.free_failures, 30);
  const std::int64_t delay = std::min(Micros(options_.first_delay) << doublings,
                                      Micros(options_.max_delay));
  return std::max<std::int64_t>(0, failures.last_us + delay - options_.clock());
}

std::int64_t SignInThrottle::RetryAfterSeconds(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto found = failures_.find(key);
  if (found == failures_.end()) return 0;
  const std::int64_t wait = WaitUs(found->second);
  return (wait + 999'999) / 1'000'000;
}

void SignInThrottle::Failed(const std::string& key) {
  const std::int64_t now = options_.clock();
  std::lock_guard lock(mutex_);
  if (failures_.size() >= options_.max_keys && !failures_.contains(key)) {
    MakeRoom(now);
  }
  Failures& failures = failures_[key];
  if (now - failures.last_us > Micros(options_.max_delay)) failures.count = 0;
  ++failures.count;
  failures.last_us = now;
}

void SignInThrottle::Succeeded(const std::string& key) {
  std::lock_guard lock(mutex_);
  failures_.erase(key);
}

void SignInThrottle::MakeRoom(std::int64_t now) {
  std::erase_if(failures_, [&](const auto& entry) {
    return now - entry.second.last_us > Micros(options_.max_delay) ||
           WaitUs(entry.second) == 0;
  });
  while (failures_.size() >= options_.max_keys) {
    auto oldest = std::min_element(failures_.begin(), failures_.end(),
                                   [](const auto& a, const auto& b) {
                                     return a.second.last_us < b.second.last_us;
                                   });
    failures_.erase(oldest);
  }
}

}  // namespace exemplar::api
