// The OpenAPI document and the router agree: every route is described and
// every description is routed.
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <set>

#include "api/routes.h"
#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadDefinition(std::string(EXEMPLAR_SOURCE_DIR) +
                                 "/workflows/exemplar.json");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    definition_ = std::make_unique<Definition>(std::move(*loaded));
    auto store = EventStore::Open(dir_.str());
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    auto signer = audit::HeadSigner::Open(dir_.str());
    ASSERT_TRUE(signer.ok());
    auto audit = audit::AuditLog::Open(store_.get(), std::move(*signer));
    ASSERT_TRUE(audit.ok());
    audit_ = std::move(*audit);
    handler_ =
        std::make_unique<CommandHandler>(store_.get(), definition_.get());
    tokens_ = std::move(TokenRegistry::Load(store_.get())).value();
    idempotency_ =
        std::make_unique<IdempotencyIndex>(*store_, crypto::NewDataKey());
    openapi_ = std::make_unique<OpenApi>(*definition_);
    projections_ = std::move(
        projections::Projections::Open(store_.get(), definition_.get())
            .value());
    event_streams_ =
        std::make_unique<EventStreamService>(*store_, *definition_);
    people_ = std::move(People::Open(*store_, PeopleOptions{})).value();
    retention_ = std::make_unique<RetentionProposals>(
        *store_, *handler_, *projections_, RetentionProposalOptions{});
    documents_ =
        std::move(documents::DocumentStore::Open(dir_.str() + "/documents", {}))
            .value();
    AddApiRoutes(router_,
                 {*store_, *audit_, *handler_, *definition_, *tokens_,
                  *idempotency_, metrics_, *openapi_, *projections_,
                  *event_streams_, *people_, *retention_, *documents_});
  }

  testing::TempDir dir_;
  std::unique_ptr<Definition> definition_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<CommandHandler> handler_;
  std::unique_ptr<TokenRegistry> tokens_;
  std::unique_ptr<IdempotencyIndex> idempotency_;
  Metrics metrics_;
  std::unique_ptr<OpenApi> openapi_;
  std::unique_ptr<projections::Projections> projections_;
  std::unique_ptr<EventStreamService> event_streams_;
  std::unique_ptr<People> people_;
  std::unique_ptr<RetentionProposals> retention_;
  std::unique_ptr<documents::DocumentStore> documents_;
  Router router_;
};

TEST_F(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  EXPECT_EQ(openapi_->Mismatches(router_), std::vector<std::string>{});
  EXPECT_GT(router_.routes().size(), definition_->actions.size());
}

TEST_F(OpenApiTest, AnUndocumentedRouteOrAStaleDescriptionIsReported) {
  router_.Add(http::verb::get, "/v1/extra",
              [](const Request& request, const RouteParams&) {
                return JsonResponse(request, http::status::ok, {});
              });
  openapi_->Describe(http::verb::get, "/v1/gone", {{"summary", "old"}});
  auto mismatches = openapi_->Mismatches(router_);
  EXPECT_EQ(mismatches, (std::vector<std::string>{"undocumented get /v1/extra",
                                                  "not routed get /v1/gone"}));
}

TEST_F(OpenApiTest, ActionsAreDescribedFromTheDefinition) {
  const auto& nominate =
      openapi_->document()["paths"]["/v1/exemplars/{id}/nominate"]["post"];
  const auto& schema =
      nominate["requestBody"]["content"]["application/json"]["schema"];
  EXPECT_TRUE(schema["properties"].contains("campaign_id"));
  EXPECT_NE(std::find(schema["required"].begin(), schema["required"].end(),
                      "award_form"),
            schema["required"].end());
  EXPECT_TRUE(nominate["responses"].contains("412"));
  EXPECT_EQ(openapi_->document()["openapi"], "3.1.0");
}

TEST_F(OpenApiTest, EveryOperationHasAUniqueIdFromItsMethodAndRoute) {
  std::set<std::string> ids;
  std::size_t operations = 0;
  for (const auto& [pattern, item] : openapi_->document()["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      ++operations;
      ASSERT_TRUE(operation.contains("operationId"))
          << method << " " << pattern;
      const std::string id = operation["operationId"];
      EXPECT_TRUE(id.starts_with(method)) << id;
      EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
                std::string::npos)
          << id;
      ids.insert(id);
    }
  }
  EXPECT_EQ(ids.size(), operations);
  const auto& paths = openapi_->document()["paths"];
  EXPECT_EQ(paths["/v1/exemplars/{id}"]["get"]["operationId"],
            "getExemplarsById");
  EXPECT_EQ(paths["/v1/reports/follow-up"]["get"]["operationId"],
            "getReportsFollowUp");
  EXPECT_EQ(paths["/v1/exemplars/{id}/assign_mentor"]["post"]["operationId"],
            "postExemplarsByIdAssignMentor");
  EXPECT_EQ(paths["/v1/tokens/{token_id}"]["delete"]["operationId"],
            "deleteTokensByTokenId");
  EXPECT_EQ(paths["/openapi.json"]["get"]["operationId"], "getOpenapiJson");
}

TEST_F(OpenApiTest, TheDocumentNamesItsServerAndVersion) {
  const nlohmann::json& document = openapi_->document();
  ASSERT_EQ(document["servers"].size(), 1u);
  EXPECT_EQ(document["servers"][0]["url"], "/");
  EXPECT_EQ(document["info"]["version"], kApiDocumentVersion);
}

TEST_F(OpenApiTest, TheExemplarViewDescribesItsETag) {
  const auto& view = openapi_->document()["paths"]["/v1/exemplars/{id}"]["get"];
  EXPECT_TRUE(view["responses"]["200"]["headers"].contains("ETag"));
  EXPECT_TRUE(view["responses"].contains("304"));
  bool none_match = false;
  for (const auto& parameter : view["parameters"]) {
    none_match = none_match || parameter["name"] == "If-None-Match";
  }
  EXPECT_TRUE(none_match);
}

// Every "$ref" in `node` (recursively), as written.
void CollectRefs(const nlohmann::json& node, std::vector<std::string>* refs) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string()) {
        refs->push_back(value.get<std::string>());
      } else {
        CollectRefs(value, refs);
      }
    }
  } else if (node.is_array()) {
    for (const auto& item : node) CollectRefs(item, refs);
  }
}

TEST_F(OpenApiTest, EveryReferenceResolves) {
  const nlohmann::json& document = openapi_->document();
  std::vector<std::string> refs;
  CollectRefs(document, &refs);
  ASSERT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    ASSERT_TRUE(ref.starts_with("#/")) << ref;
    nlohmann::json::json_pointer pointer(ref.substr(1));
    EXPECT_TRUE(document.contains(pointer)) << ref << " resolves to nothing";
  }
}

}  // namespace
}  // namespace exemplar::api
