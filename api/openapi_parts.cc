#include "api/openapi_parts.h"

#include <algorithm>
#include <cctype>

namespace exemplar::api::openapi {

using nlohmann::json;

namespace {

// The problem responses, by status; each route lists the ones it can give.
const std::vector<std::pair<std::string, std::string>> kProblems = {
    {"400",
     "malformed_json (also nesting deeper than 64), invalid_utf8, "
     "malformed_query, malformed_path (a target that is not printable ASCII "
     "or decodes to bytes that are not UTF-8), malformed_request, "
     "validation_failed for a bad number or header, ambiguous_role"},
    {"401",
     "unauthenticated: no, unknown or revoked Bearer token; token_expired; "
     "user_inactive: the token's user is deactivated; the session has "
     "ended; invalid_credentials (sign-in); invalid_setup_code"},
    {"403",
     "forbidden, role_not_permitted, not_authorised, not_in_scope, "
     "user_inactive, csrf_rejected (a cookie-authenticated change without "
     "X-CSRF-Token, or from another Origin)"},
    {"404", "not_found, exemplar_not_found, unknown_unit, unknown_user, ..."},
    {"409", "idempotency_key_reused"},
    {"412", "version_conflict (with current_version)"},
    {"410", "document_erased: the document's data subject was erased"},
    {"413", "body_too_large; document_too_large (an upload)"},
    {"415",
     "unsupported_media_type: the body is not application/json (or, for an "
     "upload, not a media type documents are taken in)"},
    {"422",
     "validation_failed (with field) or the workflow rule's code, e.g. "
     "four_eyes_violation, invalid_transition, criteria_not_met"},
    {"429",
     "too_many_requests: the caller holds its share of event streams or "
     "waiting queries; too_many_attempts: failed sign-ins; retry after "
     "Retry-After; too_many_uploads: uploaded documents no command took "
     "yet"},
    {"503",
     "not_caught_up: the projections did not reach min_position in time; "
     "too_many_subscribers, too_many_connections, shutting_down; "
     "busy: too many passwords being checked; unavailable"},
};

json ProblemResponse(const std::string& description) {
  return {{"description", description},
          {"content",
           {{"application/problem+json",
             {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

// An object schema whose `required` members are strings unless `typed`
// says otherwise.
json ObjectSchema(const std::vector<std::string>& required,
                  json typed = json::object()) {
  json properties = json::object();
  for (const std::string& name : required) {
    properties[name] = {{"type", "string"}};
  }
  properties.update(typed);
  return {{"type", "object"},
          {"required", required},
          {"properties", std::move(properties)}};
}

// The reference routes' answers (api/workflow_json.h).
void AddReferenceSchemas(json& schemas) {
  const json strings = ArrayOf({{"type", "string"}});
  schemas["Criterion"] = ObjectSchema(
      {"id", "vi", "en", "mandatory", "subject_kinds"},
      {{"mandatory", {{"type", "boolean"}}}, {"subject_kinds", strings}});
  json condition = ObjectSchema(
      {"subject_kind", "field", "reason", "vi", "en"},
      {{"min", {{"type", "number"}}}, {"equals", {{"type", "boolean"}}}});
  schemas["CriteriaSet"] =
      ObjectSchema({"name", "vi", "en", "criteria", "conditions"},
                   {{"criteria", ArrayOf(Ref("Criterion"))},
                    {"conditions", ArrayOf(condition)}});
  schemas["Campaign"] = ObjectSchema(
      {"campaign_id", "name", "unit_id", "period_start", "period_end",
       "criteria_set", "launched_at", "closed_at", "open"},
      {{"period_start", {{"type", "string"}, {"format", "date"}}},
       {"period_end", {{"type", "string"}, {"format", "date"}}},
       {"launched_at", {{"type", "string"}, {"format", "date-time"}}},
       {"closed_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
       {"open", {{"type", "boolean"}}},
       {"deciding_body", {{"type", {"object", "null"}}}}});
  schemas["CampaignDetail"] = {
      {"allOf",
       {Ref("Campaign"), ObjectSchema({"criteria", "conditions"},
                                      {{"criteria", ArrayOf(Ref("Criterion"))},
                                       {"conditions", ArrayOf(condition)}})}}};
}

// The actions routes' answers (api/action_routes.h).
void AddActionSchemas(json& schemas) {
  const json text = {{"type", "string"}};
  const json choice = ObjectSchema({"value", "vi", "en"});
  schemas["ActionField"] =
      ObjectSchema({"name", "type", "required", "vi", "en"},
                   {{"required", {{"type", "boolean"}}},
                    {"type",
                     {{"type", "string"},
                      {"description",
                       "the definition's field type: string, text, int, "
                       "number, bool, date, enum, string_list, "
                       "criteria_results, period, user, unit, campaign, "
                       "award_form, documents (the hashes of documents "
                       "uploaded through POST /v1/documents)"}}},
                    {"values", ArrayOf(text)},
                    {"choices", ArrayOf(choice)},
                    {"min", {{"type", "number"}}},
                    {"max", {{"type", "number"}}},
                    {"max_length", {{"type", "integer"}}},
                    {"max_items", {{"type", "integer"}}}});
  schemas["Refusal"] = ObjectSchema(
      {"code", "field", "vi", "en", "detail"},
      {{"code",
        {{"type", "string"},
         {"description", "the code the command would answer with"}}},
       {"field", {{"type", {"string", "null"}}}}});
  schemas["Action"] = ObjectSchema({"action", "vi", "en", "allowed", "fields"},
                                   {{"allowed", {{"type", "boolean"}}},
                                    {"refusal", Ref("Refusal")},
                                    {"fields", ArrayOf(Ref("ActionField"))}});
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
    case FieldType::kDocuments:
      schema = {
          {"type", "array"},
          {"maxItems", field.max_items},
          {"items",
           {{"type", "string"},
            {"pattern", "^[0-9a-f]{64}$"},
            {"description", "the hash POST /v1/documents answered with"}}}};
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

// "follow-up" or "assign_mentor" as "FollowUp", "AssignMentor".
std::string Capitalized(const std::string& words) {
  std::string out;
  bool start = true;
  for (char c : words) {
    if (c == '-' || c == '_' || c == '.') {
      start = true;
    } else {
      out += start ? static_cast<char>(std::toupper(c)) : c;
      start = false;
    }
  }
  return out;
}

}  // namespace

json Ref(const std::string& schema) {
  return {{"$ref", "#/components/schemas/" + schema}};
}

json ArrayOf(json items) {
  return {{"type", "array"}, {"items", std::move(items)}};
}

json Components() {
  json responses = json::object();
  for (const auto& [status, description] : kProblems) {
    responses["Problem" + status] = ProblemResponse(description);
  }
  json components = {
      {"securitySchemes",
       {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
        {"session",
         {{"type", "apiKey"},
          {"in", "cookie"},
          {"name", "exemplar_session"},
          {"description",
           "a person's session from POST /v1/session; every request but "
           "GET and HEAD must also carry X-CSRF-Token"}}}}},
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
            {"detail",
             {{"type", "string"},
              {"description",
               "in Vietnamese when Accept-Language prefers vi, else in "
               "English"}}},
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
  AddReferenceSchemas(components["schemas"]);
  AddActionSchemas(components["schemas"]);
  return components;
}

json PathParameter(const std::string& name) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"schema", {{"type", "string"}}}};
}

json QueryParameter(const std::string& name, const std::string& type,
                    bool required) {
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
               const std::vector<std::string>& problems, json parameters) {
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
  if (action.on_behalf_of_subject) {
    properties["on_behalf_of"] = {
        {"type", "string"},
        {"description",
         "optional; the exemplar's own id when recording their own words"}};
  }
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties", properties},
          {"required", required}};
}

json Object(const std::vector<std::string>& required,
            const std::vector<std::string>& optional) {
  json typed = json::object();
  for (const auto& name : optional) typed[name] = {{"type", "string"}};
  json schema = ObjectSchema(required, std::move(typed));
  schema["additionalProperties"] = false;
  return schema;
}

std::string MethodName(http::verb method) {
  std::string name(http::to_string(method));
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  return name;
}

std::string OperationId(http::verb method, const std::string& pattern) {
  std::string id = MethodName(method);
  std::size_t start = 0;
  while (start < pattern.size()) {
    std::size_t end = pattern.find('/', start);
    if (end == std::string::npos) end = pattern.size();
    const std::string segment = pattern.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == "v1") continue;
    if (segment.front() == '{') {
      id += "By" + Capitalized(segment.substr(1, segment.size() - 2));
    } else {
      id += Capitalized(segment);
    }
  }
  return id;
}

}  // namespace exemplar::api::openapi
