#include "documents/document_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "events/sha256.h"

namespace exemplar::documents {
namespace {

namespace fs = std::filesystem;

constexpr char kStagedFolder[] = "staged";
// A staged upload's record is named after its document, with this suffix.
constexpr std::string_view kRecordSuffix = ".upload";
constexpr std::size_t kSealedChunkBytes = kChunkBytes + crypto::kSealOverhead;

// Where chunk `index` of a document belongs: its number, and whether it
// ends the document, so that cutting a document at a chunk's end fails.
std::string ChunkPlace(std::uint64_t index, bool last) {
  return "document\n" + std::to_string(index) + (last ? "\nlast" : "");
}

Status Errno(const std::string& what) {
  return Status::IoError(what + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Errno("cannot write " + path);
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return Status::Ok();
}

// Reads up to `size` bytes, fewer only at the end of the file.
Result<std::size_t> ReadFull(int fd, char* out, std::size_t size,
                             const std::string& path) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t read = ::read(fd, out + got, size - got);
    if (read < 0 && errno == EINTR) continue;
    if (read < 0) return Errno("cannot read " + path);
    if (read == 0) break;
    got += static_cast<std::size_t>(read);
  }
  return got;
}

// Syncs a folder, so that a file made, renamed or removed in it stays so.
Status SyncFolder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open " + folder);
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return Errno("cannot sync " + folder);
  return Status::Ok();
}

// An incremental SHA-256 (OpenSSL's EVP digest).
class Hasher {
 public:
  Hasher() : context_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(context_, EVP_sha256(), nullptr);
  }
  ~Hasher() { EVP_MD_CTX_free(context_); }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void Add(std::string_view bytes) {
    EVP_DigestUpdate(context_, bytes.data(), bytes.size());
  }
  std::string HexDigest() {
    Hash256 digest;
    EVP_DigestFinal_ex(context_, digest.data(), nullptr);
    return ToHex(digest);
  }

 private:
  EVP_MD_CTX* context_;
};

// Writes `bytes` to `path` through a partial file, synced and renamed, so
// that `path` holds all of them or none.
Status WriteFileDurably(const std::string& path, std::string_view bytes) {
  const std::string partial = path + ".part";
  const int fd =
      ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create " + partial);
  Status written = WriteAll(fd, bytes, partial);
  if (written.ok() && ::fsync(fd) != 0)
    written = Errno("cannot sync " + partial);
  ::close(fd);
  if (written.ok() && ::rename(partial.c_str(), path.c_str()) != 0) {
    written = Errno("cannot rename " + partial);
  }
  if (!written.ok()) ::unlink(partial.c_str());
  if (written.ok()) written = SyncFolder(fs::path(path).parent_path().string());
  return written;
}

// Where a staged upload's record belongs: its document's hash, so that a
// record moved beside another upload does not open there.
std::string RecordPlace(const std::string& hash) {
  return "exemplar staged upload v1\n" + hash;
}

// A staged upload's record: everything but its hash, which names it.
std::string RecordOf(const StagedDocument& document) {
  Hash256 key{};
  std::copy_n(document.ref.key.begin(),
              std::min(document.ref.key.size(), key.size()), key.begin());
  return nlohmann::json{{"size", document.ref.size},
                        {"media_type", document.ref.media_type},
                        {"name", document.ref.name},
                        {"key", ToHex(key)},
                        {"uploader", document.uploader},
                        {"expires_at_us", document.expires_at_us}}
      .dump();
}

// The staged upload `hash` that `record` describes; nullopt when it does
// not parse (a record this build did not write).
std::optional<StagedDocument> ParseRecord(const std::string& hash,
                                          std::string_view record) {
  const nlohmann::json json = nlohmann::json::parse(record, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  try {
    StagedDocument document;
    document.ref.hash = hash;
    document.ref.size = json.at("size").get<std::uint64_t>();
    document.ref.media_type = json.at("media_type").get<std::string>();
    document.ref.name = json.at("name").get<std::string>();
    Hash256 key;
    if (!FromHex(json.at("key").get<std::string>(), &key)) return std::nullopt;
    document.ref.key = std::string(AsBytes(key));
    document.uploader = json.at("uploader").get<std::string>();
    document.expires_at_us = json.at("expires_at_us").get<std::int64_t>();
    return document;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string FileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string RandomName() {
  const crypto::DataKey bytes = crypto::NewDataKey();
  return ToHex(Sha256({std::string_view(
                   reinterpret_cast<const char*>(bytes.data()), bytes.size())}))
             .substr(0, 32) +
         ".part";
}

}  // namespace

bool IsAcceptedMediaType(std::string_view media_type) {
  static constexpr std::array<std::string_view, 12> kAccepted = {
      "application/pdf",
      "image/jpeg",
      "image/png",
      "image/webp",
      "image/heic",
      "text/plain",
      "application/msword",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.oasis.opendocument.text",
      "application/vnd.oasis.opendocument.spreadsheet",
  };
  return std::find(kAccepted.begin(), kAccepted.end(), media_type) !=
         kAccepted.end();
}

bool IsDocumentHash(std::string_view hash) {
  return hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// ---- Upload ----

struct DocumentStore::Upload::State {
  DocumentStore* store = nullptr;
  std::string uploader;
  std::string path;  // the partial file in staging
  int fd = -1;
  crypto::DataKey key{};
  std::string pending;  // plain bytes not sealed yet
  std::uint64_t size = 0;
  std::uint64_t chunks = 0;
  Hasher hasher;
  bool finished = false;

  // Seals `plain` as the next chunk and writes it.
  Status WriteChunk(std::string_view plain, bool last) {
    const std::string sealed =
        crypto::Seal(key, plain, ChunkPlace(chunks++, last));
    hasher.Add(sealed);
    return WriteAll(fd, sealed, path);
  }
};

DocumentStore::Upload::Upload(std::unique_ptr<State> state)
    : state_(std::move(state)) {}

DocumentStore::Upload::~Upload() {
  if (state_->fd >= 0) ::close(state_->fd);
  if (!state_->finished) ::unlink(state_->path.c_str());
}

Status DocumentStore::Upload::Append(std::string_view bytes) {
  State& s = *state_;
  s.size += bytes.size();
  if (s.size > s.store->options_.max_bytes) {
    return Status::Rejected("document_too_large",
                            "a document may hold at most " +
                                std::to_string(s.store->options_.max_bytes) +
                                " bytes",
                            "");
  }
  s.pending.append(bytes);
  // A full chunk is sealed only once more bytes follow it: the last chunk
  // must be known to be the last.
  std::size_t taken = 0;
  while (s.pending.size() - taken > kChunkBytes) {
    EXEMPLAR_RETURN_IF_ERROR(s.WriteChunk(
        std::string_view(s.pending).substr(taken, kChunkBytes), false));
    taken += kChunkBytes;
  }
  s.pending.erase(0, taken);
  return Status::Ok();
}

Result<StagedDocument> DocumentStore::Upload::Finish(std::string media_type,
                                                     std::string name,
                                                     std::int64_t now_us) {
  State& s = *state_;
  if (s.size == 0) {
    return Status::Rejected("empty_document", "the document has no bytes", "");
  }
  EXEMPLAR_RETURN_IF_ERROR(s.WriteChunk(s.pending, true));
  if (::fsync(s.fd) != 0) return Errno("cannot sync " + s.path);
  ::close(s.fd);
  s.fd = -1;
  StagedDocument document;
  document.ref.hash = s.hasher.HexDigest();
  document.ref.size = s.size;
  document.ref.media_type = std::move(media_type);
  document.ref.name = std::move(name);
  document.ref.key.assign(reinterpret_cast<const char*>(s.key.data()),
                          s.key.size());
  document.uploader = s.uploader;
  document.expires_at_us =
      now_us + std::chrono::duration_cast<std::chrono::microseconds>(
                   s.store->options_.staged_for)
                   .count();
  const std::string staged = s.store->StagedPath(document.ref.hash);
  if (::rename(s.path.c_str(), staged.c_str()) != 0) {
    return Errno("cannot stage " + s.path);
  }
  s.finished = true;
  if (Status staged = s.store->Stage(document); !staged.ok()) {
    s.store->Unstage(document.ref.hash);
    return staged;
  }
  return document;
}

// ---- DocumentStore ----

Result<std::unique_ptr<DocumentStore>> DocumentStore::Open(
    std::string folder, DocumentOptions options,
    std::optional<crypto::DataKey> uploads_key) {
  std::unique_ptr<DocumentStore> store(
      new DocumentStore(std::move(folder), options, uploads_key));
  const fs::path staged = fs::path(store->folder_) / kStagedFolder;
  std::error_code error;
  fs::create_directories(staged, error);
  if (error) {
    return Status::IoError("cannot make " + staged.string() + ": " +
                           error.message());
  }
  EXEMPLAR_RETURN_IF_ERROR(store->LoadStaged());
  return store;
}

Status DocumentStore::LoadStaged() {
  const fs::path staged = fs::path(folder_) / kStagedFolder;
  std::vector<std::string> names;
  std::error_code error;
  for (const fs::directory_entry& file :
       fs::directory_iterator(staged, error)) {
    names.push_back(file.path().filename().string());
  }
  if (error) {
    return Status::IoError("cannot list " + staged.string() + ": " +
                           error.message());
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::string& name : names) {
    if (!uploads_key_ || !name.ends_with(kRecordSuffix)) continue;
    const std::string hash = name.substr(0, name.size() - kRecordSuffix.size());
    if (!IsDocumentHash(hash) || !fs::exists(StagedPath(hash), error)) continue;
    // A record that does not open was written under another key.
    Result<std::string> record = crypto::Open(
        *uploads_key_, FileText(RecordPath(hash)), RecordPlace(hash));
    if (!record.ok()) continue;
    if (std::optional<StagedDocument> document = ParseRecord(hash, *record)) {
      staged_[hash] = std::move(*document);
    }
  }
  // Partial uploads, uploads without a record and records without their
  // upload: noise nothing can read.
  for (const std::string& name : names) {
    const std::string hash =
        name.ends_with(kRecordSuffix)
            ? name.substr(0, name.size() - kRecordSuffix.size())
            : name;
    if (!staged_.contains(hash)) fs::remove(staged / name, error);
  }
  return Status::Ok();
}

std::unique_ptr<DocumentStore> DocumentStore::OpenForReading(
    std::string folder) {
  return std::unique_ptr<DocumentStore>(
      new DocumentStore(std::move(folder), DocumentOptions{}, std::nullopt));
}

DocumentStore::~DocumentStore() = default;

std::string DocumentStore::StagedPath(const std::string& name) const {
  return (fs::path(folder_) / kStagedFolder / name).string();
}

std::string DocumentStore::RecordPath(const std::string& hash) const {
  return StagedPath(hash + std::string(kRecordSuffix));
}

std::string DocumentStore::PathOf(const std::string& hash) const {
  return (fs::path(folder_) / hash.substr(0, 2) / hash).string();
}

void DocumentStore::DropExpiredLocked(std::int64_t now_us) {
  for (auto it = staged_.begin(); it != staged_.end();) {
    if (it->second.expires_at_us > now_us) {
      ++it;
      continue;
    }
    Unstage(it->first);
    it = staged_.erase(it);
  }
}

Result<std::unique_ptr<DocumentStore::Upload>> DocumentStore::BeginUpload(
    const std::string& uploader, std::int64_t now_us) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    DropExpiredLocked(now_us);
    const auto waiting = std::count_if(
        staged_.begin(), staged_.end(),
        [&](const auto& entry) { return entry.second.uploader == uploader; });
    if (static_cast<std::size_t>(waiting) >= options_.max_staged_per_user) {
      return Status::Rejected(
          "too_many_uploads",
          "you have " + std::to_string(waiting) +
              " uploaded documents no command has taken yet; record them "
              "with an action or wait until they expire",
          "");
    }
  }
  auto state = std::make_unique<Upload::State>();
  state->store = this;
  state->uploader = uploader;
  state->path = StagedPath(RandomName());
  state->key = crypto::NewDataKey();
  state->fd = ::open(state->path.c_str(),
                     O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (state->fd < 0) return Errno("cannot create " + state->path);
  return std::unique_ptr<Upload>(new Upload(std::move(state)));
}

Status DocumentStore::Stage(StagedDocument document) {
  EXEMPLAR_RETURN_IF_ERROR(WriteRecord(document));
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string hash = document.ref.hash;
  staged_[hash] = std::move(document);
  return Status::Ok();
}

Status DocumentStore::WriteRecord(const StagedDocument& document) const {
  if (!uploads_key_) return Status::Ok();
  const std::string& hash = document.ref.hash;
  return WriteFileDurably(
      RecordPath(hash),
      crypto::Seal(*uploads_key_, RecordOf(document), RecordPlace(hash)));
}

void DocumentStore::Unstage(const std::string& hash) const {
  ::unlink(StagedPath(hash).c_str());
  ::unlink(RecordPath(hash).c_str());
}

Result<StagedDocument> DocumentStore::Claim(const std::string& hash,
                                            const std::string& uploader,
                                            std::int64_t now_us) {
  StagedDocument document;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    DropExpiredLocked(now_us);
    auto it = staged_.find(hash);
    if (it == staged_.end() || it->second.uploader != uploader) {
      return Status::NotFound("no uploaded document " + hash +
                              " waits for you");
    }
    document = std::move(it->second);
    staged_.erase(it);
  }
  const fs::path stored(PathOf(hash));
  std::error_code error;
  fs::create_directories(stored.parent_path(), error);
  if (!error) fs::rename(StagedPath(hash), stored, error);
  Status synced = error ? Status::IoError("cannot store document " + hash +
                                          ": " + error.message())
                        : SyncFolder(stored.parent_path().string());
  if (synced.ok()) synced = SyncFolder(folder_);
  if (!synced.ok()) {
    Unclaim(std::move(document));
    return synced;
  }
  // A record left by a failure here names a file no longer staged: the
  // next start drops it.
  ::unlink(RecordPath(hash).c_str());
  return document;
}

void DocumentStore::Unclaim(StagedDocument document) {
  const std::string hash = document.ref.hash;
  std::error_code error;
  fs::rename(PathOf(hash), StagedPath(hash), error);
  if (error) return;  // gone: the upload is lost
  // Without its record the upload waits until the next start only.
  (void)WriteRecord(document);
  std::lock_guard<std::mutex> lock(mutex_);
  staged_[hash] = std::move(document);
}

Status DocumentStore::Read(
    const std::string& hash, std::string_view key,
    const std::function<bool(std::string_view)>& emit) const {
  if (!IsDocumentHash(hash) || key.size() != sizeof(crypto::DataKey)) {
    return Status::NotFound("no document " + hash);
  }
  crypto::DataKey data_key;
  std::memcpy(data_key.data(), key.data(), data_key.size());
  const std::string path = PathOf(hash);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return Status::NotFound("no document " + hash);
  if (fd < 0) return Errno("cannot open " + path);
  std::string sealed(kSealedChunkBytes + 1, '\0');
  Status status = Status::Ok();
  // One byte past a chunk is read ahead to tell whether it is the last.
  Result<std::size_t> got = ReadFull(fd, sealed.data(), sealed.size(), path);
  for (std::uint64_t index = 0; status.ok(); ++index) {
    if (!got.ok()) {
      status = got.status();
      break;
    }
    const bool last = *got <= kSealedChunkBytes;
    const std::size_t chunk = last ? *got : kSealedChunkBytes;
    Result<std::string> plain =
        crypto::Open(data_key, std::string_view(sealed).substr(0, chunk),
                     ChunkPlace(index, last));
    if (!plain.ok()) {
      // A first chunk that opens neither as the last nor as not is under
      // another key; anything else was altered, moved or cut.
      const std::string_view first = std::string_view(sealed).substr(0, chunk);
      const bool other_key =
          index == 0 &&
          !crypto::Open(data_key, first, ChunkPlace(0, !last)).ok();
      status = other_key
                   ? Status::PermissionDenied("document " + hash +
                                              " does not open under its key")
                   : Status::Corruption("document " + hash +
                                            " is altered at chunk " +
                                            std::to_string(index),
                                        0);
      break;
    }
    if (!emit(*plain) || last) break;
    sealed[0] = sealed[kSealedChunkBytes];
    got = ReadFull(fd, sealed.data() + 1, kSealedChunkBytes, path);
    if (got.ok()) *got += 1;
  }
  ::close(fd);
  return status;
}

Status DocumentStore::Check(const std::string& hash) const {
  const std::string path = PathOf(hash);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return Status::NotFound("no document " + hash);
  if (fd < 0) return Errno("cannot open " + path);
  Hasher hasher;
  std::string buffer(1 << 16, '\0');
  Result<std::size_t> got = 0;
  do {
    got = ReadFull(fd, buffer.data(), buffer.size(), path);
    if (got.ok()) hasher.Add(std::string_view(buffer).substr(0, *got));
  } while (got.ok() && *got == buffer.size());
  ::close(fd);
  if (!got.ok()) return got.status();
  if (hasher.HexDigest() != hash) {
    return Status::Corruption("document " + hash + " does not match its hash",
                              0);
  }
  return Status::Ok();
}

Status DocumentStore::Remove(const std::vector<std::string>& hashes) {
  std::vector<std::string> folders;
  for (const std::string& hash : hashes) {
    if (!IsDocumentHash(hash)) continue;
    const std::string path = PathOf(hash);
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT) continue;
      return Errno("cannot remove " + path);
    }
    folders.push_back(fs::path(path).parent_path().string());
  }
  std::sort(folders.begin(), folders.end());
  folders.erase(std::unique(folders.begin(), folders.end()), folders.end());
  for (const std::string& folder : folders) {
    EXEMPLAR_RETURN_IF_ERROR(SyncFolder(folder));
  }
  return Status::Ok();
}

Status DocumentStore::ForEachStored(
    const std::function<void(const std::string&)>& visit) const {
  std::error_code error;
  if (!fs::exists(folder_, error)) return Status::Ok();
  for (const fs::directory_entry& shard :
       fs::directory_iterator(folder_, error)) {
    const std::string shard_name = shard.path().filename().string();
    if (shard_name.size() != 2 || !shard.is_directory()) continue;
    for (const fs::directory_entry& file :
         fs::directory_iterator(shard.path(), error)) {
      const std::string name = file.path().filename().string();
      if (IsDocumentHash(name) && name.starts_with(shard_name)) visit(name);
    }
  }
  if (error) {
    return Status::IoError("cannot list " + folder_ + ": " + error.message());
  }
  return Status::Ok();
}

Result<std::size_t> CopyStoredDocuments(const DocumentStore& from,
                                        const std::string& to) {
  std::size_t copied = 0;
  Status failed = Status::Ok();
  Status listed = from.ForEachStored([&](const std::string& hash) {
    if (!failed.ok()) return;
    const fs::path dest = fs::path(to) / hash.substr(0, 2) / hash;
    std::error_code error;
    fs::create_directories(dest.parent_path(), error);
    if (!error) fs::create_hard_link(from.PathOf(hash), dest, error);
    if (error) {
      error.clear();
      fs::copy_file(from.PathOf(hash), dest, error);
    }
    if (error) {
      failed = Status::IoError("cannot copy document " + hash + ": " +
                               error.message());
      return;
    }
    ++copied;
  });
  EXEMPLAR_RETURN_IF_ERROR(listed);
  EXEMPLAR_RETURN_IF_ERROR(failed);
  return copied;
}

}  // namespace exemplar::documents
