// Serves the web console from the files built into the binary
// (api/console_assets.h): GET / answers index.html, revalidated on every
// load; GET /assets/{name} answers a content-hashed file, cached for a
// year, brotli- or gzip-encoded as the client accepts. Both are public:
// the console signs in through the API. They are pages, not API routes, so
// the OpenAPI document leaves them out (api/openapi.h).
#pragma once

#include <span>
#include <string_view>

#include "api/console_assets.h"
#include "api/router.h"

namespace exemplar::api {

// Adds GET / and GET /assets/{name} serving `assets`; with no assets, GET /
// answers 404 with a page that says the console was not built.
void AddConsoleRoutes(Router& router,
                      std::span<const ConsoleAsset> assets = ConsoleAssets());

// The content coding to send for an Accept-Encoding header: "br", "gzip"
// or "" (identity). A coding with q=0 is refused.
std::string_view ChooseContentEncoding(std::string_view accept_encoding);

// Whether `pattern` is one of the console's routes, which the OpenAPI
// document leaves out.
bool IsConsoleRoute(std::string_view pattern);

}  // namespace exemplar::api
