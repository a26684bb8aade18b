// The sessions of people signed in with a password (the console's), kept in
// the side store (SideSpace::kWebSessions) so that they survive a restart.
// A session is known by the SHA-256 of its secret, which only the person's
// cookie holds; its public id is what the log's signed_in and signed_out
// events name.
//
// A session ends when it is removed (sign-out, a new password), after
// `idle_timeout` without a request, and at its absolute end (the signed_in
// event's expires_at_us); a deactivated user's sessions are refused by the
// guard (api/auth.h), as their tokens are. Ended sessions are forgotten as
// they are met and swept when a session is added.
//
// The last use is kept in memory at every request and written (buffered)
// only when it has moved by a tenth of the idle time or a minute, so a
// restart may make a session look up to that much older than it is.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/side_store.h"
#include "engine/workflow/credentials.h"
#include "events/status.h"

namespace exemplar::api {

struct WebSession {
  std::string session_id;
  std::string user_id;
  std::int64_t created_at_us = 0;
  std::int64_t expires_at_us = 0;  // absolute end
  std::int64_t last_seen_at_us = 0;
};

struct WebSessionOptions {
  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  // UTC microseconds; default the system clock.
  std::function<std::int64_t()> clock;
};

// The cookie that carries a session's secret.
inline constexpr char kSessionCookie[] = "exemplar_session";

class WebSessions {
 public:
  // Loads the sessions `side` holds; `side` must outlive the result.
  // Errors: kIoError, kCorruption for an unreadable entry.
  static Result<std::unique_ptr<WebSessions>> Load(SideStore& side,
                                                   WebSessionOptions options);

  // Starts `session` for `user_id` until `expires_at_us`, on disk before it
  // returns. Errors: kIoError.
  Status Add(const NewSession& session, const std::string& user_id,
             std::int64_t expires_at_us);
  // The live session whose secret is `secret`, its last use moved to now.
  // kNotFound for an unknown, ended or idle one (an ended one is
  // forgotten).
  Result<WebSession> Touch(std::string_view secret);
  // Ends the session whose secret is `secret`; the session it was, nullopt
  // when there was none. Errors: kIoError.
  Result<std::optional<WebSession>> Remove(std::string_view secret);
  // Ends every session of `user_id`. Errors: kIoError.
  Status RemoveUser(const std::string& user_id);

  std::chrono::seconds idle_timeout() const { return options_.idle_timeout; }
  std::size_t size() const;

  // The token a session's requests must carry in X-CSRF-Token: derived from
  // the secret, so it needs no storage and no one without the cookie's value
  // can make it.
  static std::string CsrfToken(std::string_view secret);

 private:
  WebSessions(SideStore& side, WebSessionOptions options);
  bool Ended(const WebSession& session, std::int64_t now) const;
  Status Persist(const std::string& key, const WebSession& session,
                 Durability durability);
  Status Forget(const std::vector<std::string>& keys, Durability durability);

  SideStore& side_;
  const WebSessionOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, WebSession> by_hash_;  // hex SHA-256 of the secret
  std::map<std::string, std::int64_t> persisted_seen_;  // by hash
};

// The value of cookie `name` in the request's Cookie headers; empty when
// absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace exemplar::api
