#include "api/funnel_routes.h"

#include <cstdint>
#include <memory>
#include <set>

#include "api/auth.h"
#include "api/json_body.h"
#include "engine/workflow/funnel.h"
#include "events/clock.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

// The members of a request body, read with the member named on error.
class Body {
 public:
  Body(const json& body, std::set<std::string> known)
      : body_(body), known_(std::move(known)) {}

  Status CheckMembers() const {
    for (const auto& [name, value] : body_.items()) {
      if (!known_.contains(name)) return Invalid(name, "unknown member");
    }
    return Status::Ok();
  }

  template <typename T>
  Status Read(const char* name, T* out, bool required = true) const {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
      return required ? Invalid(name, "is required") : Status::Ok();
    }
    try {
      if constexpr (std::is_same_v<T, int>) {
        // Read wide first, so that a huge number is not cut to a year.
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
            it->get<std::int64_t>() > 9999) {
          return Invalid(name, "expected a year");
        }
      } else if constexpr (std::is_same_v<T, double>) {
        if (!it->is_number()) return Invalid(name, "expected a number");
      }
      *out = it->get<T>();
    } catch (const std::exception&) {
      return Invalid(name, "has the wrong type");
    }
    return Status::Ok();
  }

 private:
  static Status Invalid(const std::string& name, const std::string& problem) {
    return Status::Rejected("validation_failed", name + " " + problem, name);
  }
  const json& body_;
  std::set<std::string> known_;
};

Result<FunnelAction> ListOf(const json& body, bool select) {
  Body members(body, {"unit_id", "year", "exemplar_ids", "note"});
  RegisterList list;
  for (const Status& read :
       {members.CheckMembers(), members.Read("unit_id", &list.unit_id),
        members.Read("year", &list.year),
        members.Read("exemplar_ids", &list.exemplar_ids),
        members.Read("note", &list.note, false)}) {
    if (!read.ok()) return read;
  }
  if (!select) return FunnelAction(list);
  return FunnelAction(
      SelectList{list.unit_id, list.year, list.exemplar_ids, list.note});
}

Result<FunnelAction> SubmissionOf(const json& body, const std::string& id) {
  Body members(body, {"recipient_unit_id"});
  SubmitList submit;
  for (const Status& read :
       {members.CheckMembers(),
        members.Read("recipient_unit_id", &submit.recipient_unit_id)}) {
    if (!read.ok()) return read;
  }
  // "<year>-<unit id>"
  const std::size_t dash = id.find('-');
  if (dash != 4 || id.find_first_not_of("0123456789") != 4) {
    return Status::NotFound("no registration " + id);
  }
  submit.year = std::stoi(id.substr(0, 4));
  submit.unit_id = id.substr(5);
  return FunnelAction(submit);
}

Result<FunnelAction> ScoreOf(const json& body) {
  Body members(body, {"unit_id", "period", "score", "comment"});
  ScorePropagation score;
  for (const Status& read :
       {members.CheckMembers(), members.Read("unit_id", &score.unit_id),
        members.Read("period", &score.period),
        members.Read("score", &score.score),
        members.Read("comment", &score.comment, false)}) {
    if (!read.ok()) return read;
  }
  return FunnelAction(score);
}

// What a route makes of its request: the command's action.
using Parse = std::function<Result<FunnelAction>(const json& body,
                                                 const RouteParams& params)>;

Response Created(const Request& request, const FunnelCommand& command,
                 const AppendResult& result) {
  const std::string stream = FunnelStreamId(command);
  const bool score = std::holds_alternative<ScorePropagation>(command.action);
  const std::string id = stream.substr(stream.find('-') + 1);
  json body = {{score ? "assessment_id" : "registration_id", id},
               {"stream_id", stream},
               {"position", result.last_position}};
  Response response = JsonResponse(request, http::status::created, body);
  response.set(http::field::location,
               score ? "/v1/reports/propagation" : "/v1/reports/registrations");
  return response;
}

AsyncHandler FunnelRoute(CommandHandler& handler, Parse parse) {
  return
      [&handler, parse = std::move(parse)](
          const Request& request, const RouteParams& params, Respond respond) {
        json body;
        if (auto problem = ParseJsonObject(request, &body)) {
          return respond(std::move(*problem));
        }
        Result<FunnelAction> action = parse(body, params);
        if (!action.ok())
          return respond(ProblemFromStatus(request, action.status()));
        const std::int64_t now = SystemClockMicros();
        auto authority = handler.CurrentAuthority();
        if (!authority.ok()) {
          return respond(ProblemFromStatus(request, authority.status()));
        }
        FunnelCommand command{*action,
                              {},
                              now,
                              params.context.request_id,
                              params.context.remote_address};
        const std::string unit = FunnelUnit(command);
        const std::string& user = params.context.user_id;
        if (!SeesUnit(**authority, user, unit, now)) {
          return respond(ProblemFromStatus(
              request,
              Status::Rejected("unknown_unit", "no unit " + unit, "unit_id")));
        }
        std::vector<std::string> roles =
            FunnelRoles(command, **authority, handler.definition());
        if (roles.empty()) {
          command.actor = Actor{user, "", ""};  // the engine refuses: no step
        } else {
          Result<Actor> actor = ResolveActor(
              **authority, user, roles, ActingChoiceOf(request), unit, now);
          if (!actor.ok())
            return respond(ProblemFromStatus(request, actor.status()));
          command.actor = *actor;
        }
        handler.HandleAsync(
            command, {},
            [&request, command, respond](Result<AppendResult> appended) {
              if (!appended.ok()) {
                return respond(ProblemFromStatus(request, appended.status()));
              }
              respond(Created(request, command, *appended));
            });
      };
}

}  // namespace

void AddFunnelRoutes(Router& router, CommandHandler& handler) {
  router.Add(http::verb::post, "/v1/registrations",
             FunnelRoute(handler, [](const json& body, const RouteParams&) {
               return ListOf(body, false);
             }));
  router.Add(http::verb::post, "/v1/selections",
             FunnelRoute(handler, [](const json& body, const RouteParams&) {
               return ListOf(body, true);
             }));
  router.Add(
      http::verb::post, "/v1/registrations/{id}/submit",
      FunnelRoute(handler, [](const json& body, const RouteParams& params) {
        return SubmissionOf(body, params.path.at("id"));
      }));
  router.Add(http::verb::post, "/v1/propagation-assessments",
             FunnelRoute(handler, [](const json& body, const RouteParams&) {
               return ScoreOf(body);
             }));
}

}  // namespace exemplar::api
