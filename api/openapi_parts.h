// The building blocks of the OpenAPI document (openapi.h): components,
// parameters, operations, request schemas from the definition, and the
// operation ids. Private to api/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/http.h"
#include "engine/workflow/definition.h"

namespace exemplar::api::openapi {

// The document's components: the bearer scheme, a problem response per
// status ("#/components/responses/Problem404"), and the schemas.
nlohmann::json Components();

// {"$ref": "#/components/schemas/<schema>"}.
nlohmann::json Ref(const std::string& schema);
nlohmann::json ArrayOf(nlohmann::json items);

nlohmann::json PathParameter(const std::string& name);
nlohmann::json QueryParameter(const std::string& name, const std::string& type,
                              bool required = false);
nlohmann::json HeaderParameter(const std::string& name,
                               const std::string& description);
// The {name} segments of a pattern, as path parameters.
nlohmann::json PathParameters(const std::string& pattern);

// An operation answering `success` with `success_schema` as JSON, and the
// problem responses of `problems` ("404", ...).
nlohmann::json Operation(const std::string& summary, const std::string& tag,
                         const std::string& success,
                         nlohmann::json success_schema,
                         const std::vector<std::string>& problems,
                         nlohmann::json parameters = nlohmann::json::array());

// A command: JSON body, the command headers, the command problems.
nlohmann::json Command(const std::string& summary, const std::string& tag,
                       const std::string& success, nlohmann::json body_schema);

// The body of `action`'s route, from its fields; `with_id` adds the
// optional exemplar_id of the creating route.
nlohmann::json ActionSchema(const ActionSpec& action, bool with_id);

// A command's body: the `required` and `optional` string members, no other.
nlohmann::json Object(const std::vector<std::string>& required,
                      const std::vector<std::string>& optional = {});

// "get", "post", ...
std::string MethodName(http::verb method);

// The operation's id, from its method and pattern, so it stays as long as
// the route does: GET /v1/exemplars/{id}/history is getExemplarsByIdHistory
// (the version segment left out).
std::string OperationId(http::verb method, const std::string& pattern);

}  // namespace exemplar::api::openapi
