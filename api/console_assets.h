// The web console's files, built into the binary: console/build.mjs bundles
// console/src and generates the table, each file with its bytes as they are
// and compressed ahead with gzip and brotli. A build without Node links
// console_assets_none.cc instead: an empty table.
#pragma once

#include <span>
#include <string_view>

namespace exemplar::api {

struct ConsoleAsset {
  std::string_view name;          // "index.html", or "main-<hash>.js" …
  std::string_view content_type;  // "text/javascript; charset=utf-8" …
  std::string_view hash;          // of the raw bytes: the ETag's root
  std::string_view raw;
  std::string_view gzip;
  std::string_view brotli;
};

// Every file of the console; empty when the console was not built.
std::span<const ConsoleAsset> ConsoleAssets();

}  // namespace exemplar::api
