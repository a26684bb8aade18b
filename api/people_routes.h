// People sign in with a user name and a password; bearer tokens stay for
// machines (api/auth.h's CallerGuard accepts either).
//
//   POST   /v1/session          public; {"user_id","password"} -> 200 Me and
//                               the session cookie; 401 invalid_credentials
//                               (one answer for every cause), 429
//                               too_many_attempts with Retry-After, 503 busy
//   GET    /v1/session          Me of the caller (cookie or bearer)
//   DELETE /v1/session          ends the cookie's session -> 204, clearing
//                               the cookie
//   POST   /v1/users/{id}/setup-codes  an admin issues a one-time code ->
//                               201 {"user_id","setup_code","expires_at"}
//   POST   /v1/password         public; {"user_id","setup_code","password"}
//                               -> 204; 401 invalid_setup_code
//
// Me: {"user_id","full_name","home_unit_id","auth":"session"|"bearer",
// "csrf_token" (session only),"idle_timeout_s","admin","grants":[{"grant_id",
// "role","unit_id","unit_name"}]} (grants valid now).
//
// Signing in and out, issuing a code and setting a password are system
// commands the engine decides (engine/workflow/credentials.h) and events in
// the log; failed sign-ins are not: they go to the access log and to
// exemplar_sign_in_failures_total, and slow later attempts
// (api/sign_in_throttle.h) per user id and per remote address. The public
// routes refuse a request whose Origin names another origin (403
// csrf_rejected), so no other site can sign a browser in.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/metrics.h"
#include "api/passwords.h"
#include "api/router.h"
#include "api/sign_in_throttle.h"
#include "api/web_sessions.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"

namespace exemplar::api {

struct PeopleOptions {
  // The server's public address (--public-url): its origin is the one
  // browsers must name, and an https one marks cookies Secure. Empty: the
  // request's own Host.
  std::string public_url;
  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  PasswordOptions passwords;
  ThrottleOptions per_user;
  // Many people may sit behind one address (an office's NAT, a proxy).
  ThrottleOptions per_address = [] {
    ThrottleOptions options;
    options.free_failures = 20;
    return options;
  }();
};

// What the sign-in routes and the guard share, made once per service.
class People {
 public:
  // Loads the sessions from the store's side store. Errors: kInvalidArgument
  // for a public URL that is no http(s) URL, the side store's.
  static Result<std::unique_ptr<People>> Open(EventStore& store,
                                              PeopleOptions options);

  PasswordHasher& hasher() { return hasher_; }
  WebSessions& sessions() { return *sessions_; }
  SignInThrottle& per_user() { return per_user_; }
  SignInThrottle& per_address() { return per_address_; }
  SideStore& side() { return side_; }
  // The origin of the public URL; empty when none was given.
  const std::string& public_origin() const { return public_origin_; }
  std::atomic<std::uint64_t>& failures() { return failures_; }

 private:
  People(EventStore& store, const PeopleOptions& options);
  SideStore& side_;
  PasswordHasher hasher_;
  SignInThrottle per_user_;
  SignInThrottle per_address_;
  std::unique_ptr<WebSessions> sessions_;
  std::string public_origin_;
  std::atomic<std::uint64_t> failures_{0};
};

// Sets a password: appends `command` (a PasswordSet, which the engine
// decides), then stores `password_hash` as the user's password and ends
// their sessions. Errors: the engine's rejections, the store's.
Status RecordPassword(CommandHandler& handler, People& people,
                      const SystemCommand& command,
                      const std::string& password_hash);

// Registers the routes above and exemplar_sign_in_failures_total. Every
// referenced object must outlive the router.
void AddPeopleRoutes(Router& router, People& people, CommandHandler& handler,
                     Metrics& metrics);

}  // namespace exemplar::api
