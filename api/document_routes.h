// Evidence documents over HTTP (documents/document_store.h):
//
//   POST /v1/documents?name=N   the body is the document, its Content-Type
//       the media type; streamed to the store, never held whole, up to the
//       store's limit (413 document_too_large beyond). 201 with the
//       document's hash, size, media type, name and when the upload
//       expires; the hash goes in a documents field of a command, which
//       records it. An upload waits for its uploader alone.
//   GET /v1/exemplars/{id}/documents/{hash}   the plain content of a
//       document an event of the exemplar recorded, streamed, with its
//       media type, for whoever may read the exemplar (404 for anyone
//       else, as for an unknown document); 410 document_erased once its
//       data subject's data was erased.
#pragma once

#include "api/export_stream.h"
#include "api/router.h"
#include "documents/document_store.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"

namespace exemplar::api {

// `documents`, `store` and `handler` must outlive the router.
void AddDocumentRoutes(Router& router, documents::DocumentStore& documents,
                       const EventStore& store, CommandHandler& handler,
                       ExportStreamOptions stream = {});

}  // namespace exemplar::api
