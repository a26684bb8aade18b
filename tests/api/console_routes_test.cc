// The console's page and files: types, encodings, caching, security
// headers, unknown files, and a build without the console.
#include "api/console_routes.h"

#include <gtest/gtest.h>

#include <vector>

namespace exemplar::api {
namespace {

const ConsoleAsset kIndex{"index.html", "text/html; charset=utf-8",
                          "indexhash",  "<!doctype html>raw index",
                          "gzip-index", "br-index"};
const ConsoleAsset kScript{"main-ABC.js", "text/javascript; charset=utf-8",
                           "scripthash",  "console.log(1)",
                           "gzip-script", "br-script"};
const ConsoleAsset kStyle{"main-DEF.css", "text/css; charset=utf-8",
                          "stylehash",    "body{}",
                          "gzip-style",   "br-style"};
const std::vector<ConsoleAsset> kAssets{kIndex, kScript, kStyle};

class ConsoleRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddConsoleRoutes(router_, kAssets);
    // The console's routes are public: a guard that refuses everyone
    // must not stand in their way.
    router_.SetGuard([](const Request& request, RequestContext&) {
      return std::optional<Response>(
          Response(http::status::unauthorized, request.version()));
    });
  }

  Response Get(const std::string& target,
               const std::string& accept_encoding = "",
               const std::string& if_none_match = "") {
    Request request(http::verb::get, target, 11);
    if (!accept_encoding.empty()) {
      request.set(http::field::accept_encoding, accept_encoding);
    }
    if (!if_none_match.empty()) {
      request.set(http::field::if_none_match, if_none_match);
    }
    return router_.Dispatch(request).response;
  }

  Router router_;
};

void ExpectSecurityHeaders(const Response& response) {
  EXPECT_EQ(response["Content-Security-Policy"],
            "default-src 'self'; img-src 'self' data:; style-src 'self'");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
}

TEST_F(ConsoleRoutesTest, TheRootAnswersIndexHtmlRevalidatedOnEveryLoad) {
  Response response = Get("/", "gzip, deflate, br");
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response[http::field::cache_control], "no-cache");
  EXPECT_EQ(response[http::field::content_encoding], "br");
  EXPECT_EQ(response.body(), "br-index");
  ExpectSecurityHeaders(response);
}

TEST_F(ConsoleRoutesTest, AnAssetIsCachedForAYearInTheEncodingAccepted) {
  Response brotli = Get("/assets/main-ABC.js", "gzip, deflate, br");
  EXPECT_EQ(brotli.result(), http::status::ok);
  EXPECT_EQ(brotli[http::field::content_type],
            "text/javascript; charset=utf-8");
  EXPECT_EQ(brotli[http::field::cache_control],
            "public, max-age=31536000, immutable");
  EXPECT_EQ(brotli[http::field::content_encoding], "br");
  EXPECT_EQ(brotli[http::field::vary], "Accept-Encoding");
  EXPECT_EQ(brotli[http::field::etag], "\"scripthash-br\"");
  EXPECT_EQ(brotli.body(), "br-script");
  ExpectSecurityHeaders(brotli);

  Response gzip = Get("/assets/main-DEF.css", "gzip");
  EXPECT_EQ(gzip[http::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(gzip[http::field::content_encoding], "gzip");
  EXPECT_EQ(gzip[http::field::etag], "\"stylehash-gzip\"");
  EXPECT_EQ(gzip.body(), "gzip-style");

  Response identity = Get("/assets/main-DEF.css");
  EXPECT_EQ(identity.count(http::field::content_encoding), 0u);
  EXPECT_EQ(identity[http::field::etag], "\"stylehash\"");
  EXPECT_EQ(identity[http::field::vary], "Accept-Encoding");
  EXPECT_EQ(identity.body(), "body{}");
}

TEST_F(ConsoleRoutesTest, AClientsCurrentCopyIsConfirmedWithoutABody) {
  Response response = Get("/assets/main-ABC.js", "br", "\"scripthash-br\"");
  EXPECT_EQ(response.result(), http::status::not_modified);
  EXPECT_EQ(response[http::field::etag], "\"scripthash-br\"");
  EXPECT_TRUE(response.body().empty());
  // Another encoding's tag names other bytes.
  EXPECT_EQ(Get("/assets/main-ABC.js", "gzip", "\"scripthash-br\"").result(),
            http::status::ok);
}

TEST_F(ConsoleRoutesTest, AnUnknownFileIsNotFound) {
  Response unknown = Get("/assets/main-OLD.js", "br");
  EXPECT_EQ(unknown.result(), http::status::not_found);
  EXPECT_EQ(unknown[http::field::content_type], "text/html; charset=utf-8");
  // index.html is the root's, never a cacheable asset.
  EXPECT_EQ(Get("/assets/index.html").result(), http::status::not_found);
  EXPECT_EQ(Get("/index.html").result(), http::status::not_found);
}

TEST(ConsoleRoutesWithoutConsoleTest, TheRootSaysTheConsoleIsNotBuilt) {
  Router router;
  AddConsoleRoutes(router, {});
  Request request(http::verb::get, "/", 11);
  Response response = router.Dispatch(request).response;
  EXPECT_EQ(response.result(), http::status::not_found);
  EXPECT_EQ(response[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(response.body().find("Console not built"), std::string::npos);
  ExpectSecurityHeaders(response);
}

TEST(ChooseContentEncodingTest, FollowsTheClientsWeights) {
  EXPECT_EQ(ChooseContentEncoding("gzip, deflate, br, zstd"), "br");
  EXPECT_EQ(ChooseContentEncoding("gzip"), "gzip");
  EXPECT_EQ(ChooseContentEncoding("br;q=0, gzip"), "gzip");
  EXPECT_EQ(ChooseContentEncoding("gzip;q=0.8, br;q=0.5"), "gzip");
  EXPECT_EQ(ChooseContentEncoding("*"), "br");
  EXPECT_EQ(ChooseContentEncoding("*;q=0.5, br;q=0"), "gzip");
  EXPECT_EQ(ChooseContentEncoding("identity"), "");
  EXPECT_EQ(ChooseContentEncoding("gzip;q=0, br;q=0"), "");
  EXPECT_EQ(ChooseContentEncoding("gzip;q=zz"), "");
  EXPECT_EQ(ChooseContentEncoding(""), "");
}

TEST(ConsoleRouteTest, TheConsolesRoutesAreNamedAsNotTheApi) {
  EXPECT_TRUE(IsConsoleRoute("/"));
  EXPECT_TRUE(IsConsoleRoute("/assets/{name}"));
  EXPECT_FALSE(IsConsoleRoute("/v1/exemplars"));
}

}  // namespace
}  // namespace exemplar::api
