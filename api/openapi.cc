#include "api/openapi.h"

#include <algorithm>
#include <set>

namespace exemplar::api {
namespace {

using nlohmann::json;

// The problem responses, by status; each route lists the ones it can give.
const std::vector<std::pair<std::string, std::string>> kProblems = {
    {"400",
     "malformed_json (also nesting deeper than 64), invalid_utf8, "
     "malformed_query, malformed_path (a target that is not printable ASCII "
     "or decodes to bytes that are not UTF-8), malformed_request, "
     "validation_failed for a bad number or header, ambiguous_role"},
    {"401",
     "unauthenticated: no, unknown or revoked Bearer token; token_expired; "
     "user_inactive: the token's user is deactivated"},
    {"403",
     "forbidden, role_not_permitted, not_authorised, not_in_scope, "
     "user_inactive"},
    {"404", "not_found, exemplar_not_found, unknown_unit, unknown_user, ..."},
    {"409", "idempotency_key_reused"},
    {"412", "version_conflict (with current_version)"},
    {"413", "body_too_large"},
    {"415", "unsupported_media_type: the body is not application/json"},
    {"422",
     "validation_failed (with field) or the workflow rule's code, e.g. "
     "four_eyes_violation, invalid_transition, criteria_not_met"},
    {"429",
     "too_many_requests: the caller holds its share of event streams or "
     "waiting queries; retry after Retry-After"},
    {"503",
     "not_caught_up: the projections did not reach min_position in time; "
     "too_many_subscribers, too_many_connections, shutting_down; "
     "unavailable"},
};

json ProblemResponse(const std::string& description) {
  return {{"description", description},
          {"content",
           {{"application/problem+json",
             {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

json Components() {
  json responses = json::object();
  for (const auto& [status, description] : kProblems) {
    responses["Problem" + status] = ProblemResponse(description);
  }
  return {
      {"securitySchemes",
       {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
      {"responses", responses},
      {"schemas",
       {{"Problem",
         {{"type", "object"},
          {"description", "RFC 9457 problem details"},
          {"required", {"type", "title", "status", "detail"}},
          {"properties",
           {{"type", {{"type", "string"}, {"description", "stable code"}}},
            {"title", {{"type", "string"}}},
            {"status", {{"type", "integer"}}},
            {"detail", {{"type", "string"}}},
            {"field", {{"type", "string"}}},
            {"current_version", {{"type", {"integer", "null"}}}}}}}},
        {"CommandResult",
         {{"type", "object"},
          {"required", {"stream_id", "version", "position", "first_position"}},
          {"properties",
           {{"stream_id", {{"type", "string"}}},
            {"version", {{"type", "integer"}}},
            {"position", {{"type", "integer"}}},
            {"first_position", {{"type", "integer"}}}}}}},
        {"Json", {{"type", "object"}}}}}};
}

json PathParameter(const std::string& name) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"schema", {{"type", "string"}}}};
}

json QueryParameter(const std::string& name, const std::string& type,
                    bool required = false) {
  return {{"name", name},
          {"in", "query"},
          {"required", required},
          {"schema", {{"type", type}}}};
}

json HeaderParameter(const std::string& name, const std::string& description) {
  return {{"name", name},
          {"in", "header"},
          {"required", false},
          {"description", description},
          {"schema", {{"type", "string"}}}};
}

// The {name} segments of a pattern, as path parameters.
json PathParameters(const std::string& pattern) {
  json parameters = json::array();
  size_t open = pattern.find('{');
  while (open != std::string::npos) {
    size_t close = pattern.find('}', open);
    parameters.push_back(
        PathParameter(pattern.substr(open + 1, close - open - 1)));
    open = pattern.find('{', close);
  }
  return parameters;
}

json Operation(const std::string& summary, const std::string& tag,
               const std::string& success, json success_schema,
               const std::vector<std::string>& problems,
               json parameters = json::array()) {
  json responses = {
      {success,
       {{"description", "success"},
        {"content",
         {{"application/json", {{"schema", std::move(success_schema)}}}}}}}};
  for (const std::string& status : problems) {
    responses[status] = {{"$ref", "#/components/responses/Problem" + status}};
  }
  return {{"summary", summary},
          {"tags", {tag}},
          {"parameters", std::move(parameters)},
          {"responses", std::move(responses)}};
}

json Ref(const std::string& schema) {
  return {{"$ref", "#/components/schemas/" + schema}};
}

// A command: JSON body, the command headers, the command problems.
json Command(const std::string& summary, const std::string& tag,
             const std::string& success, json body_schema) {
  json parameters = json::array(
      {HeaderParameter("If-Match", "expected stream version, e.g. \"3\""),
       HeaderParameter("Idempotency-Key",
                       "a retry with the same key and request returns the "
                       "first response and appends nothing"),
       HeaderParameter("X-Acting-Role", "the role to act in"),
       HeaderParameter("X-Acting-Unit", "the unit to act for")});
  json operation =
      Operation(summary, tag, success, Ref("CommandResult"),
                {"400", "401", "403", "404", "409", "412", "413", "415", "422"},
                std::move(parameters));
  operation["requestBody"] = {
      {"required", false},
      {"content",
       {{"application/json", {{"schema", std::move(body_schema)}}}}}};
  return operation;
}

json FieldSchema(const FieldSpec& field) {
  json schema;
  switch (field.type) {
    case FieldType::kInt:
      schema = {{"type", "integer"}};
      break;
    case FieldType::kNumber:
      schema = {{"type", "number"}};
      break;
    case FieldType::kBool:
      schema = {{"type", "boolean"}};
      break;
    case FieldType::kDate:
      schema = {{"type", "string"}, {"format", "date"}};
      break;
    case FieldType::kStringList:
      schema = {{"type", "array"},
                {"items", {{"type", "string"}}},
                {"maxItems", field.max_items}};
      if (!field.values.empty()) schema["items"]["enum"] = field.values;
      break;
    case FieldType::kCriteriaResults:
      schema = {{"type", "array"},
                {"maxItems", field.max_items},
                {"items",
                 {{"type", "object"},
                  {"required", {"criterion", "met"}},
                  {"properties",
                   {{"criterion", {{"type", "string"}}},
                    {"met", {{"type", "boolean"}}},
                    {"evidence", {{"type", "string"}}}}}}}};
      break;
    default:
      schema = {{"type", "string"}};
      if (!field.values.empty()) schema["enum"] = field.values;
  }
  if (field.min) schema["minimum"] = *field.min;
  if (field.max) schema["maximum"] = *field.max;
  schema["description"] = FieldTypeName(field.type);
  return schema;
}

json ActionSchema(const ActionSpec& action, bool with_id) {
  json properties = json::object();
  json required = json::array();
  for (const FieldSpec& field : action.fields) {
    properties[field.name] = FieldSchema(field);
    if (field.required) required.push_back(field.name);
  }
  if (with_id) {
    properties["exemplar_id"] = {
        {"type", "string"}, {"description", "optional; generated when absent"}};
  }
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties", properties},
          {"required", required}};
}

json Object(const std::vector<std::string>& required,
            const std::vector<std::string>& optional = {}) {
  json properties = json::object();
  for (const auto& name : required) properties[name] = {{"type", "string"}};
  for (const auto& name : optional) properties[name] = {{"type", "string"}};
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", required},
          {"properties", properties}};
}

std::string MethodName(http::verb method) {
  std::string name(http::to_string(method));
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  return name;
}

}  // namespace

OpenApi::OpenApi(const Definition& definition) {
  document_ = {{"openapi", "3.1.0"},
               {"info",
                {{"title", "exemplar API"},
                 {"version", "1"},
                 {"description",
                  "Advanced exemplars (điển hình tiên tiến): commands, "
                  "events and audit. Every error is application/problem+json "
                  "with a stable type."}}},
               {"security", json::array({{{"bearer", json::array()}}})},
               {"paths", json::object()},
               {"components", Components()}};
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
                           "period_end", "criteria_set"})));
  Describe(
      http::verb::post, "/v1/campaigns/{id}/close",
      Command("Close a campaign", "organisation", "200", Object({"reason"})));
  Describe(http::verb::post, "/v1/users/{id}/tokens",
           Operation("Issue an API token (shown once)", "tokens", "201",
                     Object({"token_id", "token", "user_id", "expires_at"}),
                     {"401", "403", "404", "422"}));
  Describe(http::verb::delete_, "/v1/tokens/{token_id}",
           Operation("Revoke an API token", "tokens", "200", Ref("Json"),
                     {"401", "403", "404", "422"}));
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
  query("/v1/exemplars/{id}", "Everything current about one exemplar",
        {"400", "404"}, json::array());
  query("/v1/exemplars/{id}/history", "The events of one exemplar's stream",
        {"400", "404"}, json::array());
  query(
      "/v1/ledger", "Who approved what (sổ phê duyệt)", {"400"},
      json::array(
          {QueryParameter("actor", "string"), QueryParameter("unit", "string"),
           QueryParameter("action", "string"), QueryParameter("from", "string"),
           QueryParameter("to", "string"), QueryParameter("limit", "integer"),
           QueryParameter("after", "integer")}));
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
  query("/v1/units",
        "The unit tree in the caller's scope, with the ancestors that place "
        "it (đơn vị)",
        {"400"}, json::array());
  query("/v1/users", "Users and their grants in the caller's scope", {"400"},
        json::array());
}

void OpenApi::Describe(http::verb method, const std::string& pattern,
                       json operation) {
  json parameters = PathParameters(pattern);
  for (json& parameter : operation["parameters"]) {
    parameters.push_back(std::move(parameter));
  }
  operation["parameters"] = std::move(parameters);
  document_["paths"][pattern][MethodName(method)] = std::move(operation);
}

std::vector<std::string> OpenApi::Mismatches(const Router& router) const {
  std::set<std::string> routed, documented;
  for (const auto& [method, pattern] : router.routes()) {
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
