#include "api/action_routes.h"

#include <memory>

#include "api/auth.h"
#include "api/workflow_json.h"
#include "engine/workflow/decide.h"
#include "engine/workflow/organisation.h"
#include "engine/workflow/target_scope.h"
#include "events/clock.h"
#include "events/refusal_texts.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

json RefusalToJson(const Status& status) {
  const std::string code = status.code() == StatusCode::kRejected
                               ? status.reason()
                               : StatusCodeName(status.code());
  RefusalWords words = WordsOf(status, code);
  return {
      {"code", code},
      {"field", status.field().empty() ? json(nullptr) : json(status.field())},
      {"vi", std::move(words.vi)},
      {"en", std::move(words.en)},
      {"detail", status.message()}};
}

class ActionRoutes {
 public:
  ActionRoutes(CommandHandler& handler, ActionRouteOptions options)
      : handler_(handler),
        definition_(handler.definition()),
        clock_(options.clock ? options.clock : SystemClockMicros) {}

  Response OnExemplar(const Request& request, const RouteParams& params) const;
  Response Creating(const Request& request, const RouteParams& params) const;

 private:
  // Every action `pick` keeps, judged for the request's caller on `state`.
  template <typename Pick>
  json Actions(const Request& request, const RouteParams& params,
               const Authority& authority, const ExemplarState& state,
               const std::string& exemplar_id, std::int64_t now,
               Pick pick) const;
  // Whether `action` is open to `actor`, judged under the definition version
  // the exemplar's nomination in flight runs under.
  Status OpenUnder(const ExemplarState& state, const std::string& exemplar_id,
                   const ActionSpec& action, const Actor& actor,
                   std::int64_t now, const Authority& authority) const;

  CommandHandler& handler_;
  const Definition& definition_;
  std::function<std::int64_t()> clock_;
};

Status ActionRoutes::OpenUnder(const ExemplarState& state,
                               const std::string& exemplar_id,
                               const ActionSpec& action, const Actor& actor,
                               std::int64_t now,
                               const Authority& authority) const {
  const Definition& judged =
      handler_.DefinitionFor(state, action.name, authority);
  const ActionSpec* spec = judged.FindAction(action.name);
  if (spec == nullptr) {
    return Status::Rejected("definition_version_changed",
                            "\"" + action.name +
                                "\" is not an action of version " +
                                std::to_string(judged.version) +
                                ", which this nomination runs under");
  }
  return CheckActionOpen(state, exemplar_id, *spec, actor, now, judged,
                         authority);
}

template <typename Pick>
json ActionRoutes::Actions(const Request& request, const RouteParams& params,
                           const Authority& authority,
                           const ExemplarState& state,
                           const std::string& exemplar_id, std::int64_t now,
                           Pick pick) const {
  json actions = json::array();
  for (const ActionSpec& action : definition_.actions) {
    if (!pick(action)) continue;
    // The target unit's officers act there (target_scope.h).
    const std::string unit = ActingScopeUnit(state, action, nullptr, authority,
                                             params.context.user_id, now);
    Result<Actor> actor = ResolveActor(
        authority, params.context.user_id, action.roles,
        ActingChoiceOf(request), unit.empty() ? state.unit_id : unit, now);
    Status open = actor.ok() ? OpenUnder(state, exemplar_id, action, *actor,
                                         now, authority)
                             : actor.status();
    json fields = json::array();
    for (const FieldSpec& field : action.fields) {
      fields.push_back(FieldToJson(field));
    }
    json out = {{"action", action.name},
                {"vi", action.label.vi},
                {"en", action.label.en},
                {"allowed", open.ok()}};
    if (!open.ok()) out["refusal"] = RefusalToJson(open);
    out["fields"] = std::move(fields);
    actions.push_back(std::move(out));
  }
  return actions;
}

Response ActionRoutes::OnExemplar(const Request& request,
                                  const RouteParams& params) const {
  const std::string& id = params.path.at("id");
  const std::int64_t now = clock_();
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  Result<ExemplarState> state = handler_.LoadExemplar(id);
  if (!state.ok()) return ProblemFromStatus(request, state.status());
  auto sees = [&](const std::string& unit) {
    return SeesUnit(**authority, params.context.user_id, unit, now);
  };
  if (!state->exists() ||
      !(sees(state->unit_id) || SeesATargetUnit(*state, definition_, sees))) {
    return ProblemFromStatus(request, ExemplarNotFound(id));
  }
  json actions =
      Actions(request, params, **authority, *state, id, now,
              [](const ActionSpec& action) { return !action.creates; });
  return JsonResponse(request, http::status::ok,
                      {{"exemplar_id", id},
                       {"state", state->state},
                       {"actions", std::move(actions)}});
}

Response ActionRoutes::Creating(const Request& request,
                                const RouteParams& params) const {
  const std::int64_t now = clock_();
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return ProblemFromStatus(request, authority.status());
  json actions =
      Actions(request, params, **authority, ExemplarState{}, "", now,
              [](const ActionSpec& action) { return action.creates; });
  return JsonResponse(request, http::status::ok,
                      {{"actions", std::move(actions)}});
}

}  // namespace

void AddActionRoutes(Router& router, CommandHandler& handler,
                     ActionRouteOptions options) {
  auto routes = std::make_shared<const ActionRoutes>(handler, options);
  // They read the authority in memory and one exemplar's stream, as a
  // command does before its append: answered on the I/O thread.
  RouteOptions quick;
  quick.quick = [](const Request&, const RouteParams&) { return true; };
  router.Add(
      http::verb::get, "/v1/exemplars/{id}/actions",
      [routes](const Request& request, const RouteParams& params) {
        return Reply(routes->OnExemplar(request, params));
      },
      quick);
  router.Add(
      http::verb::get, "/v1/actions",
      [routes](const Request& request, const RouteParams& params) {
        return Reply(routes->Creating(request, params));
      },
      quick);
}

}  // namespace exemplar::api
