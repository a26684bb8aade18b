#include "api/command_routes.h"

#include <algorithm>
#include <chrono>
#include <type_traits>

#include "api/auth.h"
#include "api/etag.h"
#include "api/json_body.h"
#include "engine/workflow/ids.h"
#include "engine/workflow/target_scope.h"
#include "events/clock.h"
#include "events/system_events.h"
#include "projections/queries.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

// The lifetime a token request asks for: `expires_in_days` (whole days),
// else kUserTokenLifetime. kInvalidArgument naming the member for another
// member or a value that is no day count at all; the bounds are the
// engine's rule.
Result<std::chrono::seconds> TokenLifetimeOf(const json& body) {
  for (const auto& [key, value] : body.items()) {
    if (key != "expires_in_days") {
      return Status::InvalidArgument(
          "a token request takes only expires_in_days", key);
    }
  }
  auto days = body.find("expires_in_days");
  if (days == body.end()) return kUserTokenLifetime;
  // Bounded so that the instant it makes cannot overflow; the engine
  // refuses anything beyond a year.
  constexpr std::int64_t kCountable = 1'000'000;
  const std::int64_t count =
      days->is_number_integer() ? days->get<std::int64_t>() : kCountable + 1;
  if (count < -kCountable || count > kCountable) {
    return Status::InvalidArgument(
        "expires_in_days must be a whole number of days from " +
            std::to_string(kMinTokenLifetimeDays) + " to " +
            std::to_string(kMaxTokenLifetimeDays),
        "expires_in_days");
  }
  return std::chrono::seconds(count * kDay);
}

// The token routes' answers for what the engine says: an unknown (or
// unseen) user or token is 404 not_found naming `not_found_field`, an
// inactive owner 422 on the path's id, a lifetime out of bounds 422 on
// expires_in_days.
Response TokenProblem(const Request& request, const Status& status,
                      const std::string& not_found_field) {
  if (status.code() == StatusCode::kNotFound) {
    return Problem(request, http::status::not_found, "not_found",
                   status.message(), not_found_field);
  }
  if (status.code() == StatusCode::kRejected) {
    if (status.reason() == "user_inactive") {
      return Problem(request, http::status::unprocessable_entity,
                     status.reason(), status.message(), "id");
    }
    if (status.field() == "expires_at_us") {
      return Problem(request, http::status::unprocessable_entity,
                     status.reason(), status.message(), "expires_in_days");
    }
  }
  return ProblemFromStatus(request, status);
}

std::string Header(const Request& request, std::string_view name) {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  return it == request.end() ? std::string() : std::string(it->value());
}

// If-Match: `"3"`, `W/"3"` or `3` is version 3; `*` means the stream exists.
Result<std::optional<ExpectedVersion>> ExpectedFromIfMatch(
    const Request& request) {
  std::string value = Header(request, "If-Match");
  if (value.empty()) return std::optional<ExpectedVersion>();
  if (value == "*") {
    return std::optional<ExpectedVersion>(ExpectedVersion::StreamExists());
  }
  if (value.starts_with("W/")) value.erase(0, 2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty() || value.size() > 19 ||
      value.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(
        "If-Match must be a stream version such as \"3\"", "If-Match");
  }
  return std::optional<ExpectedVersion>(
      ExpectedVersion::Exact(std::stoull(value)));
}

// Where the command's result lives, for the success response.
struct Target {
  Target(std::string location, std::string id_name, std::string id,
         bool creates)
      : location(std::move(location)),
        id_name(std::move(id_name)),
        id(std::move(id)),
        creates(creates) {}

  std::string location;  // path of the resource
  std::string id_name;   // e.g. "exemplar_id"
  std::string id;
  bool creates = false;  // 201 instead of 200
  std::string stream_id;
};

class Commands {
 public:
  Commands(CommandHandler& handler, const Definition& definition,
           TokenRegistry& tokens, IdempotencyIndex& idempotency,
           CommandRouteOptions options)
      : handler_(handler),
        definition_(definition),
        tokens_(tokens),
        idempotency_(idempotency),
        clock_(options.clock ? options.clock : SystemClockMicros) {}

  // The command routes answer asynchronously, once the append is durable.
  // Each returns the refusal of a request that never got as far as the
  // engine, or nullopt once the command is underway and `respond` will be
  // called (see CommandRoute).
  std::optional<Response> Workflow(const Request& request,
                                   const RouteParams& params,
                                   const ActionSpec& action,
                                   std::string exemplar_id,
                                   const Respond& respond);

  template <typename T>
  std::optional<Response> System(const Request& request,
                                 const RouteParams& params, json path_members,
                                 const json& defaults,
                                 const std::function<Target(const T&)>& target,
                                 const Respond& respond);

  Response IssueToken(const Request& request, const RouteParams& params);
  Response RevokeToken(const Request& request, const RouteParams& params);
  Response ListTokens(const Request& request, const RouteParams& params);

 private:
  // Starts `run` under the request's If-Match and Idempotency-Key; the
  // callback it is given maps the engine's result to the response.
  std::optional<Response> Execute(
      const Request& request, const RouteParams& params, Target target,
      const std::function<void(const CommandOptions&, AppendCallback)>& run,
      const Respond& respond);

  // The actor a request on the tokens of `owner` (empty: unknown) acts as:
  // the caller's admin grant over the owner's home unit when there is one
  // (see auth.h). Whether they may is the engine's rule.
  Result<Actor> TokenActor(const Request& request, const RouteParams& params,
                           const std::string& owner, std::int64_t now);
  // A token command as the request's caller, at `now`.
  SystemCommand TokenCommand(SystemAction action, const Actor& actor,
                             const RouteParams& params, std::int64_t now);

  CommandHandler& handler_;
  const Definition& definition_;
  TokenRegistry& tokens_;
  IdempotencyIndex& idempotency_;
  std::function<std::int64_t()> clock_;
};

Response Success(const Request& request, const Target& target,
                 const AppendResult& result) {
  json body = {{"stream_id", target.stream_id},
               {"version", result.stream_version},
               {"position", result.last_position},
               {"first_position", result.first_position}};
  if (!target.id_name.empty()) body[target.id_name] = target.id;
  Response response = JsonResponse(
      request, target.creates ? http::status::created : http::status::ok, body);
  response.set(http::field::location, target.location);
  response.set(http::field::etag, VersionETag(result.stream_version));
  if (result.deduplicated) response.set("Idempotent-Replayed", "true");
  return response;
}

// Starts a command: returns the refusal of a request that never reached
// the engine, or nullopt once the command is underway and will answer
// through the Respond it was given.
using CommandStart = std::function<std::optional<Response>(
    const Request&, const RouteParams&, const Respond&)>;

// The asynchronous route of a command, answering its refusals itself.
AsyncHandler CommandRoute(CommandStart start) {
  return
      [start = std::move(start)](const Request& request,
                                 const RouteParams& params, Respond respond) {
        if (auto refusal = start(request, params, respond)) {
          respond(std::move(*refusal));
        }
      };
}

std::optional<Response> Commands::Execute(
    const Request& request, const RouteParams& params, Target target,
    const std::function<void(const CommandOptions&, AppendCallback)>& run,
    const Respond& respond) {
  CommandOptions options;
  Result<std::optional<ExpectedVersion>> expected =
      ExpectedFromIfMatch(request);
  if (!expected.ok()) return ProblemFromStatus(request, expected.status());
  options.expected_version = *expected;
  const std::string& user = params.context.user_id;
  const std::string key = Header(request, "Idempotency-Key");
  if (!key.empty()) {
    std::string path(request.target().substr(0, request.target().find('?')));
    Result<std::string> claimed = idempotency_.Claim(
        user, key,
        Fingerprint({std::string(request.method_string()), path,
                     Header(request, "X-Acting-Role"),
                     Header(request, "X-Acting-Unit"),
                     Header(request, "If-Match"), request.body()}));
    if (!claimed.ok()) return ProblemFromStatus(request, claimed.status());
    options.idempotency_key = *claimed;
  }
  // `request` stays valid until `respond` is called.
  run(options, [this, &request, user, key, target = std::move(target),
                respond](Result<AppendResult> result) {
    if (!result.ok()) {
      if (!key.empty()) idempotency_.Release(user, key);
      return respond(ProblemFromStatus(request, result.status()));
    }
    respond(Success(request, target, *result));
  });
  return std::nullopt;
}

// Moves member `name` of the body `fields` into `out` (left empty when
// absent); a problem naming it when it is not a string.
std::optional<Response> TakeString(const Request& request,
                                   const std::string& name, json* fields,
                                   std::optional<std::string>* out) {
  auto given = fields->find(name);
  if (given == fields->end()) return std::nullopt;
  if (!given->is_string()) {
    return Problem(request, http::status::unprocessable_entity,
                   "validation_failed", name + " must be a string", name);
  }
  *out = given->get<std::string>();
  fields->erase(given);
  return std::nullopt;
}

std::optional<Response> Commands::Workflow(const Request& request,
                                           const RouteParams& params,
                                           const ActionSpec& action,
                                           std::string exemplar_id,
                                           const Respond& respond) {
  json fields;
  if (auto problem = ParseJsonObject(request, &fields)) return *problem;
  const std::string& user = params.context.user_id;
  // The id of a new exemplar is the client's when it names one (in the
  // path or the body), else drawn.
  bool chosen = action.creates && !exemplar_id.empty();
  if (action.creates && exemplar_id.empty()) {
    std::optional<std::string> given;
    if (auto problem = TakeString(request, "exemplar_id", &fields, &given)) {
      return *problem;
    }
    chosen = given.has_value();
    if (given) {
      exemplar_id = *given;
    } else if (std::string key = Header(request, "Idempotency-Key");
               !key.empty()) {
      // A retry must land on the same exemplar to be recognised.
      exemplar_id = ExemplarIdForRetry(user, key);
    } else {
      exemplar_id = NewExemplarId();
    }
  }
  if (!IsValidId(exemplar_id)) {
    return Problem(request, http::status::unprocessable_entity,
                   "validation_failed",
                   "an exemplar id is 1 to 100 characters of [A-Za-z0-9._:-]",
                   "exemplar_id");
  }
  if (chosen && !IsOpaqueExemplarId(exemplar_id)) {
    return Problem(request, http::status::unprocessable_entity,
                   "validation_failed",
                   "exemplar_id: an id chosen by the client is opaque, a UUID "
                   "or \"ex-\" and 24 hex digits, so that no id names a "
                   "person; leave it out and the server draws one",
                   "exemplar_id");
  }
  // The exemplar whose own words the command records (Decide judges it).
  std::optional<std::string> on_behalf_of;
  if (auto problem =
          TakeString(request, "on_behalf_of", &fields, &on_behalf_of)) {
    return *problem;
  }
  const std::int64_t now = clock_();
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  std::string target_unit;
  if (action.creates) {
    auto unit = fields.find(definition_.subject.unit_field);
    if (unit != fields.end() && unit->is_string()) target_unit = *unit;
  } else {
    // Before If-Match and Idempotency-Key are looked at: an exemplar the
    // user may not see answers exactly as an unknown one.
    Result<ExemplarState> state = handler_.LoadExemplar(exemplar_id);
    if (!state.ok()) return ProblemFromStatus(request, state.status());
    // Or the target unit of a replication its officers follow there.
    target_unit =
        ActingScopeUnit(*state, action, &fields, **authority, user, now);
    if (target_unit.empty()) {
      return ProblemFromStatus(request, ExemplarNotFound(exemplar_id));
    }
  }
  Result<Actor> actor = ResolveActor(**authority, user, action.roles,
                                     ActingChoiceOf(request), target_unit, now);
  if (!actor.ok()) return ProblemFromStatus(request, actor.status());

  WorkflowCommand command{exemplar_id,
                          action.name,
                          fields,
                          *actor,
                          now,
                          params.context.request_id,
                          params.context.remote_address,
                          ""};
  command.on_behalf_of = on_behalf_of.value_or("");
  Target target{"/v1/exemplars/" + exemplar_id, "exemplar_id", exemplar_id,
                action.creates};
  target.stream_id = ExemplarStreamId(exemplar_id);
  return Execute(
      request, params, std::move(target),
      [&](const CommandOptions& options, AppendCallback done) {
        handler_.HandleAsync(std::move(command), options, std::move(done));
      },
      respond);
}

// The member names of T's JSON form.
template <typename T>
std::vector<std::string> MemberNames() {
  std::vector<std::string> names;
  const json sample = T{};
  for (const auto& [name, value] : sample.items()) names.push_back(name);
  return names;
}

template <typename T>
std::optional<Response> Commands::System(
    const Request& request, const RouteParams& params, json path_members,
    const json& defaults, const std::function<Target(const T&)>& target,
    const Respond& respond) {
  json body;
  if (auto problem = ParseJsonObject(request, &body)) return *problem;
  const std::vector<std::string> known = MemberNames<T>();
  for (const auto& [name, value] : body.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Problem(request, http::status::unprocessable_entity,
                     "validation_failed", "unknown member " + name, name);
    }
  }
  for (const auto& [name, value] : path_members.items()) {
    if (body.contains(name) && body[name] != value) {
      return Problem(request, http::status::unprocessable_entity,
                     "validation_failed",
                     name + " differs from the one in the path", name);
    }
    body[name] = value;
  }
  for (const auto& [name, value] : defaults.items()) {
    if (!body.contains(name)) body[name] = value;
  }
  for (const std::string& name : known) {
    if (!body.contains(name)) {
      return Problem(request, http::status::unprocessable_entity,
                     "validation_failed", name + " is required", name);
    }
  }
  Result<T> payload = PayloadFromJson<T>(body);
  if (!payload.ok()) {
    return Problem(request, http::status::unprocessable_entity,
                   "validation_failed", payload.status().message());
  }
  const std::int64_t now = clock_();
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  Result<Actor> actor =
      ResolveActor(**authority, params.context.user_id, {"admin"},
                   ActingChoiceOf(request), "", now);
  if (!actor.ok()) return ProblemFromStatus(request, actor.status());
  if constexpr (std::is_same_v<T, RoleGranted>) {
    payload = StartingByDefault(*payload, now);
  }
  SystemCommand command{*payload, *actor, now, params.context.request_id,
                        params.context.remote_address};
  Target where = target(*payload);
  where.stream_id = SystemStreamId(command);
  return Execute(
      request, params, std::move(where),
      [&](const CommandOptions& options, AppendCallback done) {
        handler_.HandleAsync(std::move(command), options, std::move(done));
      },
      respond);
}

Result<Actor> Commands::TokenActor(const Request& request,
                                   const RouteParams& params,
                                   const std::string& owner, std::int64_t now) {
  auto snapshot = handler_.CurrentAuthority();
  if (!snapshot.ok()) return snapshot.status();
  const UserRecord* record = (*snapshot)->FindUser(owner);
  return ResolveActor(**snapshot, params.context.user_id, {"admin"},
                      ActingChoiceOf(request),
                      record ? record->home_unit_id : "", now);
}

SystemCommand Commands::TokenCommand(SystemAction action, const Actor& actor,
                                     const RouteParams& params,
                                     std::int64_t now) {
  return SystemCommand{std::move(action), actor, now, params.context.request_id,
                       params.context.remote_address};
}

Response Commands::IssueToken(const Request& request,
                              const RouteParams& params) {
  json body;
  if (auto problem = ParseJsonObject(request, &body)) return *problem;
  Result<std::chrono::seconds> lifetime = TokenLifetimeOf(body);
  if (!lifetime.ok()) {
    return Problem(request, http::status::unprocessable_entity,
                   "validation_failed", lifetime.status().message(),
                   lifetime.status().field());
  }
  const std::string& owner = params.path.at("id");
  const std::int64_t now = clock_();
  Result<Actor> actor = TokenActor(request, params, owner, now);
  if (!actor.ok()) return ProblemFromStatus(request, actor.status());
  Result<NewToken> drawn = DrawToken();
  if (!drawn.ok()) return ProblemFromStatus(request, drawn.status());
  Result<IssuedToken> token = api::IssueToken(
      handler_, &tokens_, *drawn,
      TokenCommand(TokenIssuedFor(*drawn, owner, now, *lifetime), *actor,
                   params, now));
  if (!token.ok()) return TokenProblem(request, token.status(), "");
  Response response = JsonResponse(
      request, http::status::created,
      {{"token_id", token->token_id},
       {"token", token->secret},
       {"user_id", owner},
       {"expires_at", projections::FormatInstant(token->expires_at_us, 0)},
       {"position", token->position}});
  response.set(http::field::location, "/v1/tokens/" + token->token_id);
  response.set(http::field::cache_control, "no-store");
  return response;
}

Response Commands::RevokeToken(const Request& request,
                               const RouteParams& params) {
  const std::string& token_id = params.path.at("token_id");
  const std::int64_t now = clock_();
  auto snapshot = handler_.CurrentAuthority();
  if (!snapshot.ok()) return ProblemFromStatus(request, snapshot.status());
  const TokenRecord* token = (*snapshot)->FindToken(token_id);
  Result<Actor> actor =
      TokenActor(request, params, token ? token->user_id : "", now);
  if (!actor.ok()) return ProblemFromStatus(request, actor.status());
  Result<AppendResult> revoked = handler_.Handle(
      TokenCommand(TokenRevoked{token_id, ""}, *actor, params, now));
  if (!revoked.ok()) {
    return TokenProblem(request, revoked.status(), "token_id");
  }
  if (Status learnt =
          tokens_.Learn(revoked->first_position, revoked->last_position);
      !learnt.ok()) {
    return ProblemFromStatus(request, learnt);
  }
  return JsonResponse(request, http::status::ok,
                      {{"token_id", token_id},
                       {"revoked", true},
                       {"position", revoked->last_position}});
}

// What a client may know of a token: never its secret (the log holds only
// its hash). `state` is "active", "expired" or "revoked" at `now`.
json TokenToJson(const TokenRecord& token, std::int64_t now, int offset) {
  const bool expired = token.expires_at_us != 0 && token.expires_at_us <= now;
  json item = {
      {"token_id", token.id},
      {"issued_at", projections::FormatInstant(token.issued_at_us, offset)},
      {"expires_at",
       token.expires_at_us == 0
           ? json(nullptr)
           : json(projections::FormatInstant(token.expires_at_us, offset))},
      {"state", token.revoked_at_us ? "revoked"
                : expired           ? "expired"
                                    : "active"}};
  if (token.revoked_at_us) {
    item["revoked_at"] =
        projections::FormatInstant(*token.revoked_at_us, offset);
  }
  return item;
}

Response Commands::ListTokens(const Request& request,
                              const RouteParams& params) {
  const std::string& owner = params.path.at("id");
  const std::int64_t now = clock_();
  auto snapshot = handler_.CurrentAuthority();
  if (!snapshot.ok()) return ProblemFromStatus(request, snapshot.status());
  Result<Actor> actor = TokenActor(request, params, owner, now);
  if (!actor.ok()) return ProblemFromStatus(request, actor.status());
  if (Status may = MayManageTokens(**snapshot, *actor, owner, now); !may.ok()) {
    return TokenProblem(request, may, "");
  }
  json tokens = json::array();
  for (const TokenRecord* token : (*snapshot)->TokensOf(owner)) {
    tokens.push_back(TokenToJson(*token, now, definition_.utc_offset_minutes));
  }
  return JsonResponse(request, http::status::ok,
                      {{"user_id", owner}, {"tokens", std::move(tokens)}});
}

// Adds `POST pattern` running a system command of type T.
template <typename T>
void AddSystem(Router& router, std::shared_ptr<Commands> commands,
               const std::string& pattern,
               std::function<json(const RouteParams&)> path_members,
               json defaults, std::function<Target(const T&)> target) {
  router.Add(http::verb::post, pattern,
             CommandRoute([=](const Request& request, const RouteParams& params,
                              const Respond& respond) {
               json members =
                   path_members ? path_members(params) : json::object();
               return commands->template System<T>(request, params, members,
                                                   defaults, target, respond);
             }));
}

}  // namespace

void AddCommandRoutes(Router& router, CommandHandler& handler,
                      const Definition& definition, TokenRegistry& tokens,
                      IdempotencyIndex& idempotency,
                      CommandRouteOptions options) {
  auto commands = std::make_shared<Commands>(handler, definition, tokens,
                                             idempotency, options);
  for (const ActionSpec& action : definition.actions) {
    if (action.creates) {
      router.Add(http::verb::post, "/v1/exemplars",
                 CommandRoute([commands, &action](const Request& request,
                                                  const RouteParams& params,
                                                  const Respond& respond) {
                   return commands->Workflow(request, params, action, "",
                                             respond);
                 }));
    }
    router.Add(http::verb::post, "/v1/exemplars/{id}/" + action.name,
               CommandRoute([commands, &action](const Request& request,
                                                const RouteParams& params,
                                                const Respond& respond) {
                 return commands->Workflow(request, params, action,
                                           params.path.at("id"), respond);
               }));
  }

  auto id_as = [](const std::string& member) {
    return [member](const RouteParams& params) {
      return json{{member, params.path.at("id")}};
    };
  };
  AddSystem<UnitCreated>(router, commands, "/v1/units", nullptr,
                         {{"parent_id", ""}}, [](const UnitCreated& unit) {
                           return Target{"/v1/units/" + unit.unit_id, "unit_id",
                                         unit.unit_id, true};
                         });
  auto unit_target = [](const std::string& id) {
    return Target{"/v1/units/" + id, "unit_id", id, false};
  };
  AddSystem<UnitRenamed>(
      router, commands, "/v1/units/{id}/rename", id_as("unit_id"), {},
      [=](const UnitRenamed& unit) { return unit_target(unit.unit_id); });
  AddSystem<UnitMoved>(
      router, commands, "/v1/units/{id}/move", id_as("unit_id"), {},
      [=](const UnitMoved& unit) { return unit_target(unit.unit_id); });
  AddSystem<UnitClosed>(
      router, commands, "/v1/units/{id}/close", id_as("unit_id"), {},
      [=](const UnitClosed& unit) { return unit_target(unit.unit_id); });

  AddSystem<UserRegistered>(router, commands, "/v1/users", nullptr, {},
                            [](const UserRegistered& user) {
                              return Target{"/v1/users/" + user.user_id,
                                            "user_id", user.user_id, true};
                            });
  AddSystem<UserDeactivated>(router, commands, "/v1/users/{id}/deactivate",
                             id_as("user_id"), {},
                             [](const UserDeactivated& user) {
                               return Target{"/v1/users/" + user.user_id,
                                             "user_id", user.user_id, false};
                             });
  router.Add(
      http::verb::post, "/v1/users/{id}/grants",
      CommandRoute([commands](const Request& request, const RouteParams& params,
                              const Respond& respond) {
        return commands->System<RoleGranted>(
            request, params, {{"user_id", params.path.at("id")}},
            {{"grant_id", NewGrantId()},
             {"valid_from_us", 0},
             {"valid_to_us", 0}},
            [](const RoleGranted& grant) {
              return Target{
                  "/v1/users/" + grant.user_id + "/grants/" + grant.grant_id,
                  "grant_id", grant.grant_id, true};
            },
            respond);
      }));
  router.Add(
      http::verb::post, "/v1/users/{id}/grants/{grant_id}/revoke",
      CommandRoute([commands](const Request& request, const RouteParams& params,
                              const Respond& respond) {
        return commands->System<RoleRevoked>(
            request, params,
            {{"user_id", params.path.at("id")},
             {"grant_id", params.path.at("grant_id")}},
            {},
            [](const RoleRevoked& grant) {
              return Target{
                  "/v1/users/" + grant.user_id + "/grants/" + grant.grant_id,
                  "grant_id", grant.grant_id, false};
            },
            respond);
      }));

  AddSystem<CampaignLaunched>(
      router, commands, "/v1/campaigns", nullptr, {{"deciding_body", ""}},
      [](const CampaignLaunched& campaign) {
        return Target{"/v1/campaigns/" + campaign.campaign_id, "campaign_id",
                      campaign.campaign_id, true};
      });
  AddSystem<CampaignClosed>(
      router, commands, "/v1/campaigns/{id}/close", id_as("campaign_id"), {},
      [](const CampaignClosed& campaign) {
        return Target{"/v1/campaigns/" + campaign.campaign_id, "campaign_id",
                      campaign.campaign_id, false};
      });

  router.Add(http::verb::post, "/v1/users/{id}/tokens",
             [commands](const Request& request, const RouteParams& params) {
               return commands->IssueToken(request, params);
             });
  router.Add(http::verb::get, "/v1/users/{id}/tokens",
             [commands](const Request& request, const RouteParams& params) {
               return commands->ListTokens(request, params);
             });
  router.Add(http::verb::delete_, "/v1/tokens/{token_id}",
             [commands](const Request& request, const RouteParams& params) {
               return commands->RevokeToken(request, params);
             });
}

}  // namespace exemplar::api
