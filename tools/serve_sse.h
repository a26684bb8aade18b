// The `serve` flags of the live event stream (api/sse.h), kept apart from
// serve.cc's own flags.
#pragma once

#include <CLI/CLI.hpp>

#include "api/sse.h"

namespace exemplar::tools {

// Adds --sse-heartbeat-ms, --sse-max-subscribers, --sse-queue-bytes,
// --sse-stall-ms and --sse-final-write-ms to `serve`, writing into
// `options`, which must outlive parsing.
void AddSseFlags(CLI::App& serve, api::SseOptions& options);

}  // namespace exemplar::tools
