#include "api/query_routes.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "api/caller_slots.h"
#include "api/etag.h"
#include "api/export_stream.h"
#include "api/query.h"
#include "api/read_scope.h"
#include "api/view_cache.h"
#include "engine/workflow/event_data.h"
#include "engine/workflow/target_scope.h"
#include "events/clock.h"
#include "projections/export.h"
#include "projections/funnel_reports.h"

namespace exemplar::api {
namespace {

using projections::AsOf;
using projections::Projections;
using projections::ReadScope;

// The years a report may be asked for: four digits, as dates are written.
constexpr std::uint64_t kFirstYear = 1;
constexpr std::uint64_t kLastYear = 9999;

Response TextResponse(const Request& request, const std::string& content_type,
                      std::string body) {
  Response response(http::status::ok, request.version());
  response.set(http::field::content_type, content_type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

// Rows per page of a streamed export.
constexpr std::size_t kExportPage = 1000;

// The JSON form, or the export the Accept header asks for.
template <typename Answer>
Response Render(const Request& request, const Answer& answer, int utc_offset,
                const projections::CodeLabels& labels) {
  Format format = Negotiate(request);
  if (format == Format::kJson) {
    if constexpr (std::is_same_v<Answer, projections::QuotaReport>) {
      return JsonResponse(request, http::status::ok, ToJson(answer));
    } else {
      return JsonResponse(request, http::status::ok,
                          ToJson(answer, utc_offset));
    }
  }
  projections::Table table;
  if constexpr (std::is_same_v<Answer, projections::QuotaReport>) {
    table = projections::ToTable(answer);
  } else {
    table = projections::ToTable(answer, utc_offset);
  }
  return TextResponse(
      request, ContentType(format),
      ExportBytes(std::move(table), format, /*first=*/true, labels));
}

class QueryRoutes {
 public:
  QueryRoutes(const EventStore& store, const Projections& projections,
              CommandHandler& handler, QueryRouteOptions options)
      : store_(store),
        projections_(projections),
        handler_(handler),
        options_(options),
        utc_offset_(projections.options().utc_offset_minutes),
        labels_(projections::VietnameseLabels(handler.definition())),
        views_(options.view_cache_bytes),
        waits_({options.max_waits_per_user, options.max_waits_per_token,
                options.max_waits}),
        exports_({options.max_exports_per_user, options.max_exports_per_token,
                  options.max_exports}) {}

  // The route handlers.
  // The list and the ledger answer a page as JSON, or stream an export of
  // every row.
  void List(const Request& request, const RouteParams& params,
            Respond respond) const;
  Response View(const Request& request, const RouteParams& params) const;
  Response History(const Request& request, const RouteParams& params) const;
  void Ledger(const Request& request, const RouteParams& params,
              Respond respond) const;
  Response Quotas(const Request& request, const RouteParams& params) const;
  Response Deadlines(const Request& request, const RouteParams& params) const;
  Response FollowUp(const Request& request, const RouteParams& params) const;
  Response Retention(const Request& request, const RouteParams& params) const;
  Response Registrations(const Request& request,
                         const RouteParams& params) const;
  Response Propagation(const Request& request, const RouteParams& params) const;
  Response Reorganisation(const Request& request,
                          const RouteParams& params) const;
  Response Units(const Request& request, const RouteParams& params) const;
  Response Lineage(const Request& request, const RouteParams& params) const;
  Response Users(const Request& request, const RouteParams& params) const;

 private:
  // What the caller may read (api/read_scope.h): the same for every route,
  // whatever `as_of` shows.
  using Scope = ReadScope;

  Result<Scope> ScopeOf(const RouteParams& params) const;
  // The exemplar, or kNotFound when it is unknown or outside `scope` (out
  // of scope reads look like unknown ids: no existence oracle).
  Result<projections::ExemplarView> VisibleExemplar(const std::string& id,
                                                    const Scope& scope,
                                                    const AsOf& as_of) const;
  // The exemplar's view as JSON, from the cache when nothing changed since
  // it was rendered; kNotFound as VisibleExemplar.
  Result<RenderedView> VisibleView(const std::string& id, const Scope& scope,
                                   const AsOf& as_of) const;
  // Whether the exemplar's view opens to `scope` as the target unit of a
  // replication it follows there (engine/workflow/target_scope.h): the
  // view's one exception to the scope rule.
  bool FollowsAReplication(const std::string& id, const Scope& scope) const;
  // Waits for `min_position` when the query names one and the projections
  // are behind it, in one of the caller's waiting slots: kRejected
  // "too_many_requests" when the caller holds all of theirs.
  Status CatchUp(const RouteParams& params) const;
  // The checks every query shares: the caller's scope, time travel and
  // the wait for `min_position`. The response refusing the query, or
  // nullopt with `*scope` and `*as_of` filled in.
  std::optional<Response> Prepare(const Request& request,
                                  const RouteParams& params, Scope* scope,
                                  AsOf* as_of) const;
  // Runs the checks every query shares, then `answer`.
  template <typename Answer>
  Response Query(const Request& request, const RouteParams& params,
                 Answer answer) const;
  // The list or the ledger: after the shared checks, `parse(params)` reads
  // the query, then `page(query, as_of)` answers one page as JSON, or the
  // export the Accept header asks for streams every page `pages(query,
  // as_of, visit)` walks, in one of the caller's export slots. `limit`
  // pages the JSON answer only: with an export it is refused.
  template <typename Page, typename Parse, typename One, typename All>
  void Paged(const Request& request, const RouteParams& params, Respond respond,
             Parse parse, One page, All pages) const;

  const EventStore& store_;
  const Projections& projections_;
  CommandHandler& handler_;
  QueryRouteOptions options_;
  int utc_offset_;
  // The CSV exports' label columns, from the definition.
  const projections::CodeLabels labels_;
  mutable ViewCache views_;
  mutable CallerSlots waits_;    // queries waiting in CatchUp
  mutable CallerSlots exports_;  // exports being streamed
};

Result<QueryRoutes::Scope> QueryRoutes::ScopeOf(
    const RouteParams& params) const {
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return authority.status();
  return ReaderScope(std::move(*authority), params.context.user_id,
                     SystemClockMicros());
}

// What an unknown exemplar and one out of the reader's scope both answer.
Status NoExemplar(const std::string& id) {
  return Status::NotFound("no exemplar " + id);
}

Result<projections::ExemplarView> QueryRoutes::VisibleExemplar(
    const std::string& id, const Scope& scope, const AsOf& as_of) const {
  auto view = projections_.Exemplar(id, as_of);
  if ((view.ok() && !scope.Covers(view->unit_id)) ||
      view.status().code() == StatusCode::kNotFound) {
    return NoExemplar(id);
  }
  return view;
}

Result<RenderedView> QueryRoutes::VisibleView(const std::string& id,
                                              const Scope& scope,
                                              const AsOf& as_of) const {
  const bool now = as_of.live();
  // Stamped before rendering, which then shows at least the stamped state:
  // a later lookup with the same stamp never gets an older view.
  const ViewStamp stamp{store_.head().position, projections_.position()};
  std::optional<RenderedView> cached;
  if (now) cached = views_.Find(id, stamp);
  if (!cached) {
    auto view = projections_.Exemplar(id, as_of);
    if (!view.ok()) {
      if (view.status().code() != StatusCode::kNotFound) return view.status();
      return NoExemplar(id);
    }
    cached = RenderedView{
        view->unit_id,
        std::make_shared<const std::string>(ToJson(*view, utc_offset_).dump()),
        view->version};
    if (now) views_.Put(id, stamp, *cached);
  }
  if (!scope.Covers(cached->unit_id) && !FollowsAReplication(id, scope)) {
    return NoExemplar(id);
  }
  return *cached;
}

bool QueryRoutes::FollowsAReplication(const std::string& id,
                                      const Scope& scope) const {
  Result<ExemplarState> state = handler_.LoadExemplar(id);
  return state.ok() && SeesATargetUnit(*state, handler_.definition(),
                                       [&](const std::string& unit) {
                                         return scope.Covers(unit);
                                       });
}

Status QueryRoutes::CatchUp(const RouteParams& params) const {
  auto position = QueryNumber(params, "min_position", 0);
  if (!position.ok()) return position.status();
  if (*position == 0 || projections_.position() >= *position) {
    return Status::Ok();
  }
  auto slot =
      waits_.TryAcquire(params.context.user_id, params.context.token_id);
  if (!slot) {
    return Status::Rejected("too_many_requests",
                            "this user or token already has queries waiting "
                            "for a position; retry later",
                            "min_position");
  }
  Status reached = projections_.WaitForPosition(*position, options_.max_wait);
  if (!reached.ok()) {
    return Status::Unavailable("the projections have not reached position " +
                               std::to_string(*position) + " in time");
  }
  return reached;
}

std::optional<Response> QueryRoutes::Prepare(const Request& request,
                                             const RouteParams& params,
                                             Scope* scope, AsOf* as_of) const {
  // Authority first: a caller who may read nothing never waits.
  Result<Scope> scoped = ScopeOf(params);
  if (!scoped.ok()) return ProblemFromStatus(request, scoped.status());
  Result<AsOf> when = QueryAsOf(params, utc_offset_);
  if (!when.ok()) return ProblemFromStatus(request, when.status());
  if (Status caught_up = CatchUp(params); !caught_up.ok()) {
    if (caught_up.code() == StatusCode::kUnavailable) {
      return Problem(request, http::status::service_unavailable,
                     "not_caught_up", caught_up.message(), "min_position");
    }
    if (caught_up.reason() == "too_many_requests") {
      return TooManyRequests(request, caught_up.message());
    }
    return ProblemFromStatus(request, caught_up);
  }
  *scope = std::move(*scoped);
  *as_of = *when;
  return std::nullopt;
}

template <typename Answer>
Response QueryRoutes::Query(const Request& request, const RouteParams& params,
                            Answer answer) const {
  Scope scope;
  AsOf as_of;
  if (auto refusal = Prepare(request, params, &scope, &as_of)) {
    return *std::move(refusal);
  }
  return answer(scope, as_of);
}

template <typename Page, typename Parse, typename One, typename All>
void QueryRoutes::Paged(const Request& request, const RouteParams& params,
                        Respond respond, Parse parse, One page,
                        All pages) const {
  Scope scope;
  AsOf as_of;
  if (auto refusal = Prepare(request, params, &scope, &as_of)) {
    return respond(*std::move(refusal));
  }
  auto query = parse(params);
  if (!query.ok()) return respond(ProblemFromStatus(request, query.status()));
  query->visible = std::move(scope);
  const Format format = Negotiate(request);
  if (format == Format::kJson) {
    auto answer = page(*query, as_of);
    if (!answer.ok()) {
      return respond(ProblemFromStatus(request, answer.status()));
    }
    return respond(Render(request, *answer, utc_offset_, labels_));
  }
  if (params.query.count("limit")) {
    return respond(ProblemFromStatus(
        request, Status::InvalidArgument(
                     "an export (text/csv, application/x-ndjson) holds every "
                     "row; limit pages the JSON answer only",
                     "limit")));
  }
  auto slot =
      exports_.TryAcquire(params.context.user_id, params.context.token_id);
  if (!slot) {
    return respond(TooManyRequests(
        request,
        "this user or token is already streaming exports; retry "
        "when one ends"));
  }
  query->limit = kExportPage;
  const int offset = utc_offset_;
  StreamExport(
      request, ContentType(format), options_.export_stream,
      [&](const EmitExport& emit) {
        bool first = true;
        return pages(*query, as_of, [&](const Page& one) {
          std::string bytes = ExportBytes(projections::ToTable(one, offset),
                                          format, first, labels_);
          first = false;
          return emit(std::move(bytes));
        });
      },
      std::move(respond));
}

// Whether `order` asks for descending order: "asc" (or none) or "desc".
Result<bool> Descending(const RouteParams& params) {
  const std::string order = QueryText(params, "order");
  if (!order.empty() && order != "asc" && order != "desc") {
    return Status::InvalidArgument("order must be asc or desc", "order");
  }
  return order == "desc";
}

Result<projections::ExemplarSort> SortOf(const RouteParams& params) {
  std::string sort = QueryText(params, "sort");
  if (sort.empty() || sort == "id") return projections::ExemplarSort::kId;
  if (sort == "name") return projections::ExemplarSort::kName;
  if (sort == "detected") return projections::ExemplarSort::kDetected;
  return Status::InvalidArgument("sort must be id, name or detected", "sort");
}

// The list query's filters from the request, without the scope.
Result<projections::ExemplarListQuery> ListQueryOf(const RouteParams& params) {
  projections::ExemplarListQuery query;
  query.unit_id = QueryText(params, "unit");
  query.states = QueryList(params, "state");
  query.subject_kind = QueryText(params, "subject_kind");
  query.field = QueryText(params, "field");
  query.campaign_id = QueryText(params, "campaign");
  query.period = QueryText(params, "period");
  query.priority_flags = QueryList(params, "priority");
  query.search = QueryText(params, "q");
  query.cursor = QueryText(params, "cursor");
  for (auto [name, flag] : {std::pair{"has_mentor", &query.has_mentor},
                            {"propagated", &query.propagated},
                            {"replicated", &query.replicated}}) {
    auto value = QueryFlag(params, name);
    if (!value.ok()) return value.status();
    *flag = *value;
  }
  auto sort = SortOf(params);
  if (!sort.ok()) return sort.status();
  query.sort = *sort;
  auto descending = Descending(params);
  if (!descending.ok()) return descending.status();
  query.descending = *descending;
  auto limit = QueryNumber(params, "limit", query.limit);
  if (!limit.ok()) return limit.status();
  query.limit = *limit;
  return query;
}

void QueryRoutes::List(const Request& request, const RouteParams& params,
                       Respond respond) const {
  Paged<projections::ExemplarListPage>(
      request, params, std::move(respond), ListQueryOf,
      [this](const auto& query, const AsOf& as_of) {
        return projections_.ListExemplars(query, as_of);
      },
      [this](const auto& query, const AsOf& as_of, const auto& visit) {
        return projections_.ExemplarPages(query, as_of, visit);
      });
}

Response QueryRoutes::View(const Request& request,
                           const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    auto view = VisibleView(params.path.at("id"), scope, as_of);
    if (!view.ok()) return ProblemFromStatus(request, view.status());
    const std::string etag = VersionETag(view->version);
    if (NoneMatchHolds(request, etag)) return NotModified(request, etag);
    Response response = TextResponse(request, "application/json", *view->body);
    response.set(http::field::etag, etag);
    return response;
  });
}

Response QueryRoutes::History(const Request& request,
                              const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    const std::string& id = params.path.at("id");
    auto view = VisibleExemplar(id, scope, as_of);
    if (!view.ok()) return ProblemFromStatus(request, view.status());
    auto events = projections_.ExemplarHistory(id, as_of);
    if (!events.ok()) return ProblemFromStatus(request, events.status());
    nlohmann::json list = nlohmann::json::array();
    for (const EventRecord& event : *events) {
      list.push_back(EventToJsonWithData(handler_.definition(), event,
                                         handler_.personal_data()));
    }
    return JsonResponse(request, http::status::ok,
                        {{"exemplar_id", id}, {"events", std::move(list)}});
  });
}

// The ledger query's filters from the request, without the scope.
Result<projections::LedgerQuery> LedgerQueryOf(const RouteParams& params,
                                               int utc_offset) {
  projections::LedgerQuery query;
  query.actor_user = QueryText(params, "actor");
  query.unit_id = QueryText(params, "unit");
  query.actions = QueryList(params, "action");
  auto from = QueryInstant(params, "from", utc_offset);
  auto to = QueryInstant(params, "to", utc_offset);
  auto limit = QueryNumber(params, "limit", query.limit);
  auto after = QueryNumber(params, "after", 0);
  for (const Status& status :
       {from.status(), to.status(), limit.status(), after.status()}) {
    if (!status.ok()) return status;
  }
  query.from_us = *from;
  query.to_us = *to;
  query.limit = *limit;
  query.after_position = *after;
  auto descending = Descending(params);
  if (!descending.ok()) return descending.status();
  if (*descending) query.order = projections::LedgerOrder::kNewestFirst;
  return query;
}

void QueryRoutes::Ledger(const Request& request, const RouteParams& params,
                         Respond respond) const {
  const int offset = utc_offset_;
  Paged<projections::LedgerPage>(
      request, params, std::move(respond),
      [offset](const RouteParams& p) { return LedgerQueryOf(p, offset); },
      [this](const auto& query, const AsOf& as_of) {
        return projections_.Ledger(query, as_of);
      },
      [this](const auto& query, const AsOf& as_of, const auto& visit) {
        return projections_.LedgerPages(query, as_of, visit);
      });
}

Response QueryRoutes::Quotas(const Request& request,
                             const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    auto year = RequiredNumber(params, "year", kFirstYear, kLastYear);
    if (!year.ok()) return ProblemFromStatus(request, year.status());
    auto report = projections_.Quotas(QueryText(params, "unit"),
                                      static_cast<int>(*year), scope, as_of);
    if (!report.ok()) return ProblemFromStatus(request, report.status());
    return Render(request, *report, utc_offset_, labels_);
  });
}

Response QueryRoutes::Deadlines(const Request& request,
                                const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    auto year = RequiredNumber(params, "year", kFirstYear, kLastYear);
    if (!year.ok()) return ProblemFromStatus(request, year.status());
    auto quarter = RequiredNumber(params, "quarter", 1, 4);
    if (!quarter.ok()) return ProblemFromStatus(request, quarter.status());
    auto report = projections_.Deadlines(
        QueryText(params, "unit"), static_cast<int>(*year),
        static_cast<int>(*quarter), scope, as_of);
    if (!report.ok()) return ProblemFromStatus(request, report.status());
    return Render(request, *report, utc_offset_, labels_);
  });
}

Response QueryRoutes::FollowUp(const Request& request,
                               const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    projections::FollowUpQuery query;
    query.visible = scope;
    query.unit_id = QueryText(params, "unit");
    auto days = QueryNumber(params, "no_mentor_days", query.no_mentor_days);
    if (!days.ok()) return ProblemFromStatus(request, days.status());
    query.no_mentor_days = static_cast<int>(std::min<std::uint64_t>(
        *days, static_cast<std::uint64_t>(std::numeric_limits<int>::max())));
    auto report = projections_.FollowUp(query, as_of);
    if (!report.ok()) return ProblemFromStatus(request, report.status());
    return Render(request, *report, utc_offset_, labels_);
  });
}

Response QueryRoutes::Retention(const Request& request,
                                const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    projections::RetentionQuery query;
    query.visible = scope;
    query.unit_id = QueryText(params, "unit");
    query.due_by = QueryText(params, "due_by");
    auto report = projections_.Retention(query, as_of);
    if (!report.ok()) return ProblemFromStatus(request, report.status());
    return Render(request, *report, utc_offset_, labels_);
  });
}

Response QueryRoutes::Registrations(const Request& request,
                                    const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    auto year = RequiredNumber(params, "year", kFirstYear, kLastYear);
    if (!year.ok()) return ProblemFromStatus(request, year.status());
    auto report =
        projections::Registrations(projections_, QueryText(params, "unit"),
                                   static_cast<int>(*year), scope, as_of);
    if (!report.ok()) return ProblemFromStatus(request, report.status());
    return Render(request, *report, utc_offset_, labels_);
  });
}

Response QueryRoutes::Propagation(const Request& request,
                                  const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    auto report =
        projections::Propagation(projections_, QueryText(params, "unit"),
                                 QueryText(params, "period"), scope, as_of);
    if (!report.ok()) return ProblemFromStatus(request, report.status());
    return Render(request, *report, utc_offset_, labels_);
  });
}

Response QueryRoutes::Units(const Request& request,
                            const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    nlohmann::json list = nlohmann::json::array();
    if (params.query.count("q")) {
      auto found =
          projections_.SearchUnits(QueryText(params, "q"), scope, as_of);
      if (!found.ok()) return ProblemFromStatus(request, found.status());
      for (const projections::UnitMatch& match : *found) {
        list.push_back(ToJson(match));
      }
      return JsonResponse(request, http::status::ok, {{"units", list}});
    }
    auto units = projections_.Units(scope, as_of);
    if (!units.ok()) return ProblemFromStatus(request, units.status());
    for (const projections::UnitNode& unit : *units)
      list.push_back(ToJson(unit));
    return JsonResponse(request, http::status::ok, {{"units", list}});
  });
}

Response QueryRoutes::Reorganisation(const Request& request,
                                     const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    projections::ReorganisationQuery query;
    query.visible = scope;
    query.unit_id = QueryText(params, "unit");
    auto report = projections_.Reorganisation(query, as_of);
    if (!report.ok()) return ProblemFromStatus(request, report.status());
    return Render(request, *report, utc_offset_, labels_);
  });
}

Response QueryRoutes::Lineage(const Request& request,
                              const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    auto lineage = projections_.Lineage(params.path.at("id"), scope, as_of);
    if (!lineage.ok()) return ProblemFromStatus(request, lineage.status());
    return JsonResponse(request, http::status::ok,
                        ToJson(*lineage, utc_offset_));
  });
}

Response QueryRoutes::Users(const Request& request,
                            const RouteParams& params) const {
  return Query(request, params, [&](const Scope& scope, const AsOf& as_of) {
    auto users = projections_.Users(as_of);
    if (!users.ok()) return ProblemFromStatus(request, users.status());
    nlohmann::json list = nlohmann::json::array();
    for (const projections::UserInfo& user : *users) {
      if (scope.Covers(user.home_unit_id)) {
        list.push_back(ToJson(user, utc_offset_));
      }
    }
    return JsonResponse(request, http::status::ok, {{"users", list}});
  });
}

}  // namespace

void AddQueryRoutes(Router& router, const EventStore& store,
                    const projections::Projections& projections,
                    CommandHandler& handler, QueryRouteOptions options) {
  // Shared by the handlers, so it lives as long as the router keeps them.
  auto routes =
      std::make_shared<const QueryRoutes>(store, projections, handler, options);
  auto bind = [routes](auto method) {
    return [routes, method](const Request& request, const RouteParams& params) {
      return Reply(((*routes).*method)(request, params));
    };
  };
  // One exemplar, a page of a list, the units and the users are read from
  // memory and a stream's few events, so they are answered on the I/O
  // thread, unless the request waits for a position or travels in time
  // (which replays the log). Reports and the ledger may scan a whole model.
  auto bind_streaming = [routes](auto method) {
    return AsyncHandler([routes, method](const Request& request,
                                         const RouteParams& params,
                                         Respond respond) {
      ((*routes).*method)(request, params, std::move(respond));
    });
  };
  // An export streams every row, so it never runs on an I/O thread.
  RouteOptions quick;
  quick.quick = [](const Request& request, const RouteParams& params) {
    return Negotiate(request) == Format::kJson &&
           !params.query.count("min_position") &&
           !params.query.count("as_of") && !params.query.count("as_of_day") &&
           !params.query.count("as_of_position");
  };
  router.Add(http::verb::get, "/v1/exemplars",
             bind_streaming(&QueryRoutes::List), quick);
  router.Add(http::verb::get, "/v1/exemplars/{id}", bind(&QueryRoutes::View),
             quick);
  router.Add(http::verb::get, "/v1/exemplars/{id}/history",
             bind(&QueryRoutes::History), quick);
  router.Add(http::verb::get, "/v1/ledger",
             bind_streaming(&QueryRoutes::Ledger), RouteOptions());
  router.Add(http::verb::get, "/v1/reports/quotas", bind(&QueryRoutes::Quotas));
  router.Add(http::verb::get, "/v1/reports/deadlines",
             bind(&QueryRoutes::Deadlines));
  router.Add(http::verb::get, "/v1/reports/follow-up",
             bind(&QueryRoutes::FollowUp));
  router.Add(http::verb::get, "/v1/reports/retention",
             bind(&QueryRoutes::Retention));
  router.Add(http::verb::get, "/v1/reports/registrations",
             bind(&QueryRoutes::Registrations));
  router.Add(http::verb::get, "/v1/reports/propagation",
             bind(&QueryRoutes::Propagation));
  router.Add(http::verb::get, "/v1/reports/reorganisation",
             bind(&QueryRoutes::Reorganisation));
  router.Add(http::verb::get, "/v1/units", bind(&QueryRoutes::Units), quick);
  router.Add(http::verb::get, "/v1/units/{id}/lineage",
             bind(&QueryRoutes::Lineage), quick);
  router.Add(http::verb::get, "/v1/users", bind(&QueryRoutes::Users), quick);
}

}  // namespace exemplar::api
