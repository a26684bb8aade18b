// Exports of the read side: the format the Accept header asks for, a page
// of rows in it, and a whole export (CSV or JSON Lines of a list or the
// ledger) streamed as one response's body, a page at a time, so that the server
// holds a page of it, never the whole: the head goes out with the first page,
// then each page as an HTTP/1.1 chunk (HTTP/1.0: the body ends when the
// connection does), written from the thread that produces them, which waits
// while the client's write queue is full. The query routes stream their exports
// through it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/http.h"
#include "api/router.h"
#include "events/status.h"
#include "projections/export_labels.h"

namespace exemplar::api {

enum class Format { kJson, kCsv, kJsonLines };

// What `Accept` asks for: text/csv, application/x-ndjson, else JSON.
Format Negotiate(const Request& request);
// The Content-Type of an export in `format` (kCsv or kJsonLines).
const char* ContentType(Format format);
// One page of an export: CSV rows (after the BOM and the header line when
// `first`), with the Vietnamese label columns of `labels`
// (projections/export_labels.h), or JSON Lines, codes only.
std::string ExportBytes(projections::Table table, Format format, bool first,
                        const projections::CodeLabels& labels);

struct ExportStreamOptions {
  // Bytes queued for the client before the producer waits. Default 1 MiB.
  std::size_t queue_bytes = 1 << 20;
  // An export whose client takes nothing for this long is cut short.
  // Default 30 s.
  std::chrono::milliseconds stall_timeout{30000};
};

// Sends the next part of the body; false when the client has gone or
// stalled: the producer stops.
using EmitExport = std::function<bool(std::string bytes)>;
// Produces the body through `emit`, the header line with the first page.
using ProduceExport = std::function<Status(const EmitExport& emit)>;

// Runs `produce` on the calling thread, which may block (a handler pool
// thread), and answers through `respond`: 200 with `content_type` at the
// first emit; a problem response instead when `produce` fails before it.
// A failure after it, or a client that stalls, cuts the body short: a
// chunked body then lacks its last chunk, which clients report as an
// incomplete transfer rather than a complete, shorter file. `request` must
// stay valid until `respond` is called. The head carries `headers` too.
void StreamExport(
    const Request& request, const std::string& content_type,
    const ExportStreamOptions& options, const ProduceExport& produce,
    Respond respond,
    const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace exemplar::api
