// The OpenAPI 3.1 description of the API, served at GET /openapi.json.
// Workflow command routes are described from the definition (one operation
// per action, its fields as the request schema), the rest from a table kept
// beside the routes. Every operation has an operationId made from its
// method and pattern (getExemplarsById), stable while the route stays.
// Mismatches() compares the document with a router, so a test fails when a
// route is undocumented or a documented route is gone.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/router.h"
#include "engine/workflow/definition.h"

namespace exemplar::api {

// The document's info.version: raised whenever what it describes changes.
inline constexpr char kApiDocumentVersion[] = "1.5.0";

class OpenApi {
 public:
  // Describes every route of this folder, the workflow actions of
  // `definition` included.
  explicit OpenApi(const Definition& definition);

  // Adds or replaces the operation for (method, pattern); `operation` is an
  // OpenAPI Operation object (summary, parameters, requestBody, responses).
  void Describe(http::verb method, const std::string& pattern,
                nlohmann::json operation);

  // The whole document.
  const nlohmann::json& document() const { return document_; }

  // "METHOD pattern" of each route the router has and the document lacks,
  // and of each documented operation the router lacks. Empty when they
  // agree. The console's routes (api/console_routes.h) serve pages, not
  // the API, and are left out.
  std::vector<std::string> Mismatches(const Router& router) const;

 private:
  void DescribeEventStream();
  void DescribeQueries();
  void DescribeReference();
  void DescribePeople();
  void DescribeActions();
  void DescribeReorganisations();
  void DescribeFunnel();

  nlohmann::json document_;
};

// GET /openapi.json (public). `openapi` must outlive the router.
void AddOpenApiRoute(Router& router, const OpenApi& openapi);

}  // namespace exemplar::api
