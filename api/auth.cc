#include "api/auth.h"

#include <algorithm>

#include "api/forwarded.h"
#include "events/clock.h"

namespace exemplar::api {
namespace {

constexpr std::string_view kBearer = "bearer ";

Response Unauthenticated(const Request& request, const std::string& detail) {
  Response response = Problem(request, http::status::unauthorized,
                              "unauthenticated", detail, "Authorization");
  response.set(http::field::www_authenticate, "Bearer");
  return response;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

// Steps from `unit` up to the root at `at_us`.
int Depth(const Authority& authority, const std::string& unit,
          std::int64_t at_us) {
  int depth = 0;
  const UnitRecord* record = authority.FindUnit(unit);
  while (record && !record->ParentAt(at_us).empty() && depth < 100) {
    record = authority.FindUnit(record->ParentAt(at_us));
    ++depth;
  }
  return depth;
}

// The actor when no grant fits: the named role and unit where given, else
// one of the user's own grants (so the engine can say the role may not act),
// else the action's first role at the user's home unit.
Actor FallbackActor(const Authority& authority, const std::string& user,
                    const std::vector<std::string>& allowed_roles,
                    const ActingChoice& choice, std::int64_t at_us) {
  Actor actor{user, choice.role, choice.unit};
  std::vector<const GrantRecord*> held = authority.GrantsOf(user, at_us);
  if (actor.role.empty() && !held.empty()) {
    actor.role = held.front()->role;
    if (actor.unit_id.empty()) actor.unit_id = held.front()->unit_id;
  }
  if (actor.role.empty() && !allowed_roles.empty()) {
    actor.role = allowed_roles.front();
  }
  if (actor.unit_id.empty()) {
    if (const UserRecord* record = authority.FindUser(user)) {
      actor.unit_id = record->home_unit_id;
    }
  }
  return actor;
}

}  // namespace

Guard BearerGuard(const TokenRegistry& tokens, UserActive user_active) {
  return [&tokens, user_active = std::move(user_active)](
             const Request& request,
             RequestContext& context) -> std::optional<Response> {
    auto header = request.find(http::field::authorization);
    if (header == request.end()) {
      return Unauthenticated(request,
                             "an Authorization: Bearer token is "
                             "required");
    }
    std::string_view value(header->value().data(), header->value().size());
    if (!StartsWithNoCase(value, kBearer)) {
      return Unauthenticated(request, "only Bearer tokens are accepted");
    }
    Result<TokenInfo> token = tokens.Authenticate(value.substr(kBearer.size()));
    if (token.status().reason() == "token_expired") {
      Response response =
          Problem(request, http::status::unauthorized, "token_expired",
                  "the token has expired; ask for a new one", "Authorization");
      response.set(http::field::www_authenticate,
                   "Bearer error=\"invalid_token\"");
      return response;
    }
    if (!token.ok()) {
      return Unauthenticated(request, "the token is unknown or revoked");
    }
    // A deactivated user's tokens are refused here rather than revoked by
    // events: the deactivation is then the one fact that ends them, in
    // effect from its own instant (no window while revocations are
    // appended, none forgotten by a crash in between), and the log keeps
    // no events nobody asked for.
    Result<bool> active = user_active(token->user_id, SystemClockMicros());
    if (!active.ok()) return ProblemFromStatus(request, active.status());
    if (!*active) {
      Response response =
          Problem(request, http::status::unauthorized, "user_inactive",
                  "the token's user is deactivated", "Authorization");
      response.set(http::field::www_authenticate, "Bearer");
      return response;
    }
    context.user_id = token->user_id;
    context.token_id = token->token_id;
    context.token_expires_at_us = token->expires_at_us;
    return std::nullopt;
  };
}

std::string SessionCookie(const std::string& secret, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + secret +
                       "; Path=/; HttpOnly; SameSite=Strict";
  if (secret.empty()) cookie += "; Max-Age=0";
  if (secure) cookie += "; Secure";
  return cookie;
}

namespace {

Response CsrfRejected(const Request& request, const std::string& detail,
                      const std::string& field) {
  return Problem(request, http::status::forbidden, "csrf_rejected", detail,
                 field);
}

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ |= a[i] ^ b[i];
  return differ == 0;
}

}  // namespace

Guard CallerGuard(const TokenRegistry& tokens, WebSessions& sessions,
                  UserActive user_active, std::string public_origin) {
  Guard bearer = BearerGuard(tokens, user_active);
  return [bearer = std::move(bearer), &sessions,
          user_active = std::move(user_active),
          public_origin = std::move(public_origin)](
             const Request& request,
             RequestContext& context) -> std::optional<Response> {
    auto cookies = request.find(http::field::cookie);
    const std::string secret =
        cookies == request.end()
            ? std::string()
            : CookieValue(std::string_view(cookies->value().data(),
                                           cookies->value().size()),
                          kSessionCookie);
    if (request.find(http::field::authorization) != request.end() ||
        secret.empty()) {
      return bearer(request, context);
    }
    const bool secure = context.https || public_origin.starts_with("https:");
    if (FromForeignOrigin(request, context, public_origin)) {
      return CsrfRejected(request, "the request comes from another origin",
                          "Origin");
    }
    Result<WebSession> session = sessions.Touch(secret);
    if (!session.ok()) {
      Response response =
          Problem(request, http::status::unauthorized, "unauthenticated",
                  "the session has ended; sign in again", "Cookie");
      response.set(http::field::set_cookie, SessionCookie("", secure));
      return response;
    }
    Result<bool> active = user_active(session->user_id, SystemClockMicros());
    if (!active.ok()) return ProblemFromStatus(request, active.status());
    if (!*active) {
      (void)sessions.Remove(secret);
      Response response =
          Problem(request, http::status::unauthorized, "user_inactive",
                  "the session's user is deactivated", "Cookie");
      response.set(http::field::set_cookie, SessionCookie("", secure));
      return response;
    }
    const bool reads = request.method() == http::verb::get ||
                       request.method() == http::verb::head;
    auto csrf = request.find("X-CSRF-Token");
    if (!reads && (csrf == request.end() ||
                   !SameSecret(std::string_view(csrf->value().data(),
                                                csrf->value().size()),
                               WebSessions::CsrfToken(secret)))) {
      return CsrfRejected(request,
                          "a change made with the session cookie must carry "
                          "the session's X-CSRF-Token",
                          "X-CSRF-Token");
    }
    context.user_id = session->user_id;
    context.session_id = session->session_id;
    return std::nullopt;
  };
}

ActingChoice ActingChoiceOf(const Request& request) {
  ActingChoice choice;
  if (auto role = request.find("X-Acting-Role"); role != request.end()) {
    choice.role = std::string(role->value());
  }
  if (auto unit = request.find("X-Acting-Unit"); unit != request.end()) {
    choice.unit = std::string(unit->value());
  }
  return choice;
}

Result<Actor> ResolveActor(const Authority& authority, const std::string& user,
                           const std::vector<std::string>& allowed_roles,
                           const ActingChoice& choice,
                           const std::string& target_unit, std::int64_t at_us) {
  std::vector<const GrantRecord*> fits;
  for (const GrantRecord* grant : authority.GrantsOf(user, at_us)) {
    bool role_allowed = allowed_roles.empty() ||
                        std::find(allowed_roles.begin(), allowed_roles.end(),
                                  grant->role) != allowed_roles.end();
    if (!role_allowed) continue;
    if (!choice.role.empty() && grant->role != choice.role) continue;
    if (!choice.unit.empty() && grant->unit_id != choice.unit) continue;
    if (!target_unit.empty() &&
        !authority.IsWithin(target_unit, grant->unit_id, at_us)) {
      continue;
    }
    fits.push_back(grant);
  }
  if (fits.empty())
    return FallbackActor(authority, user, allowed_roles, choice, at_us);
  std::string roles;
  for (const GrantRecord* grant : fits) {
    if (grant->role != fits.front()->role) {
      for (const GrantRecord* g : fits)
        roles += " " + g->role + "@" + g->unit_id;
      return Status::Rejected(
          "ambiguous_role",
          "the user may act as several roles here; name one with "
          "X-Acting-Role and X-Acting-Unit:" +
              roles,
          "X-Acting-Role");
    }
  }
  const GrantRecord* deepest =
      *std::max_element(fits.begin(), fits.end(),
                        [&](const GrantRecord* a, const GrantRecord* b) {
                          return Depth(authority, a->unit_id, at_us) <
                                 Depth(authority, b->unit_id, at_us);
                        });
  return Actor{user, deepest->role, deepest->unit_id};
}

}  // namespace exemplar::api
