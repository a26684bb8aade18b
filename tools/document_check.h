// The evidence documents' part of verifying a data folder: every document
// an event recorded is in the documents folder and its bytes hash to the
// hash the event committed to, or it was erased (the key its own key was
// sealed under is gone from the vault, so its file may be gone too).
#pragma once

#include <cstdint>

#include "documents/document_store.h"
#include "engine/event_store.h"
#include "events/status.h"

namespace exemplar::tools {

struct DocumentCheck {
  std::uint64_t checked = 0;  // present, matching their hash
  std::uint64_t erased = 0;   // missing after their subject's erasure
};

// Checks the documents the log of `store` recorded against `documents`.
// kCorruption (at the recording event's position) naming a document that
// is missing unerased or does not match its hash.
Result<DocumentCheck> CheckRecordedDocuments(
    const EventStore& store, const documents::DocumentStore& documents);

}  // namespace exemplar::tools
