// Evidence documents (hồ sơ): the files an action takes, kept in a folder of
// the data folder, apart from the log, which commits to each by its hash.
//
// Every document is sealed (crypto/field_cipher.h) under a data key of its
// own, drawn when it is uploaded, in chunks of kChunkBytes: chunk i is
// bound to its number and to whether it is the last, so chunks cannot be
// reordered, dropped or cut short unnoticed, and a document is read and
// written a chunk at a time, never whole. Its hash is the SHA-256 of the
// sealed bytes, so no fingerprint of the content is stored anywhere. The
// key lives in memory while the document is staged; the command that
// takes the document writes it into its event, sealed as a personal value
// of the field's data subject (engine/workflow/personal_data.h), so
// erasing that subject leaves the document unreadable, and the erasure
// then removes the file.
//
// A document's life: an upload is written to staged/ and kept for its
// uploader until a command takes it or it expires (DocumentOptions); a
// command claims it, which moves it to the stored documents (a folder per
// first two hex digits of the hash) before the event is appended. Opened
// with an uploads key, the store writes beside each staged upload a record
// of it (its document key, name, type, uploader and expiry) sealed under
// that key, so that uploads outlive a restart; without one, and for
// partial uploads, staged/ is emptied when the store opens. A document
// claimed by a command whose append then failed is unreadable noise (its
// key was never written); it is returned to staging when the process
// lives on.
//
// Thread safety: thread-safe; an Upload belongs to one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/field_cipher.h"
#include "events/status.h"
#include "events/workflow_event.h"

namespace exemplar::documents {

struct DocumentOptions {
  // The largest document accepted, in bytes. Default 20 MiB.
  std::uint64_t max_bytes = 20u << 20;
  // How long an upload waits for the command that takes it. Default 24 h.
  std::chrono::seconds staged_for = std::chrono::hours(24);
  // Uploads one user may have waiting at once. Default 20.
  std::size_t max_staged_per_user = 20;
};

// Plain bytes per sealed chunk.
inline constexpr std::size_t kChunkBytes = 64 * 1024;

// Whether documents of `media_type` are taken: PDF, JPEG, PNG, WebP,
// HEIC, plain text and the Word, Excel and OpenDocument formats.
bool IsAcceptedMediaType(std::string_view media_type);

// Whether `hash` is a document hash's form: 64 lowercase hex digits.
bool IsDocumentHash(std::string_view hash);

// An upload waiting for a command, or taken by one: what the event
// records of it (DocumentRef, with the plain name and key) and who
// uploaded it.
struct StagedDocument {
  DocumentRef ref;
  std::string uploader;
  std::int64_t expires_at_us = 0;
};

class DocumentStore {
 public:
  // Opens the documents kept in `folder`, making it when missing. With
  // `uploads_key`, the uploads staged before are found again (their
  // records sealed under it), and whatever else staging holds is removed;
  // without it, staging is emptied. Errors: kIoError.
  static Result<std::unique_ptr<DocumentStore>> Open(
      std::string folder, DocumentOptions options,
      std::optional<crypto::DataKey> uploads_key = std::nullopt);
  // Opens `folder` to read and check its stored documents beside a server
  // that may hold it (backups, audits): staging is left alone, and a
  // missing folder reads as holding no document.
  static std::unique_ptr<DocumentStore> OpenForReading(std::string folder);
  ~DocumentStore();
  DocumentStore(const DocumentStore&) = delete;
  DocumentStore& operator=(const DocumentStore&) = delete;

  // One document being uploaded: its bytes sealed and written as they come.
  class Upload {
   public:
    ~Upload();  // removes what was written, unless finished
    // Adds bytes. Rejected "document_too_large" past the limit.
    Status Append(std::string_view bytes);
    // Seals the rest, syncs the file and stages it for its uploader.
    // Rejected "empty_document" when no byte came.
    Result<StagedDocument> Finish(std::string media_type, std::string name,
                                  std::int64_t now_us);

   private:
    friend class DocumentStore;
    struct State;
    explicit Upload(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };

  // Starts an upload by `uploader`. Rejected "too_many_uploads" when they
  // have DocumentOptions::max_staged_per_user waiting.
  Result<std::unique_ptr<Upload>> BeginUpload(const std::string& uploader,
                                              std::int64_t now_us);

  // Takes the staged document `hash` of `uploader` for a command, moving it
  // to the stored documents (synced). kNotFound when they have no such
  // upload waiting (never made, another user's, expired or taken).
  Result<StagedDocument> Claim(const std::string& hash,
                               const std::string& uploader,
                               std::int64_t now_us);
  // Returns a claimed document to staging: its command was not recorded.
  void Unclaim(StagedDocument document);

  // Streams the plain content of stored document `hash`, sealed under
  // `key`, to `emit` a chunk at a time, until it returns false. kNotFound
  // when no file holds it; kPermissionDenied when it does not open under
  // `key`; kCorruption when its chunks are altered, reordered or cut.
  Status Read(const std::string& hash, std::string_view key,
              const std::function<bool(std::string_view)>& emit) const;

  // Whether stored document `hash` is there and its bytes hash to it:
  // kNotFound when missing, kCorruption when they differ.
  Status Check(const std::string& hash) const;

  // Removes the stored documents `hashes`, syncing their folders. Ok for
  // one that is not there.
  Status Remove(const std::vector<std::string>& hashes);

  // Calls visit(hash) for every stored document, in no set order.
  Status ForEachStored(
      const std::function<void(const std::string&)>& visit) const;

  // The file a stored document lives in.
  std::string PathOf(const std::string& hash) const;
  const DocumentOptions& options() const { return options_; }

 private:
  DocumentStore(std::string folder, DocumentOptions options,
                std::optional<crypto::DataKey> uploads_key)
      : folder_(std::move(folder)),
        options_(options),
        uploads_key_(uploads_key) {}
  // Finds the uploads recorded in staging; removes every other file there.
  Status LoadStaged();
  // Drops expired uploads; with mutex_ held.
  void DropExpiredLocked(std::int64_t now_us);
  // Stages a finished upload, recording it when the store keeps uploads.
  Status Stage(StagedDocument document);
  // Writes `document`'s record, synced, when the store keeps uploads.
  Status WriteRecord(const StagedDocument& document) const;
  // Removes a staged upload's file and record.
  void Unstage(const std::string& hash) const;
  std::string StagedPath(const std::string& name) const;
  std::string RecordPath(const std::string& hash) const;

  const std::string folder_;
  const DocumentOptions options_;
  const std::optional<crypto::DataKey> uploads_key_;
  mutable std::mutex mutex_;
  std::map<std::string, StagedDocument> staged_;  // by hash
};

// Copies the stored documents of `from` into the folder `to` (made when
// missing), hard-linking where the file system allows: a document's file
// never changes once stored. Returns how many were copied.
Result<std::size_t> CopyStoredDocuments(const DocumentStore& from,
                                        const std::string& to);

}  // namespace exemplar::documents
