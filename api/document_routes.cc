#include "api/document_routes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/read_scope.h"
#include "engine/workflow/personal_data.h"
#include "engine/workflow/stream_ids.h"
#include "engine/workflow/target_scope.h"
#include "events/clock.h"
#include "events/payload_codec.h"
#include "events/text.h"
#include "events/workflow_documents.h"
#include "projections/queries.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameLength = 200;

// The media type of a Content-Type, without its parameters, in lower case.
std::string MediaTypeOf(const Request& head) {
  std::string type(head[http::field::content_type]);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(c));
  return type;
}

// A file name a person gave: one line of text, no folder in it.
Status CheckName(const std::string& name) {
  EXEMPLAR_RETURN_IF_ERROR(ValidateText(name, "name"));
  EXEMPLAR_RETURN_IF_ERROR(
      CheckControlCharacters(name, "name", TextLines::kOne));
  if (IsBlank(name) || CodePointCount(name) > kMaxNameLength ||
      name.find_first_of("/\\") != std::string::npos) {
    return Status::InvalidArgument(
        "name: the document's file name, 1 to 200 characters, without / or \\",
        "name");
  }
  return Status::Ok();
}

class DocumentSink : public BodySink {
 public:
  DocumentSink(std::unique_ptr<documents::DocumentStore::Upload> upload,
               Request head, std::string media_type, std::string name,
               int utc_offset)
      : upload_(std::move(upload)),
        head_(std::move(head)),
        media_type_(std::move(media_type)),
        name_(std::move(name)),
        utc_offset_(utc_offset) {}

  Status Write(std::string_view bytes) override {
    return upload_->Append(bytes);
  }

  void Finish(Respond respond) override {
    Result<documents::StagedDocument> staged =
        upload_->Finish(media_type_, name_, SystemClockMicros());
    if (!staged.ok()) return respond(ProblemFromStatus(head_, staged.status()));
    const DocumentRef& ref = staged->ref;
    respond(JsonResponse(
        head_, http::status::created,
        {{"hash", ref.hash},
         {"size", ref.size},
         {"media_type", ref.media_type},
         {"name", ref.name},
         {"expires_at",
          projections::FormatInstant(staged->expires_at_us, utc_offset_)}}));
  }

 private:
  std::unique_ptr<documents::DocumentStore::Upload> upload_;
  Request head_;
  std::string media_type_;
  std::string name_;
  int utc_offset_;
};

OpenBodySink OpenUpload(documents::DocumentStore& store, int utc_offset) {
  return [&store, utc_offset](const Request& head, const RouteParams& params)
             -> std::variant<std::unique_ptr<BodySink>, Response> {
    const std::string media_type = MediaTypeOf(head);
    if (!documents::IsAcceptedMediaType(media_type)) {
      return Problem(head, http::status::unsupported_media_type,
                     "unsupported_media_type",
                     "a document is PDF, JPEG, PNG, WebP, HEIC, plain text, "
                     "Word, Excel or OpenDocument; Content-Type says \"" +
                         media_type + "\"");
    }
    auto name = params.query.find("name");
    Status named = name == params.query.end()
                       ? Status::InvalidArgument("name: required", "name")
                       : CheckName(name->second);
    if (!named.ok()) return ProblemFromStatus(head, named);
    auto upload =
        store.BeginUpload(params.context.user_id, SystemClockMicros());
    if (!upload.ok()) {
      if (upload.status().reason() == "too_many_uploads") {
        return Problem(head, http::status::too_many_requests,
                       "too_many_uploads", upload.status().message());
      }
      return ProblemFromStatus(head, upload.status());
    }
    return std::make_unique<DocumentSink>(std::move(*upload), head, media_type,
                                          name->second, utc_offset);
  };
}

// The document `hash` as an event of `stream` recorded it, opened for the
// reader; nullopt when none did.
std::optional<DocumentRef> RecordedDocument(
    const std::vector<EventRecord>& stream, const std::string& hash,
    const PersonalData* personal) {
  for (const EventRecord& record : stream) {
    Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
    if (!event.ok()) continue;  // a transfer
    const auto recorded = DocumentsOf(*event);
    if (std::none_of(recorded.begin(), recorded.end(),
                     [&](const DocumentRef* d) { return d->hash == hash; })) {
      continue;
    }
    OpenForReader(personal, record.stream_id, &*event);
    for (const DocumentRef* opened : DocumentsOf(*event)) {
      if (opened->hash == hash) return *opened;
    }
  }
  return std::nullopt;
}

// RFC 6266's Content-Disposition, the UTF-8 name percent-encoded (RFC 8187)
// beside an ASCII stand-in.
std::string Disposition(const DocumentRef& document) {
  const bool shown = document.media_type == "application/pdf" ||
                     document.media_type.starts_with("image/") ||
                     document.media_type == "text/plain";
  std::string ascii, encoded;
  for (unsigned char c : document.name) {
    const bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    ascii.push_back(plain ? static_cast<char>(c) : '_');
    if (plain) {
      encoded.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      encoded += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return std::string(shown ? "inline" : "attachment") + "; filename=\"" +
         ascii + "\"; filename*=UTF-8''" + encoded;
}

// The Content-Type a document is served with: text as UTF-8, the encoding
// of every text this server keeps (an upload's parameters are not kept).
std::string ServedType(const std::string& media_type) {
  return media_type == "text/plain" ? "text/plain; charset=utf-8" : media_type;
}

Response DocumentNotFound(const Request& request) {
  return Problem(request, http::status::not_found, "document_not_found",
                 "this exemplar recorded no such document");
}

// Whether `user` may read exemplar `id`: as they may read its view.
Result<bool> MayRead(CommandHandler& handler, const std::string& user,
                     const std::string& id) {
  auto authority = handler.CurrentAuthority();
  if (!authority.ok()) return authority.status();
  auto scope = ReaderScope(*authority, user, SystemClockMicros());
  if (scope.status().code() == StatusCode::kPermissionDenied) return false;
  if (!scope.ok()) return scope.status();
  auto state = handler.LoadExemplar(id);
  if (!state.ok()) return state.status();
  if (!state->exists()) return false;
  const auto covers = [&](const std::string& unit) {
    return scope->Covers(unit);
  };
  return covers(state->unit_id) ||
         SeesATargetUnit(*state, handler.definition(), covers);
}

AsyncHandler ReadDocument(documents::DocumentStore& documents,
                          const EventStore& store, CommandHandler& handler,
                          ExportStreamOptions options) {
  return [&documents, &store, &handler, options](const Request& request,
                                                 const RouteParams& params,
                                                 Respond respond) {
    const std::string& id = params.path.at("id");
    const std::string& hash = params.path.at("hash");
    Result<bool> may = MayRead(handler, params.context.user_id, id);
    if (!may.ok()) return respond(ProblemFromStatus(request, may.status()));
    if (!*may || !documents::IsDocumentHash(hash)) {
      return respond(DocumentNotFound(request));
    }
    auto stream = store.ReadStream(ExemplarStreamId(id), 0, Direction::kForward,
                                   std::numeric_limits<std::size_t>::max());
    if (!stream.ok())
      return respond(ProblemFromStatus(request, stream.status()));
    std::optional<DocumentRef> document =
        RecordedDocument(*stream, hash, handler.personal_data());
    if (!document) return respond(DocumentNotFound(request));
    if (document->key == kErasedValue) {
      return respond(Problem(request, http::status::gone, "document_erased",
                             "the document's data subject was erased: its "
                             "content can no longer be read"));
    }
    StreamExport(request, ServedType(document->media_type), options,
                 [&](const EmitExport& emit) {
                   return documents.Read(hash, document->key,
                                         [&](std::string_view part) {
                                           return emit(std::string(part));
                                         });
                 },
                 std::move(respond),
                 {{"Content-Disposition", Disposition(*document)},
                  {"X-Content-Type-Options", "nosniff"},
                  {"Content-Security-Policy", "sandbox; default-src 'none'"}});
  };
}

}  // namespace

void AddDocumentRoutes(Router& router, documents::DocumentStore& documents,
                       const EventStore& store, CommandHandler& handler,
                       ExportStreamOptions stream) {
  router.AddUpload(
      http::verb::post, "/v1/documents",
      OpenUpload(documents, handler.definition().utc_offset_minutes),
      documents.options().max_bytes);
  router.Add(http::verb::get, "/v1/exemplars/{id}/documents/{hash}",
             ReadDocument(documents, store, handler, stream), RouteOptions());
}

}  // namespace exemplar::api
