#include "api/console_routes.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "api/etag.h"

namespace exemplar::api {
namespace {

constexpr std::string_view kIndexName = "index.html";
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'";

std::string_view Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// The weight a client gives one element of Accept-Encoding ("gzip;q=0.5"):
// 1 without q, 0 when q is 0 or unreadable.
double Weight(std::string_view parameters) {
  const auto q = parameters.find("q=");
  if (q == std::string_view::npos) return 1;
  std::string_view value = Trimmed(parameters.substr(q + 2));
  double weight = 0;
  auto [end, error] =
      std::from_chars(value.data(), value.data() + value.size(), weight);
  return error == std::errc() ? weight : 0;
}

// Beast (Boost 1.74) takes its own string_view.
template <typename Name>
void Set(Response& response, Name name, std::string_view value) {
  response.set(name, boost::beast::string_view(value.data(), value.size()));
}

// Headers every console response carries: the browser runs only the
// console's own files, never inside another site's frame.
void SetPageHeaders(Response& response) {
  Set(response, "Content-Security-Policy", kContentSecurityPolicy);
  Set(response, "X-Content-Type-Options", "nosniff");
  Set(response, "Referrer-Policy", "no-referrer");
  Set(response, "X-Frame-Options", "DENY");
}

const ConsoleAsset* Find(std::span<const ConsoleAsset> assets,
                         std::string_view name) {
  auto found = std::find_if(
      assets.begin(), assets.end(),
      [name](const ConsoleAsset& asset) { return asset.name == name; });
  return found == assets.end() ? nullptr : &*found;
}

// `asset` in the encoding the request accepts, with its entity tag (one
// per encoding: the bytes differ) and the caching `cache_control` says.
Response ServeAsset(const Request& request, const ConsoleAsset& asset,
                    std::string_view cache_control) {
  auto accept = request.find(http::field::accept_encoding);
  const std::string_view encoding = ChooseContentEncoding(
      accept == request.end()
          ? std::string_view()
          : std::string_view(accept->value().data(), accept->value().size()));
  std::string etag = "\"" + std::string(asset.hash);
  if (!encoding.empty()) etag += "-" + std::string(encoding);
  etag += "\"";
  Response response = NoneMatchHolds(request, etag)
                          ? NotModified(request, etag)
                          : Response(http::status::ok, request.version());
  if (response.result() == http::status::ok) {
    response.keep_alive(request.keep_alive());
    response.set(http::field::etag, etag);
    std::string_view body = encoding == "br"     ? asset.brotli
                            : encoding == "gzip" ? asset.gzip
                                                 : asset.raw;
    response.body().assign(body.data(), body.size());
    if (!encoding.empty()) {
      Set(response, http::field::content_encoding, encoding);
    }
  }
  Set(response, http::field::content_type, asset.content_type);
  Set(response, http::field::cache_control, cache_control);
  response.set(http::field::vary, "Accept-Encoding");
  SetPageHeaders(response);
  response.prepare_payload();
  return response;
}

// A console page in plain HTML (the console not built, an unknown file).
Response PlainPage(const Request& request, http::status status,
                   std::string_view title, std::string_view text) {
  Response response(status, request.version());
  response.keep_alive(request.keep_alive());
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-cache");
  SetPageHeaders(response);
  response.body() =
      "<!doctype html>\n<html lang=\"en\"><head><meta "
      "charset=\"utf-8\"><title>" +
      std::string(title) + "</title></head><body><h1>" + std::string(title) +
      "</h1><p>" + std::string(text) + "</p></body></html>\n";
  response.prepare_payload();
  return response;
}

bool Always(const Request&, const RouteParams&) { return true; }

}  // namespace

std::string_view ChooseContentEncoding(std::string_view accept_encoding) {
  // A coding not named takes the weight of "*" (RFC 9110 12.5.3).
  std::optional<double> brotli, gzip;
  double any = 0;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view element = Trimmed(accept_encoding.substr(0, comma));
    accept_encoding = comma == std::string_view::npos
                          ? std::string_view()
                          : accept_encoding.substr(comma + 1);
    const auto semicolon = element.find(';');
    std::string_view coding = Trimmed(element.substr(0, semicolon));
    const double weight = semicolon == std::string_view::npos
                              ? 1
                              : Weight(element.substr(semicolon + 1));
    if (coding == "br") brotli = weight;
    if (coding == "gzip" || coding == "x-gzip") gzip = weight;
    if (coding == "*") any = weight;
  }
  const double br = brotli.value_or(any), gz = gzip.value_or(any);
  if (br > 0 && br >= gz) return "br";
  return gz > 0 ? "gzip" : "";
}

void AddConsoleRoutes(Router& router, std::span<const ConsoleAsset> assets) {
  RouteOptions options(Access::kPublic);
  options.quick = Always;  // memory only
  router.Add(
      http::verb::get, "/",
      [assets](const Request& request, const RouteParams&) {
        const ConsoleAsset* index = Find(assets, kIndexName);
        if (index == nullptr) {
          return PlainPage(
              request, http::status::not_found, "Console not built",
              "This server was built without the web console (Node.js and "
              "npm were not found at build time). The HTTP API under /v1 "
              "works; see /openapi.json. Install Node.js and npm and build "
              "again to include the console.");
        }
        return ServeAsset(request, *index, "no-cache");
      },
      options);
  router.Add(
      http::verb::get, "/assets/{name}",
      [assets](const Request& request, const RouteParams& params) {
        const std::string& name = params.path.at("name");
        const ConsoleAsset* asset = Find(assets, name);
        if (asset == nullptr || asset->name == kIndexName) {
          return PlainPage(request, http::status::not_found, "Not found",
                           "The console has no file by this name.");
        }
        return ServeAsset(request, *asset,
                          "public, max-age=31536000, immutable");
      },
      options);
}

bool IsConsoleRoute(std::string_view pattern) {
  return pattern == "/" || pattern == "/assets/{name}";
}

}  // namespace exemplar::api
