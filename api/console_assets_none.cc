// The asset table of a build made without Node: no console (the build
// said so; `serve` says so too, and GET / answers a page that explains).
#include "api/console_assets.h"

namespace exemplar::api {

std::span<const ConsoleAsset> ConsoleAssets() { return {}; }

}  // namespace exemplar::api
