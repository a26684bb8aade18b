#include "api/caller_slots.h"

namespace exemplar::api {

struct CallerSlots::Lease::State {
  std::mutex mu;
  std::map<std::string, std::size_t> by_user;   // guarded by mu
  std::map<std::string, std::size_t> by_token;  // guarded by mu
  std::size_t total = 0;                        // guarded by mu
};

namespace {

// Takes one from `counts[key]`, forgetting keys that reach zero so the map
// holds only callers with something open.
void Decrement(std::map<std::string, std::size_t>& counts,
               const std::string& key) {
  auto it = counts.find(key);
  if (it != counts.end() && --it->second == 0) counts.erase(it);
}

bool Full(const std::map<std::string, std::size_t>& counts,
          const std::string& key, std::size_t limit) {
  if (limit == 0) return false;
  auto it = counts.find(key);
  return it != counts.end() && it->second >= limit;
}

}  // namespace

CallerSlots::Lease::Lease(std::shared_ptr<State> state, std::string user,
                          std::string token)
    : state_(std::move(state)),
      user_(std::move(user)),
      token_(std::move(token)) {}

CallerSlots::Lease& CallerSlots::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    state_ = std::move(other.state_);
    user_ = std::move(other.user_);
    token_ = std::move(other.token_);
  }
  return *this;
}

CallerSlots::Lease::~Lease() { Release(); }

void CallerSlots::Lease::Release() {
  if (!state_) return;
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!user_.empty()) Decrement(state_->by_user, user_);
  if (!token_.empty()) Decrement(state_->by_token, token_);
  --state_->total;
  state_.reset();
}

CallerSlots::CallerSlots(CallerLimits limits)
    : limits_(limits), state_(std::make_shared<Lease::State>()) {}

std::optional<CallerSlots::Lease> CallerSlots::TryAcquire(
    const std::string& user, const std::string& token) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if ((limits_.total != 0 && state_->total >= limits_.total) ||
      (!user.empty() && Full(state_->by_user, user, limits_.per_user)) ||
      (!token.empty() && Full(state_->by_token, token, limits_.per_token))) {
    return std::nullopt;
  }
  if (!user.empty()) ++state_->by_user[user];
  if (!token.empty()) ++state_->by_token[token];
  ++state_->total;
  return Lease(state_, user, token);
}

Response TooManyRequests(const Request& request, const std::string& detail,
                         int retry_after_seconds) {
  Response response = Problem(request, http::status::too_many_requests,
                              "too_many_requests", detail);
  response.set(http::field::retry_after, std::to_string(retry_after_seconds));
  return response;
}

}  // namespace exemplar::api
