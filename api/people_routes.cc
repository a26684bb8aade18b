#include "api/people_routes.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/auth.h"
#include "api/forwarded.h"
#include "api/json_body.h"
#include "engine/workflow/credentials.h"
#include "engine/workflow/organisation.h"
#include "events/clock.h"
#include "projections/queries.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

// The string members `names` of a JSON body, each required.
Result<std::vector<std::string>> StringMembers(
    const json& body, const std::vector<std::string>& names) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      return Status::InvalidArgument("unknown member " + key, key);
    }
  }
  std::vector<std::string> values;
  for (const std::string& name : names) {
    auto member = body.find(name);
    if (member == body.end() || !member->is_string()) {
      return Status::InvalidArgument(name + " is required, as a string", name);
    }
    values.push_back(member->get<std::string>());
  }
  return values;
}

// The string members `names` of a public route's body, in order; or the
// refusal of a request from another origin or with a bad body.
std::optional<Response> ReadPublicBody(const Request& request,
                                       const RouteParams& params,
                                       const std::string& public_origin,
                                       const std::vector<std::string>& names,
                                       std::vector<std::string>* members) {
  if (FromForeignOrigin(request, params.context, public_origin)) {
    return Problem(request, http::status::forbidden, "csrf_rejected",
                   "the request comes from another origin", "Origin");
  }
  json body;
  if (auto problem = ParseJsonObject(request, &body)) return *problem;
  auto values = StringMembers(body, names);
  if (!values.ok()) return ProblemFromStatus(request, values.status());
  *members = std::move(*values);
  return std::nullopt;
}

Response WithRetryAfter(Response response, std::int64_t seconds) {
  response.set(http::field::retry_after, std::to_string(seconds));
  return response;
}

Response Busy(const Request& request) {
  return WithRetryAfter(
      Problem(request, http::status::service_unavailable, "busy",
              "too many passwords are being checked; try again in a moment"),
      1);
}

json MeJson(const Authority& authority, const std::string& user,
            std::int64_t now, const std::string& csrf_token,
            std::chrono::seconds idle_timeout) {
  const UserRecord* record = authority.FindUser(user);
  json grants = json::array();
  bool admin = false;
  for (const GrantRecord* grant : authority.GrantsOf(user, now)) {
    const UnitRecord* unit = authority.FindUnit(grant->unit_id);
    grants.push_back({{"grant_id", grant->id},
                      {"role", grant->role},
                      {"unit_id", grant->unit_id},
                      {"unit_name", unit ? unit->name : ""}});
    admin = admin || grant->role == "admin";
  }
  json me = {{"user_id", user},
             {"full_name", record ? record->full_name : ""},
             {"home_unit_id", record ? record->home_unit_id : ""},
             {"auth", csrf_token.empty() ? "bearer" : "session"},
             {"idle_timeout_s", idle_timeout.count()},
             {"admin", admin},
             {"grants", std::move(grants)}};
  if (!csrf_token.empty()) me["csrf_token"] = csrf_token;
  return me;
}

std::string SessionSecretOf(const Request& request) {
  auto cookies = request.find(http::field::cookie);
  if (cookies == request.end()) return {};
  return CookieValue(
      std::string_view(cookies->value().data(), cookies->value().size()),
      kSessionCookie);
}

class PeopleRoutes {
 public:
  PeopleRoutes(People& people, CommandHandler& handler)
      : people_(people), handler_(handler) {}

  Response SignIn(const Request& request, const RouteParams& params);
  Response Me(const Request& request, const RouteParams& params);
  Response SignOut(const Request& request, const RouteParams& params);
  Response IssueSetupCode(const Request& request, const RouteParams& params);
  Response SetPassword(const Request& request, const RouteParams& params);

 private:
  bool Secure(const RouteParams& params) const {
    return params.context.https ||
           people_.public_origin().starts_with("https:");
  }
  // A refused sign-in: counted, logged, slowed; one answer for every cause.
  Response SignInRefused(const Request& request, const RouteParams& params,
                         const std::string& user, const std::string& why);
  // The command `action` taken by `actor` now, for this request.
  SystemCommand CommandOf(SystemAction action, Actor actor,
                          const RouteParams& params, std::int64_t now) const {
    return SystemCommand{std::move(action), std::move(actor), now,
                         params.context.request_id,
                         params.context.remote_address};
  }

  People& people_;
  CommandHandler& handler_;
};

Response PeopleRoutes::SignInRefused(const Request& request,
                                     const RouteParams& params,
                                     const std::string& user,
                                     const std::string& why) {
  people_.per_user().Failed(user);
  people_.per_address().Failed(params.context.remote_address);
  ++people_.failures();
  spdlog::warn("sign-in refused: user={} remote={} request_id={} ({})",
               IsValidId(user) ? user : std::string("(not a user id)"),
               params.context.remote_address, params.context.request_id, why);
  return Problem(request, http::status::unauthorized, "invalid_credentials",
                 "the user name or password is wrong");
}

Response PeopleRoutes::SignIn(const Request& request,
                              const RouteParams& params) {
  std::vector<std::string> members;
  if (auto refused = ReadPublicBody(request, params, people_.public_origin(),
                                    {"user_id", "password"}, &members)) {
    return *refused;
  }
  const std::string& user = members[0];
  const std::string& password = members[1];
  const std::int64_t wait = std::max(
      people_.per_user().RetryAfterSeconds(user),
      people_.per_address().RetryAfterSeconds(params.context.remote_address));
  if (wait > 0) {
    return WithRetryAfter(
        Problem(request, http::status::too_many_requests, "too_many_attempts",
                "too many failed sign-ins; wait before trying again"),
        wait);
  }
  std::optional<std::string> stored;
  if (IsValidId(user)) {
    Result<std::optional<std::string>> found =
        StoredPassword(people_.side(), user);
    if (!found.ok()) return ProblemFromStatus(request, found.status());
    stored = std::move(*found);
  }
  Result<bool> matches = people_.hasher().Verify(stored, password);
  if (!matches.ok()) {
    if (matches.status().code() == StatusCode::kUnavailable) {
      return Busy(request);
    }
    return ProblemFromStatus(request, matches.status());
  }
  if (!*matches) return SignInRefused(request, params, user, "wrong password");
  Result<NewSession> session = DrawSession();
  if (!session.ok()) return ProblemFromStatus(request, session.status());
  const std::int64_t now = SystemClockMicros();
  const SignedIn signed_in = SignedInFor(*session, user, now);
  Result<AppendResult> appended =
      handler_.Handle(CommandOf(signed_in, Actor{user, "", ""}, params, now));
  if (!appended.ok()) {
    if (appended.status().reason() == "invalid_credentials") {
      return SignInRefused(request, params, user, "user inactive");
    }
    return ProblemFromStatus(request, appended.status());
  }
  if (Status added =
          people_.sessions().Add(*session, user, signed_in.expires_at_us);
      !added.ok()) {
    return ProblemFromStatus(request, added);
  }
  people_.per_user().Succeeded(user);
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  Response response = JsonResponse(
      request, http::status::ok,
      MeJson(**authority, user, now, WebSessions::CsrfToken(session->secret),
             people_.sessions().idle_timeout()));
  response.set(http::field::set_cookie,
               SessionCookie(session->secret, Secure(params)));
  response.set(http::field::cache_control, "no-store");
  return response;
}

Response PeopleRoutes::Me(const Request& request, const RouteParams& params) {
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  const std::string csrf =
      params.context.session_id.empty()
          ? std::string()
          : WebSessions::CsrfToken(SessionSecretOf(request));
  Response response = JsonResponse(
      request, http::status::ok,
      MeJson(**authority, params.context.user_id, SystemClockMicros(), csrf,
             people_.sessions().idle_timeout()));
  response.set(http::field::cache_control, "no-store");
  return response;
}

Response PeopleRoutes::SignOut(const Request& request,
                               const RouteParams& params) {
  if (!params.context.session_id.empty()) {
    Result<std::optional<WebSession>> removed =
        people_.sessions().Remove(SessionSecretOf(request));
    if (!removed.ok()) return ProblemFromStatus(request, removed.status());
    if (*removed) {
      const std::int64_t now = SystemClockMicros();
      Result<AppendResult> appended = handler_.Handle(
          CommandOf(SignedOut{(*removed)->user_id, (*removed)->session_id},
                    Actor{(*removed)->user_id, "", ""}, params, now));
      if (!appended.ok()) {
        return ProblemFromStatus(request, appended.status());
      }
    }
  }
  Response response{http::status::no_content, request.version()};
  response.keep_alive(request.keep_alive());
  response.set(http::field::set_cookie, SessionCookie("", Secure(params)));
  response.prepare_payload();
  return response;
}

Response PeopleRoutes::IssueSetupCode(const Request& request,
                                      const RouteParams& params) {
  json body;
  if (auto problem = ParseJsonObject(request, &body)) return *problem;
  if (!body.empty()) {
    return Problem(request, http::status::unprocessable_entity,
                   "validation_failed", "a setup code request takes no members",
                   body.begin().key());
  }
  const std::string& user = params.path.at("id");
  const std::int64_t now = SystemClockMicros();
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  const UserRecord* record = (*authority)->FindUser(user);
  Result<Actor> actor = ResolveActor(**authority, params.context.user_id,
                                     {"admin"}, ActingChoiceOf(request),
                                     record ? record->home_unit_id : "", now);
  if (!actor.ok()) return ProblemFromStatus(request, actor.status());
  Result<std::string> code = DrawSetupCode();
  if (!code.ok()) return ProblemFromStatus(request, code.status());
  const SetupCodeIssued issued = SetupCodeIssuedFor(user, *code, now);
  Result<AppendResult> appended =
      handler_.Handle(CommandOf(issued, *actor, params, now));
  if (!appended.ok()) return ProblemFromStatus(request, appended.status());
  Response response = JsonResponse(
      request, http::status::created,
      {{"user_id", user},
       {"setup_code", *code},
       {"expires_at", projections::FormatInstant(issued.expires_at_us, 0)},
       {"position", appended->last_position}});
  response.set(http::field::cache_control, "no-store");
  return response;
}

Response PeopleRoutes::SetPassword(const Request& request,
                                   const RouteParams& params) {
  std::vector<std::string> members;
  if (auto refused =
          ReadPublicBody(request, params, people_.public_origin(),
                         {"user_id", "setup_code", "password"}, &members)) {
    return *refused;
  }
  const std::string& user = members[0];
  const std::string& code = members[1];
  const std::string& password = members[2];
  if (Status valid = CheckNewPassword(password); !valid.ok()) {
    return ProblemFromStatus(request, valid);
  }
  const std::string& address = params.context.remote_address;
  if (std::int64_t wait = people_.per_address().RetryAfterSeconds(address)) {
    return WithRetryAfter(
        Problem(request, http::status::too_many_requests, "too_many_attempts",
                "too many failed attempts; wait before trying again"),
        wait);
  }
  const std::int64_t now = SystemClockMicros();
  const PasswordSet set{user, SetupCodeHash(code)};
  auto refused = [&](const Status& why) {
    people_.per_address().Failed(address);
    spdlog::warn("setup code refused: remote={} request_id={}", address,
                 params.context.request_id);
    return Problem(request, http::status::unauthorized, "invalid_setup_code",
                   why.message(), "setup_code");
  };
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  // Checked before the costly hash, and decided again by the engine.
  if (Status usable = CheckPasswordSet(set, **authority, now); !usable.ok()) {
    return refused(usable);
  }
  Result<std::string> hash = people_.hasher().Hash(password);
  if (!hash.ok()) {
    if (hash.status().code() == StatusCode::kUnavailable) return Busy(request);
    return ProblemFromStatus(request, hash.status());
  }
  Status recorded =
      RecordPassword(handler_, people_,
                     CommandOf(set, Actor{user, "", ""}, params, now), *hash);
  if (recorded.reason() == "invalid_setup_code") return refused(recorded);
  if (!recorded.ok()) return ProblemFromStatus(request, recorded);
  Response response{http::status::no_content, request.version()};
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

}  // namespace

Status RecordPassword(CommandHandler& handler, People& people,
                      const SystemCommand& command,
                      const std::string& password_hash) {
  const auto* set = std::get_if<PasswordSet>(&command.action);
  if (set == nullptr) {
    return Status::InvalidArgument("the command sets no password");
  }
  Result<AppendResult> appended = handler.Handle(command);
  if (!appended.ok()) return appended.status();
  EXEMPLAR_RETURN_IF_ERROR(
      StorePassword(people.side(), set->user_id, password_hash));
  return people.sessions().RemoveUser(set->user_id);
}

People::People(EventStore& store, const PeopleOptions& options)
    : side_(store.side_store()),
      hasher_(options.passwords),
      per_user_(options.per_user),
      per_address_(options.per_address) {}

Result<std::unique_ptr<People>> People::Open(EventStore& store,
                                             PeopleOptions options) {
  std::unique_ptr<People> people(new People(store, options));
  if (!options.public_url.empty()) {
    Result<std::string> origin = OriginOf(options.public_url);
    if (!origin.ok()) return origin.status();
    people->public_origin_ = std::move(*origin);
  }
  WebSessionOptions sessions;
  sessions.idle_timeout = options.idle_timeout;
  auto loaded = WebSessions::Load(people->side_, std::move(sessions));
  if (!loaded.ok()) return loaded.status();
  people->sessions_ = std::move(*loaded);
  return people;
}

void AddPeopleRoutes(Router& router, People& people, CommandHandler& handler,
                     Metrics& metrics) {
  auto routes = std::make_shared<PeopleRoutes>(people, handler);
  auto bind = [routes](Response (PeopleRoutes::*method)(const Request&,
                                                        const RouteParams&)) {
    return [routes, method](const Request& request, const RouteParams& params) {
      return ((*routes).*method)(request, params);
    };
  };
  router.Add(http::verb::post, "/v1/session",
             Handler(bind(&PeopleRoutes::SignIn)),
             RouteOptions(Access::kPublic));
  router.Add(http::verb::get, "/v1/session", Handler(bind(&PeopleRoutes::Me)));
  router.Add(http::verb::delete_, "/v1/session",
             Handler(bind(&PeopleRoutes::SignOut)));
  router.Add(http::verb::post, "/v1/users/{id}/setup-codes",
             Handler(bind(&PeopleRoutes::IssueSetupCode)));
  router.Add(http::verb::post, "/v1/password",
             Handler(bind(&PeopleRoutes::SetPassword)),
             RouteOptions(Access::kPublic));
  std::atomic<std::uint64_t>& failures = people.failures();
  metrics.Register(
      "exemplar_sign_in_failures_total", "counter",
      "Sign-ins refused for a wrong user name or password.",
      [&failures] { return static_cast<double>(failures.load()); });
}

}  // namespace exemplar::api
