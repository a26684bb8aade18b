// Authentication and the choice of the acting role: a bearer token names a
// user; what that user may do is the engine's decision (roles, unit scope,
// four-eyes), so this module only works out which of the user's grants a
// request acts under.
//
// Choosing the acting role and unit: a user may hold several grants. A
// request may name one with the headers `X-Acting-Role` and
// `X-Acting-Unit`; otherwise, of the user's grants valid now whose role may
// take the action (and, when the target's unit is known, whose unit
// contains it), the one at the most specific unit is used. When grants of
// different roles remain, the request is refused as ambiguous (400
// `ambiguous_role`) and must name one. When no grant fits, the request goes
// to the engine as the named role (or one the user holds, or the action's
// first) and the engine's rejection (403) says why.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/router.h"
#include "api/tokens.h"
#include "api/web_sessions.h"
#include "engine/workflow/authority.h"

namespace exemplar::api {

// Whether `user` is registered and active at `at_us`; an error when that
// cannot be told (the authority model failed to load).
using UserActive =
    std::function<Result<bool>(const std::string& user, std::int64_t at_us)>;

// The router guard: `Authorization: Bearer <token>` must name a live token;
// otherwise 401 `unauthenticated` (401 `token_expired` for an expired one)
// with `WWW-Authenticate: Bearer`. The token's user must be active now
// (`user_active`): a deactivated user's tokens are refused with 401
// `user_inactive`, so deactivation ends every access at once. Sets
// context.user_id, context.token_id and context.token_expires_at_us.
// `tokens` must outlive the guard.
Guard BearerGuard(const TokenRegistry& tokens, UserActive user_active);

// The router guard for machines and people. A request with an
// Authorization header is judged by its bearer token alone (BearerGuard).
// Otherwise the session cookie (api/web_sessions.h) must name a live
// session (401 `unauthenticated` when it does not, with a clearing
// Set-Cookie) of an active user (401 `user_inactive`, which also ends the
// session). A cookie-authenticated request is refused 403 `csrf_rejected`
// when its Origin names another origin than this server's (`public_origin`,
// or the request's own Host; api/forwarded.h), or, unless it is a GET or
// HEAD, when it lacks the session's X-CSRF-Token. Sets context.user_id and
// context.session_id. `tokens` and `sessions` must outlive the guard.
Guard CallerGuard(const TokenRegistry& tokens, WebSessions& sessions,
                  UserActive user_active, std::string public_origin);

// The Set-Cookie value carrying `secret` (empty: one that clears the
// cookie): HttpOnly, SameSite=Strict, Path=/, and Secure when `secure`.
std::string SessionCookie(const std::string& secret, bool secure);

// What a request asks to act as.
struct ActingChoice {
  std::string role;  // X-Acting-Role, or empty
  std::string unit;  // X-Acting-Unit, or empty
};

// The choice the request's headers make.
ActingChoice ActingChoiceOf(const Request& request);

// The actor for `user` taking an action open to `allowed_roles` on something
// of `target_unit` (empty when unknown) at `at_us`, following the rules at
// the top of this file. kRejected "ambiguous_role" (field X-Acting-Role)
// when the choice is not unique.
Result<Actor> ResolveActor(const Authority& authority, const std::string& user,
                           const std::vector<std::string>& allowed_roles,
                           const ActingChoice& choice,
                           const std::string& target_unit, std::int64_t at_us);

}  // namespace exemplar::api
