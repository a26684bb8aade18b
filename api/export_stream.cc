#include "api/export_stream.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <sstream>

#include "api/sse_connection.h"

namespace exemplar::api {
namespace {

// `bytes` as one chunk of a chunked body (RFC 9112 7.1).
std::string Chunk(const std::string& bytes) {
  char size[20];
  std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  return size + bytes + "\r\n";
}

Frame FrameOf(std::string bytes) {
  return std::make_shared<const std::string>(std::move(bytes));
}

}  // namespace

Format Negotiate(const Request& request) {
  std::string accept(request[http::field::accept]);
  if (accept.find("text/csv") != std::string::npos) return Format::kCsv;
  if (accept.find("application/x-ndjson") != std::string::npos) {
    return Format::kJsonLines;
  }
  return Format::kJson;
}

const char* ContentType(Format format) {
  return format == Format::kCsv ? "text/csv; charset=utf-8"
                                : "application/x-ndjson";
}

std::string ExportBytes(projections::Table table, Format format, bool first,
                        const projections::CodeLabels& labels) {
  std::ostringstream out;
  if (format == Format::kJsonLines) {
    projections::WriteJsonLines(table, out);
    return out.str();
  }
  table = projections::WithLabelColumns(std::move(table), labels);
  if (first) projections::WriteCsvHeader(table.columns, out);
  projections::WriteCsvRows(table, out);
  return out.str();
}

void StreamExport(
    const Request& request, const std::string& content_type,
    const ExportStreamOptions& options, const ProduceExport& produce,
    Respond respond,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  const unsigned version = request.version();
  const bool chunked = version >= 11;
  std::shared_ptr<SseConnection> connection;
  bool cut = false;
  EmitExport emit = [&](std::string bytes) {
    if (!connection) {
      connection = std::make_shared<SseConnection>(options.stall_timeout);
      Response head{http::status::ok, version};
      head.set(http::field::content_type, content_type);
      head.set(http::field::cache_control, "no-store");
      for (const auto& [name, value] : headers) head.set(name, value);
      head.keep_alive(false);
      head.chunked(chunked);
      respond(Reply(std::move(head), connection));
    }
    // An empty chunk would end the body.
    if (bytes.empty()) return true;
    cut = !connection->Send({FrameOf(chunked ? Chunk(bytes) : bytes)}) ||
          !connection->WaitForRoom(options.queue_bytes, options.stall_timeout);
    return !cut;
  };
  Status produced = Status::Ok();
  try {
    produced = produce(emit);
  } catch (const std::exception& e) {
    produced = Status::Internal(std::string("export failed: ") + e.what());
  }
  if (!connection && !produced.ok()) {
    return respond(ProblemFromStatus(request, produced));
  }
  if (!produced.ok()) {
    spdlog::error("export cut short: {}", produced.ToString());
    cut = true;
  }
  if (!connection) emit({});
  connection->Finish(FrameOf(chunked && !cut ? "0\r\n\r\n" : ""));
}

}  // namespace exemplar::api
