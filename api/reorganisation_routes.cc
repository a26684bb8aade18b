#include "api/reorganisation_routes.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "api/auth.h"
#include "api/json_body.h"
#include "api/read_scope.h"
#include "engine/workflow/ids.h"
#include "engine/workflow/stream_ids.h"
#include "events/clock.h"
#include "events/event_json.h"
#include "events/payload_codec.h"
#include "events/sha256.h"
#include "events/system_events.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

// Reads a request's members, naming the first one that is wrong.
class BodyReader {
 public:
  BodyReader(const json& body, std::string prefix = "")
      : body_(body), prefix_(std::move(prefix)) {}

  // kInvalidArgument naming a member not in `known`.
  Status OnlyKnown(const std::vector<std::string>& known) const {
    for (const auto& [name, value] : body_.items()) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return Bad(name, "unknown member " + prefix_ + name);
      }
    }
    return Status::Ok();
  }

  Status Text(const std::string& name, bool required, std::string* out) const {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
      return required ? Bad(name, prefix_ + name + " is required")
                      : Status::Ok();
    }
    if (!it->is_string()) return Bad(name, prefix_ + name + " is a string");
    *out = it->get<std::string>();
    return Status::Ok();
  }

  Status Date(const std::string& name, bool required,
              std::optional<CivilDate>* out) const {
    std::string text;
    EXEMPLAR_RETURN_IF_ERROR(Text(name, required, &text));
    if (text.empty() && !required) return Status::Ok();
    Result<CivilDate> date = CivilDate::Parse(text);
    if (!date.ok()) return Bad(name, prefix_ + name + " is a YYYY-MM-DD date");
    *out = *date;
    return Status::Ok();
  }

  Status Texts(const std::string& name, std::vector<std::string>* out) const {
    auto it = body_.find(name);
    if (it == body_.end()) return Bad(name, prefix_ + name + " is required");
    if (!it->is_array()) return Bad(name, prefix_ + name + " is an array");
    for (const json& item : *it) {
      if (!item.is_string()) {
        return Bad(name, prefix_ + name + " holds strings");
      }
      out->push_back(item.get<std::string>());
    }
    return Status::Ok();
  }

  // The member `name`, which must be an object (or an array when `array`).
  Result<const json*> Member(const std::string& name, bool required,
                             bool array = false) const {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
      if (required) return Bad(name, prefix_ + name + " is required");
      return static_cast<const json*>(nullptr);
    }
    if (array ? !it->is_array() : !it->is_object()) {
      return Bad(name,
                 prefix_ + name + (array ? " is an array" : " is an object"));
    }
    return &*it;
  }

  std::string Field(const std::string& name) const { return prefix_ + name; }

 private:
  Status Bad(const std::string& name, const std::string& message) const {
    return Status::Rejected("validation_failed", message, prefix_ + name);
  }

  const json& body_;
  std::string prefix_;
};

Result<LegalBasis> LegalBasisOf(const BodyReader& body) {
  Result<const json*> member = body.Member("legal_basis", true);
  if (!member.ok()) return member.status();
  BodyReader basis(**member, "legal_basis.");
  EXEMPLAR_RETURN_IF_ERROR(
      basis.OnlyKnown({"document_number", "document_date", "issuer"}));
  LegalBasis out;
  std::optional<CivilDate> date;
  EXEMPLAR_RETURN_IF_ERROR(
      basis.Text("document_number", true, &out.document_number));
  EXEMPLAR_RETURN_IF_ERROR(basis.Date("document_date", true, &date));
  EXEMPLAR_RETURN_IF_ERROR(basis.Text("issuer", true, &out.issuer));
  out.document_date = *date;
  return out;
}

Result<UnitSpec> UnitSpecOf(const json& item, const std::string& prefix) {
  if (!item.is_object()) {
    return Status::Rejected("validation_failed", prefix + " is an object",
                            prefix);
  }
  BodyReader spec(item, prefix + ".");
  EXEMPLAR_RETURN_IF_ERROR(
      spec.OnlyKnown({"unit_id", "name", "level", "parent_id"}));
  UnitSpec out;
  EXEMPLAR_RETURN_IF_ERROR(spec.Text("unit_id", true, &out.unit_id));
  EXEMPLAR_RETURN_IF_ERROR(spec.Text("name", false, &out.name));
  EXEMPLAR_RETURN_IF_ERROR(spec.Text("level", false, &out.level));
  EXEMPLAR_RETURN_IF_ERROR(spec.Text("parent_id", false, &out.parent_id));
  return out;
}

// The members every reorganisation shares; an unstated id is drawn.
template <typename T>
Status CommonOf(const BodyReader& body, T* out) {
  EXEMPLAR_RETURN_IF_ERROR(
      body.Text("reorganisation_id", false, &out->reorganisation_id));
  if (out->reorganisation_id.empty()) {
    out->reorganisation_id = NewReorganisationId();
  }
  Result<LegalBasis> basis = LegalBasisOf(body);
  if (!basis.ok()) return basis.status();
  out->legal_basis = *basis;
  return body.Date("effective_date", false, &out->effective_date);
}

Result<ReorganisationAction> MergeOf(const json& request) {
  BodyReader body(request);
  EXEMPLAR_RETURN_IF_ERROR(body.OnlyKnown(
      {"reorganisation_id", "units", "into", "legal_basis", "effective_date"}));
  MergeUnits merge;
  EXEMPLAR_RETURN_IF_ERROR(body.Texts("units", &merge.units));
  Result<const json*> into = body.Member("into", true);
  if (!into.ok()) return into.status();
  Result<UnitSpec> spec = UnitSpecOf(**into, "into");
  if (!spec.ok()) return spec.status();
  merge.into = *spec;
  EXEMPLAR_RETURN_IF_ERROR(CommonOf(body, &merge));
  return ReorganisationAction(std::move(merge));
}

Result<ReorganisationAction> SplitOf(const json& request) {
  BodyReader body(request);
  EXEMPLAR_RETURN_IF_ERROR(
      body.OnlyKnown({"reorganisation_id", "unit_id", "into", "assignments",
                      "default_successor", "legal_basis", "effective_date"}));
  SplitUnit split;
  EXEMPLAR_RETURN_IF_ERROR(body.Text("unit_id", true, &split.unit_id));
  Result<const json*> into = body.Member("into", true, true);
  if (!into.ok()) return into.status();
  for (std::size_t i = 0; i < (*into)->size(); ++i) {
    Result<UnitSpec> spec =
        UnitSpecOf((**into)[i], "into[" + std::to_string(i) + "]");
    if (!spec.ok()) return spec.status();
    split.into.push_back(*spec);
  }
  Result<const json*> assignments = body.Member("assignments", false);
  if (!assignments.ok()) return assignments.status();
  if (*assignments != nullptr) {
    for (const auto& [exemplar, unit] : (*assignments)->items()) {
      if (!unit.is_string()) {
        return Status::Rejected("validation_failed",
                                "an assignment names a unit id",
                                "assignments." + exemplar);
      }
      split.assignments[exemplar] = unit.get<std::string>();
    }
  }
  EXEMPLAR_RETURN_IF_ERROR(
      body.Text("default_successor", false, &split.default_successor));
  EXEMPLAR_RETURN_IF_ERROR(CommonOf(body, &split));
  return ReorganisationAction(std::move(split));
}

Result<ReorganisationAction> DissolveOf(const json& request) {
  BodyReader body(request);
  EXEMPLAR_RETURN_IF_ERROR(
      body.OnlyKnown({"reorganisation_id", "parent_id", "level", "legal_basis",
                      "effective_date"}));
  DissolveLevel dissolve;
  EXEMPLAR_RETURN_IF_ERROR(body.Text("parent_id", true, &dissolve.parent_id));
  EXEMPLAR_RETURN_IF_ERROR(body.Text("level", true, &dissolve.level));
  EXEMPLAR_RETURN_IF_ERROR(CommonOf(body, &dissolve));
  return ReorganisationAction(std::move(dissolve));
}

// A unit the command names, for picking the caller's admin grant.
std::string NamedUnit(const ReorganisationAction& action) {
  if (const auto* merge = std::get_if<MergeUnits>(&action)) {
    return merge->units.empty() ? std::string() : merge->units.front();
  }
  if (const auto* split = std::get_if<SplitUnit>(&action)) {
    return split->unit_id;
  }
  return std::get<DissolveLevel>(action).parent_id;
}

// How far the carry-over of one reorganisation has come.
struct CarryOverProgress {
  std::uint64_t transferred = 0;  // exemplar_transferred naming it
  std::uint64_t pending = 0;      // exemplars still in a unit it ended
  json refused = json::array();   // transfers refused just now
  json ToJson() const {
    json out = {{"transferred", transferred}, {"pending", pending}};
    if (!refused.empty()) out["refused"] = refused;
    return out;
  }
};

std::string HeaderOf(const Request& request, std::string_view name) {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  return it == request.end() ? std::string() : std::string(it->value());
}

// The reorganisation id a caller's idempotency key stands for.
std::string KeyedId(const std::string& user, const std::string& key) {
  return "r-" + ToHex(Sha256({user, "|", key})).substr(0, 20);
}

class ReorganisationRoutes {
 public:
  ReorganisationRoutes(const EventStore& store, CommandHandler& handler,
                       const projections::Projections& projections,
                       IdempotencyIndex& idempotency,
                       ReorganisationRouteOptions options)
      : store_(store),
        handler_(handler),
        projections_(projections),
        idempotency_(idempotency),
        clock_(options.clock ? options.clock : SystemClockMicros) {}

  Response Reorganise(
      const Request& request, const RouteParams& params,
      Result<ReorganisationAction> (*parse)(const json& body)) const {
    json body;
    if (auto problem = ParseJsonObject(request, &body)) return *problem;
    const std::string& user = params.context.user_id;
    const std::string key = HeaderOf(request, "Idempotency-Key");
    CommandOptions options;
    if (!key.empty()) {
      // A retry without an id finds the first by the id its key gives.
      if (!body.contains("reorganisation_id")) {
        body["reorganisation_id"] = KeyedId(user, key);
      }
      Result<std::string> claimed = idempotency_.Claim(
          user, key,
          Fingerprint({std::string(request.method_string()),
                       std::string(request.target()), request.body()}));
      if (!claimed.ok()) return ProblemFromStatus(request, claimed.status());
      options.idempotency_key = *claimed;
    }
    Result<ReorganisationAction> action = parse(body);
    if (!action.ok()) return ProblemFromStatus(request, action.status());
    const std::int64_t now = clock_();
    Result<Actor> actor = AdminActor(request, params, NamedUnit(*action), now);
    if (!actor.ok()) return ProblemFromStatus(request, actor.status());
    ReorganisationCommand command{*action, *actor, now,
                                  params.context.request_id,
                                  params.context.remote_address};
    Result<AppendResult> appended = handler_.Handle(command, options);
    if (!appended.ok()) {
      if (!key.empty()) idempotency_.Release(user, key);
      return ProblemFromStatus(request, appended.status());
    }
    const std::string id = ReorganisationStreamId(command).substr(
        StreamPrefix(StreamKind::kReorganisation).size());
    // The reorganisation stands whatever becomes of its carry-over, which
    // the carry-over route finishes.
    Result<CarryOverProgress> progress =
        CarryOver(id, *actor, params, appended->last_position);
    Response response = JsonResponse(
        request, http::status::created,
        {{"reorganisation_id", id},
         {"stream_id", ReorganisationStreamId(command)},
         {"position", appended->last_position},
         {"carry_over", progress.ok()
                            ? progress->ToJson()
                            : json{{"error", progress.status().message()}}}});
    response.set(http::field::location, "/v1/reorganisations/" + id);
    if (appended->deduplicated) response.set("Idempotent-Replayed", "true");
    return response;
  }

  Response RunCarryOver(const Request& request,
                        const RouteParams& params) const {
    const std::string& id = params.path.at("id");
    auto authority = handler_.CurrentAuthority();
    if (!authority.ok()) return ProblemFromStatus(request, authority.status());
    const ReorganisationRecord* record = Visible(**authority, params, id);
    if (record == nullptr) return Unknown(request, id);
    const std::int64_t now = clock_();
    const std::string& ended = record->event.ended.front();
    Result<Actor> actor = AdminActor(request, params, ended, now);
    if (!actor.ok()) return ProblemFromStatus(request, actor.status());
    // Refused even when nothing is left to move: the engine decides each
    // transfer, but a caller who could make none is told so.
    if (Status admin =
            (*authority)
                ->HeldRole(actor->user_id, "admin", actor->unit_id, ended, now);
        !admin.ok()) {
      return ProblemFromStatus(request, admin);
    }
    Result<CarryOverProgress> progress =
        CarryOver(id, *actor, params, record->position);
    if (!progress.ok()) return ProblemFromStatus(request, progress.status());
    json out = progress->ToJson();
    out["reorganisation_id"] = id;
    return JsonResponse(request, http::status::ok, out);
  }

  Response List(const Request& request, const RouteParams& params) const {
    auto authority = handler_.CurrentAuthority();
    if (!authority.ok()) return ProblemFromStatus(request, authority.status());
    json items = json::array();
    for (const auto& [id, record] : (*authority)->units().reorganisations()) {
      if (Visible(**authority, params, id) != nullptr) {
        items.push_back(RecordToJson(record));
      }
    }
    return JsonResponse(request, http::status::ok, {{"items", items}});
  }

  Response One(const Request& request, const RouteParams& params) const {
    const std::string& id = params.path.at("id");
    auto authority = handler_.CurrentAuthority();
    if (!authority.ok()) return ProblemFromStatus(request, authority.status());
    const ReorganisationRecord* record = Visible(**authority, params, id);
    if (record == nullptr) return Unknown(request, id);
    Result<CarryOverProgress> progress = Progress(*record);
    if (!progress.ok()) return ProblemFromStatus(request, progress.status());
    json out = RecordToJson(*record);
    out["carry_over"] = progress->ToJson();
    return JsonResponse(request, http::status::ok, out);
  }

 private:
  Result<Actor> AdminActor(const Request& request, const RouteParams& params,
                           const std::string& unit, std::int64_t now) const {
    auto authority = handler_.CurrentAuthority();
    if (!authority.ok()) return authority.status();
    return ResolveActor(**authority, params.context.user_id, {"admin"},
                        ActingChoiceOf(request), unit, now);
  }

  // The reorganisation when the caller may read one of the units it ended
  // or created (an ended unit lies where its successors lie); nullptr
  // otherwise, as for an unknown one.
  const ReorganisationRecord* Visible(const Authority& authority,
                                      const RouteParams& params,
                                      const std::string& id) const {
    const ReorganisationRecord* record =
        authority.units().FindReorganisation(id);
    if (record == nullptr) return nullptr;
    const std::int64_t now = clock_();
    auto readable = ReadableUnits(authority, params.context.user_id, now);
    if (!readable.ok()) return nullptr;
    for (const std::string& unit : record->event.ended) {
      for (const std::string& root : *readable) {
        if (authority.IsWithin(unit, root, now)) return record;
      }
    }
    return nullptr;
  }

  static Response Unknown(const Request& request, const std::string& id) {
    return Problem(request, http::status::not_found, "unknown_reorganisation",
                   "no reorganisation " + id, "id");
  }

  json RecordToJson(const ReorganisationRecord& record) const {
    json out = PayloadToJson(record.event);
    out["recorded_at"] = FormatTimestamp(record.at_us);
    out["position"] = record.position;
    out["actor"] = {{"user_id", record.actor.user_id},
                    {"role", record.actor.role},
                    {"unit_id", record.actor.unit_id}};
    return out;
  }

  // The exemplars still in `unit`: the projections' candidates, each
  // checked against its own stream.
  Result<std::vector<std::string>> StillIn(const std::string& unit) const {
    std::vector<std::string> ids;
    projections::ExemplarListQuery query;
    query.unit_id = unit;
    query.limit = 1000;
    Status read;
    Status paged = projections_.ExemplarPages(
        query, {}, [&](const projections::ExemplarListPage& page) {
          for (const projections::ExemplarRow& row : page.items) {
            Result<ExemplarState> state = handler_.LoadExemplar(row.id);
            if (!state.ok()) {
              read = state.status();
              return false;
            }
            if (state->unit_id == unit) ids.push_back(row.id);
          }
          return true;
        });
    EXEMPLAR_RETURN_IF_ERROR(paged);
    EXEMPLAR_RETURN_IF_ERROR(read);
    return ids;
  }

  // Moves every exemplar still in a unit `id` ended to its successor.
  Result<CarryOverProgress> CarryOver(const std::string& id, const Actor& actor,
                                      const RouteParams& params,
                                      std::uint64_t position) const {
    EXEMPLAR_RETURN_IF_ERROR(
        projections_.WaitForPosition(position, std::chrono::seconds(10)));
    auto authority = handler_.CurrentAuthority();
    if (!authority.ok()) return authority.status();
    const ReorganisationRecord* record =
        (*authority)->units().FindReorganisation(id);
    if (record == nullptr) return Status::NotFound("no reorganisation " + id);
    json refused = json::array();
    for (const std::string& unit : record->event.ended) {
      Result<std::vector<std::string>> exemplars = StillIn(unit);
      if (!exemplars.ok()) return exemplars.status();
      for (const std::string& exemplar : *exemplars) {
        TransferCommand command{
            {exemplar, id, unit,
             CarryOverTarget(record->event, exemplar, unit)},
            actor,
            clock_(),
            params.context.request_id,
            params.context.remote_address};
        Result<AppendResult> moved = handler_.Handle(command);
        if (!moved.ok()) {
          refused.push_back({{"exemplar_id", exemplar},
                             {"code", moved.status().reason()},
                             {"detail", moved.status().message()}});
        }
      }
    }
    Result<CarryOverProgress> progress = Progress(*record);
    if (progress.ok()) progress->refused = std::move(refused);
    return progress;
  }

  // Transfers naming the reorganisation (they all follow it in the log)
  // and the exemplars still in the units it ended.
  Result<CarryOverProgress> Progress(const ReorganisationRecord& record) const {
    CarryOverProgress progress;
    const EventFilter transfers{
        {ExemplarTransferred::kType},
        std::string(StreamPrefix(StreamKind::kExemplar))};
    for (std::uint64_t from = record.position + 1;;) {
      auto page = store_.ReadAll(from, 1000, transfers);
      if (!page.ok()) return page.status();
      for (const EventRecord& event : page->events) {
        auto moved = DecodeRecordPayload<ExemplarTransferred>(event);
        if (moved.ok() &&
            moved->reorganisation_id == record.event.reorganisation_id) {
          ++progress.transferred;
        }
      }
      if (page->next_position <= from) break;
      from = page->next_position;
    }
    for (const std::string& unit : record.event.ended) {
      Result<std::vector<std::string>> exemplars = StillIn(unit);
      if (!exemplars.ok()) return exemplars.status();
      progress.pending += exemplars->size();
    }
    return progress;
  }

  const EventStore& store_;
  CommandHandler& handler_;
  const projections::Projections& projections_;
  IdempotencyIndex& idempotency_;
  std::function<std::int64_t()> clock_;
};

}  // namespace

void AddReorganisationRoutes(Router& router, const EventStore& store,
                             CommandHandler& handler,
                             const projections::Projections& projections,
                             IdempotencyIndex& idempotency,
                             ReorganisationRouteOptions options) {
  auto routes = std::make_shared<ReorganisationRoutes>(
      store, handler, projections, idempotency, options);
  using Parse = Result<ReorganisationAction> (*)(const json&);
  for (const auto& [path, parse] : std::vector<std::pair<std::string, Parse>>{
           {"merge", &MergeOf},
           {"split", &SplitOf},
           {"dissolve-level", &DissolveOf}}) {
    router.Add(
        http::verb::post, "/v1/reorganisations/" + path,
        [routes, parse](const Request& request, const RouteParams& params) {
          return routes->Reorganise(request, params, parse);
        });
  }
  router.Add(http::verb::get, "/v1/reorganisations",
             [routes](const Request& request, const RouteParams& params) {
               return routes->List(request, params);
             });
  router.Add(http::verb::get, "/v1/reorganisations/{id}",
             [routes](const Request& request, const RouteParams& params) {
               return routes->One(request, params);
             });
  router.Add(http::verb::post, "/v1/reorganisations/{id}/carry-over",
             [routes](const Request& request, const RouteParams& params) {
               return routes->RunCarryOver(request, params);
             });
}

}  // namespace exemplar::api
