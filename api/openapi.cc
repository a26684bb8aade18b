#include "api/openapi.h"

#include <set>

#include "api/console_routes.h"
#include "api/openapi_parts.h"

namespace exemplar::api {
namespace {

using nlohmann::json;
using openapi::ActionSchema;
using openapi::ArrayOf;
using openapi::Command;
using openapi::HeaderParameter;
using openapi::MethodName;
using openapi::Object;
using openapi::Operation;
using openapi::OperationId;
using openapi::PathParameters;
using openapi::QueryParameter;
using openapi::Ref;

}  // namespace

OpenApi::OpenApi(const Definition& definition) {
  document_ = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "exemplar API"},
        {"version", kApiDocumentVersion},
        {"description",
         "Advanced exemplars (điển hình tiên tiến): commands, "
         "events and audit. Every error is application/problem+json "
         "with a stable type."}}},
      {"servers", json::array({{{"url", "/"},
                                {"description",
                                 "the server that serves this document"}}})},
      {"security", json::array({{{"bearer", json::array()}},
                                {{"session", json::array()}}})},
      {"paths", json::object()},
      {"components", openapi::Components()}};
  const json public_access = json::array();
  auto describe_public = [&](const std::string& pattern, json operation) {
    operation["security"] = public_access;
    Describe(http::verb::get, pattern, std::move(operation));
  };
  describe_public("/healthz",
                  Operation("Liveness", "operations", "200", Ref("Json"), {}));
  describe_public("/readyz", Operation("Readiness and the log's head",
                                       "operations", "200", Ref("Json"), {}));
  describe_public("/openapi.json", Operation("This document", "operations",
                                             "200", Ref("Json"), {}));
  Describe(http::verb::get, "/metrics",
           Operation("Prometheus metrics (text/plain)", "operations", "200",
                     {{"type", "string"}}, {"401"}));
  Describe(http::verb::get, "/v1/events",
           Operation("A page of the log, each event with its hash", "events",
                     "200", Ref("Json"), {"400", "401"},
                     {QueryParameter("from", "integer"),
                      QueryParameter("limit", "integer"),
                      QueryParameter("types", "string"),
                      QueryParameter("stream", "string")}));
  Describe(http::verb::get, "/v1/streams/{id}",
           Operation("The events of one stream", "events", "200", Ref("Json"),
                     {"400", "401", "404"},
                     {QueryParameter("from_version", "integer"),
                      QueryParameter("limit", "integer")}));
  Describe(http::verb::get, "/v1/audit/head",
           Operation("The signed tree head", "audit", "200", Ref("Json"),
                     {"401", "403"}, {QueryParameter("fresh", "string")}));
  Describe(http::verb::get, "/v1/audit/proof/inclusion",
           Operation("RFC 6962 inclusion proof", "audit", "200", Ref("Json"),
                     {"400", "401"},
                     {QueryParameter("position", "integer", true),
                      QueryParameter("tree_size", "integer", true)}));
  Describe(http::verb::get, "/v1/audit/proof/consistency",
           Operation("RFC 6962 consistency proof", "audit", "200", Ref("Json"),
                     {"400", "401"},
                     {QueryParameter("from", "integer", true),
                      QueryParameter("to", "integer", true)}));
  Describe(http::verb::get, "/v1/audit/public-key",
           Operation("The key that signs tree heads", "audit", "200",
                     Ref("Json"), {"401"}));

  DescribeEventStream();
  DescribeQueries();
  DescribeReference();
  DescribePeople();
  DescribeReorganisations();

  for (const ActionSpec& action : definition.actions) {
    const std::string summary = action.label.en + " (" + action.label.vi + ")";
    if (action.creates) {
      Describe(
          http::verb::post, "/v1/exemplars",
          Command(summary, "exemplars", "201", ActionSchema(action, true)));
    }
    Describe(http::verb::post, "/v1/exemplars/{id}/" + action.name,
             Command(summary, "exemplars", action.creates ? "201" : "200",
                     ActionSchema(action, false)));
  }
  Describe(http::verb::post, "/v1/units",
           Command("Create a unit", "organisation", "201",
                   Object({"unit_id", "name", "level"}, {"parent_id"})));
  Describe(http::verb::post, "/v1/units/{id}/rename",
           Command("Rename a unit", "organisation", "200", Object({"name"})));
  Describe(
      http::verb::post, "/v1/units/{id}/move",
      Command("Move a unit", "organisation", "200", Object({"parent_id"})));
  Describe(http::verb::post, "/v1/units/{id}/close",
           Command("Close a unit", "organisation", "200", Object({"reason"})));
  Describe(http::verb::post, "/v1/users",
           Command("Register a user", "organisation", "201",
                   Object({"user_id", "full_name", "home_unit_id"})));
  Describe(
      http::verb::post, "/v1/users/{id}/deactivate",
      Command("Deactivate a user", "organisation", "200", Object({"reason"})));
  json grant = Object({"role", "unit_id"}, {"grant_id"});
  grant["properties"]["valid_from_us"] = {{"type", "integer"}};
  grant["properties"]["valid_to_us"] = {{"type", "integer"}};
  Describe(http::verb::post, "/v1/users/{id}/grants",
           Command("Grant a role", "organisation", "201", grant));
  Describe(http::verb::post, "/v1/users/{id}/grants/{grant_id}/revoke",
           Command("Revoke a role", "organisation", "200", Object({"reason"})));
  Describe(http::verb::post, "/v1/campaigns",
           Command("Launch a campaign", "organisation", "201",
                   Object({"campaign_id", "name", "unit_id", "period_start",
                           "period_end", "criteria_set"},
                          {"deciding_body"})));
  Describe(
      http::verb::post, "/v1/campaigns/{id}/close",
      Command("Close a campaign", "organisation", "200", Object({"reason"})));
  json subject_access = Operation(
      "What the log held about the exemplar's subject when a subject-access "
      "step was recorded (dữ liệu cá nhân cung cấp cho chủ thể): JSON, or "
      "text/html to read and print",
      "personal data", "200",
      Object({"exemplar_id", "name", "request", "events"}),
      {"400", "401", "404"});
  subject_access["parameters"] =
      json::array({QueryParameter("position", "integer", true)});
  Describe(http::verb::get, "/v1/exemplars/{id}/subject-access",
           subject_access);
  json upload = Operation(
      "Upload an evidence document (tài liệu hồ sơ) for a documents field: "
      "the body is the file, its Content-Type the media type; streamed, up "
      "to document_limit_bytes (20 MiB by default). The hash answered goes "
      "in the command within 24 hours, by the same user",
      "documents", "201",
      Object({"hash", "size", "media_type", "name", "expires_at"}),
      {"400", "401", "413", "415", "429"},
      json::array({QueryParameter("name", "string", true)}));
  upload["requestBody"] = {
      {"required", true},
      {"content",
       {{"*/*", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  Describe(http::verb::post, "/v1/documents", upload);
  json read_document = Operation(
      "An evidence document an event of the exemplar recorded, streamed "
      "with its media type, to whoever may read the exemplar; 410 once its "
      "data subject was erased",
      "documents", "200", {{"type", "string"}, {"format", "binary"}},
      {"401", "404", "410"});
  read_document["responses"]["200"]["content"] = {
      {"*/*", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
  Describe(http::verb::get, "/v1/exemplars/{id}/documents/{hash}",
           read_document);
  Describe(http::verb::post, "/v1/reports/retention/proposals",
           Operation("Propose now the erasures the retention rules make due "
                     "(đề nghị xóa dữ liệu đến hạn)",
                     "personal data", "200", Object({"proposed", "refused"}),
                     {"401", "403", "422"}));
  Describe(http::verb::post, "/v1/users/{id}/tokens",
           Operation("Issue an API token (shown once)", "tokens", "201",
                     Object({"token_id", "token", "user_id", "expires_at"}),
                     {"401", "403", "404", "422"}));
  const json token = {
      {"type", "object"},
      {"required", {"token_id", "issued_at", "expires_at", "state"}},
      {"properties",
       {{"token_id", {{"type", "string"}}},
        {"issued_at", {{"type", "string"}, {"format", "date-time"}}},
        {"expires_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
        {"revoked_at", {{"type", "string"}, {"format", "date-time"}}},
        {"state",
         {{"type", "string"}, {"enum", {"active", "expired", "revoked"}}}}}}};
  json listed = Object({"user_id", "tokens"});
  listed["properties"]["tokens"] = {{"type", "array"}, {"items", token}};
  Describe(http::verb::get, "/v1/users/{id}/tokens",
           Operation("A user's API tokens (never their secrets)", "tokens",
                     "200", listed, {"401", "403", "404"}));
  Describe(http::verb::delete_, "/v1/tokens/{token_id}",
           Operation("Revoke an API token", "tokens", "200", Ref("Json"),
                     {"401", "403", "404", "422"}));
}

void OpenApi::DescribePeople() {
  const json text = {{"type", "string"}};
  const json grant = {
      {"type", "object"},
      {"required", {"grant_id", "role", "unit_id", "unit_name"}},
      {"properties",
       {{"grant_id", text},
        {"role", text},
        {"unit_id", text},
        {"unit_name", text}}}};
  const json me = {
      {"type", "object"},
      {"required",
       {"user_id", "full_name", "home_unit_id", "auth", "idle_timeout_s",
        "admin", "grants"}},
      {"properties",
       {{"user_id", text},
        {"full_name", text},
        {"home_unit_id", text},
        {"auth", {{"type", "string"}, {"enum", {"session", "bearer"}}}},
        {"csrf_token", text},
        {"idle_timeout_s", {{"type", "integer"}}},
        {"admin", {{"type", "boolean"}}},
        {"grants", ArrayOf(grant)}}}};
  auto with_body = [](json operation, json body) {
    operation["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", std::move(body)}}}}}};
    return operation;
  };
  json sign_in = with_body(
      Operation("Sign in with a password: Me and the session cookie",
                "sessions", "200", me, {"400", "401", "403", "429", "503"}),
      Object({"user_id", "password"}));
  sign_in["security"] = json::array();
  Describe(http::verb::post, "/v1/session", std::move(sign_in));
  Describe(http::verb::get, "/v1/session",
           Operation("Who is signed in (cookie or bearer): Me", "sessions",
                     "200", me, {"401"}));
  json sign_out = Operation("Sign out: ends the session, clears the cookie",
                            "sessions", "204", Ref("Json"), {"401", "403"});
  sign_out["responses"]["204"] = {{"description", "signed out"}};
  Describe(http::verb::delete_, "/v1/session", std::move(sign_out));
  Describe(http::verb::post, "/v1/users/{id}/setup-codes",
           Operation("Issue a one-time setup code (shown once)", "sessions",
                     "201", Object({"user_id", "setup_code", "expires_at"}),
                     {"401", "403", "404", "422"}));
  json set_password = with_body(
      Operation("Set one's password with a setup code", "sessions", "204",
                Ref("Json"), {"400", "401", "403", "429", "503"}),
      Object({"user_id", "setup_code", "password"}));
  set_password["responses"]["204"] = {{"description", "password set"}};
  set_password["security"] = json::array();
  Describe(http::verb::post, "/v1/password", std::move(set_password));
}

void OpenApi::DescribeEventStream() {
  Describe(
      http::verb::get, "/v1/events/stream",
      Operation(
          "Server-Sent Events: history from `from` or "
          "Last-Event-ID, then live; heartbeat comments; a final "
          "`dropped`, `shutdown` or `revoked` event says where to resume",
          "events", "200", {{"type", "string"}},
          {"400", "401", "403", "429", "503"},
          {QueryParameter("from", "integer"), QueryParameter("types", "string"),
           QueryParameter("stream", "string"),
           QueryParameter("unit", "string")}));
}

// The read side (api/query_routes.h): each accepts as_of, as_of_day,
// as_of_position and min_position; lists and reports also answer text/csv
// and application/x-ndjson.
void OpenApi::DescribeQueries() {
  auto query = [this](const std::string& pattern, const std::string& summary,
                      std::vector<std::string> problems, json parameters) {
    json as_of = QueryParameter("as_of", "string");
    as_of["description"] =
        "An RFC 3339 time, or a date: the start of that local day";
    json as_of_day = QueryParameter("as_of_day", "string");
    as_of_day["description"] =
        "A date: the end of that local day (as of 30 June, all of it)";
    for (const json& parameter :
         {as_of, as_of_day, QueryParameter("as_of_position", "integer"),
          QueryParameter("min_position", "integer")}) {
      parameters.push_back(parameter);
    }
    problems.insert(problems.end(), {"401", "403", "429", "503"});
    Describe(http::verb::get, pattern,
             Operation(summary, "queries", "200", Ref("Json"), problems,
                       std::move(parameters)));
  };
  json list_parameters = json::array();
  for (const char* name :
       {"unit", "state", "subject_kind", "field", "campaign", "period",
        "priority", "has_mentor", "propagated", "replicated", "q", "sort",
        "order", "limit", "cursor"}) {
    list_parameters.push_back(QueryParameter(name, "string"));
  }
  query("/v1/exemplars",
        "Exemplars (điển hình) in the caller's scope: filters, search "
        "ignoring diacritics, cursor pages",
        {"400"}, list_parameters);
  query("/v1/exemplars/{id}",
        "Everything current about one exemplar; `version` (also the ETag) "
        "is what a command's If-Match takes",
        {"400", "404"},
        json::array({HeaderParameter(
            "If-None-Match", "an ETag the client holds: 304 while current")}));
  json& view = document_["paths"]["/v1/exemplars/{id}"]["get"]["responses"];
  view["200"]["headers"] = {{"ETag",
                             {{"description", "the stream version, e.g. \"3\""},
                              {"schema", {{"type", "string"}}}}}};
  view["304"] = {{"description", "If-None-Match names the current version"},
                 {"headers", view["200"]["headers"]}};
  query("/v1/exemplars/{id}/history", "The events of one exemplar's stream",
        {"400", "404"}, json::array());
  query(
      "/v1/ledger", "Who approved what (sổ phê duyệt)", {"400"},
      json::array(
          {QueryParameter("actor", "string"), QueryParameter("unit", "string"),
           QueryParameter("action", "string"), QueryParameter("from", "string"),
           QueryParameter("to", "string"), QueryParameter("limit", "integer"),
           QueryParameter("after", "integer"),
           QueryParameter("order", "string")}));
  query("/v1/reports/quotas", "Quotas per unit and year (chỉ tiêu)", {"400"},
        json::array({QueryParameter("year", "integer", true),
                     QueryParameter("unit", "string")}));
  query("/v1/reports/deadlines", "Quarterly introduction deadlines", {"400"},
        json::array({QueryParameter("year", "integer", true),
                     QueryParameter("quarter", "integer", true),
                     QueryParameter("unit", "string")}));
  query("/v1/reports/follow-up", "Exemplars that need follow-up", {"400"},
        json::array({QueryParameter("unit", "string"),
                     QueryParameter("no_mentor_days", "integer")}));
  query("/v1/reports/retention",
        "Personal data due for erasure under the definition's retention "
        "rules (dữ liệu cá nhân đến hạn xóa)",
        {"400"},
        json::array({QueryParameter("due_by", "string"),
                     QueryParameter("unit", "string")}));
  query("/v1/reports/registrations",
        "The annual registration funnel: who registered, who selected what, "
        "who is late or short (đăng ký điển hình)",
        {"400"},
        json::array({QueryParameter("year", "integer", true),
                     QueryParameter("unit", "string")}));
  query("/v1/reports/propagation",
        "Propagation work per unit and period, with its score (đánh giá "
        "công tác tuyên truyền)",
        {"400"},
        json::array({QueryParameter("period", "string", true),
                     QueryParameter("unit", "string")}));
  query("/v1/reports/reorganisation",
        "What still points at an ended unit after a reorganisation: "
        "exemplars not carried over, mentors and people left without a "
        "grant, replications into an ended unit",
        {"400"}, json::array({QueryParameter("unit", "string")}));
  query("/v1/units",
        "The unit tree in the caller's scope, with the ancestors that place "
        "it and each unit's lineage (đơn vị); with q, the units whose "
        "present or former name, or a predecessor's, contains it",
        {"400"}, json::array({QueryParameter("q", "string")}));
  query("/v1/units/{id}/lineage",
        "A unit's predecessors and successors, transitively, with each "
        "reorganisation's kind, date and legal basis",
        {"400", "404"}, json::array());
  query("/v1/users", "Users and their grants in the caller's scope", {"400"},
        json::array());
}

// The reference routes (api/reference_routes.h): as the log stands now.
void OpenApi::DescribeReference() {
  Describe(http::verb::get, "/v1/workflow",
           Operation("The workflow definition: states, roles, actions and "
                     "their fields, rules, criteria sets, award forms, quotas, "
                     "deadlines",
                     "reference", "200", Ref("Json"), {"401", "403"}));
  json sets = {
      {"type", "object"},
      {"required", {"criteria_sets"}},
      {"properties", {{"criteria_sets", ArrayOf(Ref("CriteriaSet"))}}}};
  Describe(http::verb::get, "/v1/criteria-sets",
           Operation("The definition's criteria sets (bộ tiêu chí)",
                     "reference", "200", std::move(sets), {"401", "403"}));
  json campaigns = {{"type", "object"},
                    {"required", {"campaigns"}},
                    {"properties", {{"campaigns", ArrayOf(Ref("Campaign"))}}}};
  Describe(http::verb::get, "/v1/campaigns",
           Operation("The campaigns launched at or above the caller's units, "
                     "or within their scope",
                     "reference", "200", std::move(campaigns), {"401", "403"}));
  Describe(http::verb::get, "/v1/campaigns/{id}",
           Operation("One campaign with its criteria (the ids an appraisal "
                     "takes) and subject conditions",
                     "reference", "200", Ref("CampaignDetail"),
                     {"401", "403", "404"}));
  DescribeActions();
  DescribeFunnel();
}

// The registration funnel's and the propagation assessment's commands
// (api/funnel_routes.h).
void OpenApi::DescribeFunnel() {
  json acting = json::array();
  acting.push_back(HeaderParameter("X-Acting-Role", "the role to act in"));
  acting.push_back(HeaderParameter("X-Acting-Unit", "the unit to act for"));
  auto command = [&](const std::string& pattern, const std::string& summary,
                     json body, const std::string& id) {
    json result = Object({id, "stream_id"});
    result["properties"]["position"] = {{"type", "integer"}};
    json operation =
        Operation(summary, "funnel", "201", std::move(result),
                  {"400", "401", "403", "404", "415", "422"}, acting);
    operation["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", std::move(body)}}}}}};
    Describe(http::verb::post, pattern, std::move(operation));
  };
  json list = Object({"unit_id"}, {"note"});
  list["required"] = {"unit_id", "year", "exemplar_ids"};
  list["properties"]["year"] = {{"type", "integer"}};
  list["properties"]["exemplar_ids"] = ArrayOf({{"type", "string"}});
  command("/v1/registrations",
          "A unit registers its annual list of exemplars (đăng ký)", list,
          "registration_id");
  command("/v1/selections",
          "The level above selects from its units' registered lists (lựa "
          "chọn)",
          list, "registration_id");
  command("/v1/registrations/{id}/submit",
          "The selected list goes to the Home Affairs department (gửi Sở Nội "
          "vụ)",
          Object({"recipient_unit_id"}), "registration_id");
  json score = Object({"unit_id", "period"}, {"comment"});
  score["required"].push_back("score");
  score["properties"]["score"] = {{"type", "number"}};
  command("/v1/propagation-assessments",
          "A reviewer scores a unit's propagation work for a period", score,
          "assessment_id");
}

// What the caller may do now (api/action_routes.h).
void OpenApi::DescribeActions() {
  const json acting = json::array(
      {HeaderParameter("X-Acting-Role", "the role to act as (see commands)"),
       HeaderParameter("X-Acting-Unit", "the unit to act for")});
  json on_exemplar = {{"type", "object"},
                      {"required", {"exemplar_id", "state", "actions"}},
                      {"properties",
                       {{"exemplar_id", {{"type", "string"}}},
                        {"state", {{"type", "string"}}},
                        {"actions", ArrayOf(Ref("Action"))}}}};
  Describe(http::verb::get, "/v1/exemplars/{id}/actions",
           Operation("Each action on the exemplar: whether the caller may "
                     "take it now, else the refusal the command would "
                     "answer (code, vi, en), with the typed form of its "
                     "fields",
                     "exemplars", "200", std::move(on_exemplar),
                     {"400", "401", "404"}, acting));
  json creating = {{"type", "object"},
                   {"required", {"actions"}},
                   {"properties", {{"actions", ArrayOf(Ref("Action"))}}}};
  Describe(http::verb::get, "/v1/actions",
           Operation("The actions that create an exemplar (detect), judged "
                     "for the caller as on an exemplar",
                     "exemplars", "200", std::move(creating), {"400", "401"},
                     acting));
}

// The 2025 reform's reorganisations (api/reorganisation_routes.h).
void OpenApi::DescribeReorganisations() {
  const json basis = Object({"document_number", "document_date", "issuer"});
  const json unit_spec = Object({"unit_id"}, {"name", "level", "parent_id"});
  const json progress = {{"type", "object"},
                         {"required", {"transferred", "pending"}},
                         {"properties",
                          {{"transferred", {{"type", "integer"}}},
                           {"pending", {{"type", "integer"}}},
                           {"refused", ArrayOf(Ref("Json"))}}}};
  const json recorded = {
      {"type", "object"},
      {"required",
       {"reorganisation_id", "stream_id", "position", "carry_over"}},
      {"properties",
       {{"reorganisation_id", {{"type", "string"}}},
        {"stream_id", {{"type", "string"}}},
        {"position", {{"type", "integer"}}},
        {"carry_over", progress}}}};
  auto command = [&](const std::string& summary, json body) {
    json operation = Operation(
        summary, "organisation", "201", recorded,
        {"400", "401", "403", "404", "415", "422"},
        json::array({HeaderParameter("X-Acting-Unit", "the unit to act for")}));
    body["properties"]["legal_basis"] = basis;
    body["properties"]["effective_date"] = {
        {"type", "string"},
        {"description", "must be the day it is recorded, if given"}};
    body["properties"]["reorganisation_id"] = {
        {"type", "string"}, {"description", "optional; generated when absent"}};
    body["required"].push_back("legal_basis");
    operation["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", std::move(body)}}}}}};
    return operation;
  };
  json merge = Object({});
  merge["required"] = {"units", "into"};
  merge["properties"]["units"] = ArrayOf({{"type", "string"}});
  merge["properties"]["into"] = unit_spec;
  Describe(http::verb::post, "/v1/reorganisations/merge",
           command("Merge units into one (new or existing); their "
                   "exemplars carry over to it",
                   std::move(merge)));
  json split = Object({"unit_id"}, {"default_successor"});
  split["required"].push_back("into");
  split["properties"]["into"] = ArrayOf(unit_spec);
  split["properties"]["assignments"] = {
      {"type", "object"},
      {"description", "exemplar id -> the successor it goes to"},
      {"additionalProperties", {{"type", "string"}}}};
  Describe(http::verb::post, "/v1/reorganisations/split",
           command("Split a unit; each exemplar goes to its assigned "
                   "successor, else to the default one",
                   std::move(split)));
  Describe(http::verb::post, "/v1/reorganisations/dissolve-level",
           command("Dissolve every open unit of a level under a parent; "
                   "their children and exemplars move to the parent",
                   Object({"parent_id", "level"})));
  json list = {{"type", "object"},
               {"required", {"items"}},
               {"properties", {{"items", ArrayOf(Ref("Json"))}}}};
  Describe(http::verb::get, "/v1/reorganisations",
           Operation("The reorganisations of units the caller may read, as "
                     "recorded (lineage and legal basis)",
                     "organisation", "200", std::move(list), {"401", "403"}));
  json one = Ref("Json");
  Describe(http::verb::get, "/v1/reorganisations/{id}",
           Operation("One reorganisation as recorded, with the progress of "
                     "its carry-over (transferred, pending)",
                     "organisation", "200", one, {"401", "403", "404"}));
  Describe(
      http::verb::post, "/v1/reorganisations/{id}/carry-over",
      Operation("Move every exemplar still in a unit the "
                "reorganisation ended to its successor (idempotent)",
                "organisation", "200", progress, {"401", "403", "404", "422"}));
}

void OpenApi::Describe(http::verb method, const std::string& pattern,
                       json operation) {
  json parameters = PathParameters(pattern);
  for (json& parameter : operation["parameters"]) {
    parameters.push_back(std::move(parameter));
  }
  operation["parameters"] = std::move(parameters);
  operation["operationId"] = OperationId(method, pattern);
  document_["paths"][pattern][MethodName(method)] = std::move(operation);
}

std::vector<std::string> OpenApi::Mismatches(const Router& router) const {
  std::set<std::string> routed, documented;
  for (const auto& [method, pattern] : router.routes()) {
    if (IsConsoleRoute(pattern)) continue;  // pages, not the API
    routed.insert(MethodName(method) + " " + pattern);
  }
  for (const auto& [pattern, operations] : document_["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      documented.insert(method + " " + pattern);
    }
  }
  std::vector<std::string> mismatches;
  for (const std::string& route : routed) {
    if (!documented.count(route)) mismatches.push_back("undocumented " + route);
  }
  for (const std::string& route : documented) {
    if (!routed.count(route)) mismatches.push_back("not routed " + route);
  }
  return mismatches;
}

void AddOpenApiRoute(Router& router, const OpenApi& openapi) {
  router.Add(
      http::verb::get, "/openapi.json",
      [&openapi](const Request& request, const RouteParams&) {
        return JsonResponse(request, http::status::ok, openapi.document());
      },
      Access::kPublic);
}

}  // namespace exemplar::api
