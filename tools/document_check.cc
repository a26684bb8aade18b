#include "tools/document_check.h"

#include "crypto/key_vault.h"
#include "engine/log_reader.h"
#include "engine/workflow/personal_data.h"
#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"
#include "events/workflow_documents.h"

namespace exemplar::tools {
namespace {

// Whether the key `document_key` was sealed under is gone from the vault:
// its subject's data of that class was erased.
Result<bool> Erased(const EventStore& store, const std::string& document_key) {
  std::optional<crypto::KeyName> key = SealedKeyOf(document_key);
  if (!key) return false;  // not sealed: nothing could erase it
  VaultKeysInStore vault(&store.side_store());
  Result<std::optional<std::string>> stored = vault.Read(vault.IdOf(*key));
  if (!stored.ok()) return stored.status();
  return !stored->has_value();
}

Status CheckOne(const EventStore& store,
                const documents::DocumentStore& documents,
                const EventRecord& record, const DocumentRef& document,
                DocumentCheck* check) {
  Status present = documents.Check(document.hash);
  if (present.ok()) {
    ++check->checked;
    return Status::Ok();
  }
  if (present.code() == StatusCode::kNotFound) {
    Result<bool> erased = Erased(store, document.key);
    if (!erased.ok()) return erased.status();
    if (*erased) {
      ++check->erased;
      return Status::Ok();
    }
    return Status::Corruption(
        "document " + document.hash + " is missing from the documents folder",
        record.position);
  }
  if (present.code() == StatusCode::kCorruption) {
    return Status::Corruption(present.message(), record.position);
  }
  return present;
}

}  // namespace

Result<DocumentCheck> CheckRecordedDocuments(
    const EventStore& store, const documents::DocumentStore& documents) {
  DocumentCheck check;
  const Head head = store.head();
  if (head.position == 0) return check;
  LogReader reader(store, 1, head);
  EventRecord record;
  for (;;) {
    Result<bool> next = reader.Next(&record);
    if (!next.ok()) return next.status();
    if (!*next) break;
    std::optional<StreamName> stream = ParseStreamId(record.stream_id);
    if (!stream || stream->kind != StreamKind::kExemplar) continue;
    Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
    if (!event.ok()) continue;  // a transfer
    for (const DocumentRef* document : DocumentsOf(*event)) {
      EXEMPLAR_RETURN_IF_ERROR(
          CheckOne(store, documents, record, *document, &check));
    }
  }
  return check;
}

}  // namespace exemplar::tools
