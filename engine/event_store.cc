#include "engine/event_store.h"

#include <pthread.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "engine/audit/merkle_observer.h"
#include "engine/internal/layout.h"
#include "engine/internal/side_store_impl.h"
#include "engine/internal/store_internals.h"
#include "engine/subscription_hub.h"
#include "events/clock.h"

namespace exemplar {
namespace {

bool IsStreamIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
}

Status ValidateRequest(const AppendRequest& request,
                       const StoreOptions& options) {
  const std::string& id = request.stream_id;
  if (id.empty()) {
    return Status::InvalidArgument("stream id is empty", "stream_id");
  }
  if (id.size() > options.max_stream_id_length) {
    return Status::InvalidArgument(
        "stream id is longer than " +
            std::to_string(options.max_stream_id_length) + " bytes",
        "stream_id");
  }
  for (char c : id) {
    if (!IsStreamIdChar(c)) {
      return Status::InvalidArgument(
          "stream id may only hold letters, digits and . _ : -", "stream_id");
    }
  }
  if (request.events.empty()) {
    return Status::InvalidArgument("an append needs at least one event",
                                   "events");
  }
  if (request.events.size() > options.max_events_per_append) {
    return Status::InvalidArgument(
        "more than " + std::to_string(options.max_events_per_append) +
            " events in one append",
        "events");
  }
  if (request.idempotency_key.size() > options.max_idempotency_key_length) {
    return Status::InvalidArgument("idempotency key is too long",
                                   "idempotency_key");
  }
  for (const NewEvent& event : request.events) {
    if (event.type.empty()) {
      return Status::InvalidArgument("event type is empty", "type");
    }
    if (event.payload.size() > options.max_payload_bytes) {
      return Status::InvalidArgument(
          "event payload is larger than " +
              std::to_string(options.max_payload_bytes) + " bytes",
          "payload");
    }
  }
  return Status::Ok();
}

// What an idempotency key remembers: the result, and a digest of the request
// so that a reuse with other content is told apart from a retry.
struct IdempotencyEntry {
  AppendResult result;
  Hash256 request_digest{};

  std::string Encode() const {
    std::string value;
    layout::AppendBigEndian64(result.first_position, &value);
    layout::AppendBigEndian64(result.last_position, &value);
    layout::AppendBigEndian64(result.stream_version, &value);
    value.append(AsBytes(request_digest));
    return value;
  }
  static bool Decode(std::string_view value, IdempotencyEntry* out) {
    if (value.size() != 24 + 32) return false;
    out->result.first_position = layout::ReadBigEndian64(value.substr(0, 8));
    out->result.last_position = layout::ReadBigEndian64(value.substr(8, 8));
    out->result.stream_version = layout::ReadBigEndian64(value.substr(16, 8));
    std::copy(value.begin() + 24, value.end(), out->request_digest.begin());
    return true;
  }
};

// Digest of everything the caller chose in a request, except timestamps the
// store may have stamped. Two requests with the same digest are the same.
Hash256 RequestDigest(const AppendRequest& request) {
  std::string text = request.stream_id;
  for (const NewEvent& e : request.events) {
    text += '\0' + e.type + '\0' + std::to_string(e.schema_version) + '\0' +
            std::to_string(e.payload.size()) + ':' + e.payload + '\0' +
            e.actor.user_id + '\0' + e.actor.role + '\0' + e.actor.unit_id +
            '\0' + e.on_behalf_of + '\0' + e.reason + '\0' + e.causation_id +
            '\0' + e.correlation_id;
  }
  return Sha256({text});
}

// The event as its original append request carried it.
NewEvent AsNewEvent(const EventRecord& record) {
  NewEvent event;
  event.type = record.type;
  event.schema_version = record.schema_version;
  event.payload = record.payload;
  event.actor = record.actor;
  event.on_behalf_of = record.on_behalf_of;
  event.reason = record.reason;
  event.request_id = record.request_id;
  event.remote_address = record.remote_address;
  event.correlation_id = record.correlation_id;
  event.causation_id = record.causation_id;
  event.recorded_at_us = record.recorded_at_us;
  return event;
}

Status CheckExpectedVersion(const ExpectedVersion& expected,
                            std::optional<std::uint64_t> actual,
                            const std::string& stream_id) {
  auto conflict = [&](const std::string& wanted) {
    std::string now =
        actual ? "at version " + std::to_string(*actual) : "has no events";
    return Status::VersionConflict(
        "stream " + stream_id + " was expected " + wanted + " but " + now,
        actual);
  };
  switch (expected.kind()) {
    case ExpectedVersion::Kind::kAny:
      return Status::Ok();
    case ExpectedVersion::Kind::kNoStream:
      return actual ? conflict("to have no events") : Status::Ok();
    case ExpectedVersion::Kind::kStreamExists:
      return actual ? Status::Ok() : conflict("to exist");
    case ExpectedVersion::Kind::kExact:
      if (actual && *actual == expected.version()) return Status::Ok();
      return conflict("at version " + std::to_string(expected.version()));
  }
  return Status::Internal("unknown expected-version kind");
}

Status FromRocks(const rocksdb::Status& status) {
  if (status.ok()) return Status::Ok();
  return Status::IoError(status.ToString());
}

}  // namespace

bool EventFilter::Matches(const EventRecord& record) const {
  if (!stream_prefix.empty() &&
      record.stream_id.compare(0, stream_prefix.size(), stream_prefix) != 0) {
    return false;
  }
  if (types.empty()) return true;
  return std::find(types.begin(), types.end(), record.type) != types.end();
}

// Most commands create a stream, so "does this stream exist?" is asked
// mostly of streams that do not. Bloom filters (in the table files and the
// memtable) answer that without reading a block; see StreamExists.
rocksdb::ColumnFamilyOptions StreamsFamilyOptions() {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.memtable_prefix_bloom_size_ratio = 0.02;
  options.memtable_whole_key_filtering = true;
  return options;
}

// ---------------------------------------------------------------------------

class EventStore::Impl {
 public:
  Impl(StoreOptions options) : options_(std::move(options)) {
    if (!options_.clock) options_.clock = SystemClockMicros;
  }
  ~Impl() { Close(); }

  Status Open(const std::string& path);
  void AppendAsync(AppendRequest request, AppendCallback done);
  void AppendSealed(std::vector<EventRecord> records, AppendCallback done);
  void Close();
  void SequencerLoop();

  Result<std::optional<std::uint64_t>> LoadStreamVersion(
      const std::string& stream_id) const;
  // Whether the stream has an event of `version`; as versions are gapless
  // from 0, false means none at or after it either. A point lookup, which
  // the bloom filters answer for a new stream: far cheaper than a seek.
  Result<bool> HasVersion(const std::string& stream_id,
                          std::uint64_t version) const;
  Result<EventRecord> ReadEvent(std::uint64_t position) const;
  Status OpenMerkleTree();
  void OpenSideStore();
  Status CheckFormat(const std::string& path);

  Head head() const {
    std::lock_guard<std::mutex> lock(head_mu_);
    return head_;
  }

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unordered_map<std::string, rocksdb::ColumnFamilyHandle*> families_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  SubscriptionHub hub_;
  std::unique_ptr<SideStore> side_;
  std::unique_ptr<audit::MerkleObserver> merkle_;
  audit::MerkleObserver* observer_ = nullptr;  // merkle_, when maintained
  std::string secondary_dir_;  // a read-only follower's own files

 private:
  // One Append, or one AppendSealed when `sealed` is not empty.
  struct Pending {
    AppendRequest request;
    Hash256 digest{};
    std::vector<EventRecord> sealed;
    AppendCallback done;

    size_t events() const {
      return sealed.empty() ? request.events.size() : sealed.size();
    }
  };
  // The outcome of one pending request within a batch being built.
  struct Outcome {
    Pending* pending;
    Status status;
    AppendResult result;
  };
  // A batch being built: overlays of what it has decided so far.
  struct BatchState {
    explicit BatchState(rocksdb::WriteBatch& batch) : batch(batch) {}
    rocksdb::WriteBatch& batch;  // the sequencer's, cleared
    Head head;
    std::unordered_map<std::string, std::optional<std::uint64_t>> versions;
    std::unordered_map<std::string, IdempotencyEntry> keys;
    std::vector<std::shared_ptr<EventRecord>> sealed;
  };

  void ProcessBatch(std::vector<std::unique_ptr<Pending>>& pendings);
  Status Stage(Pending* pending, BatchState* state, AppendResult* result);
  Status StageSealed(Pending* pending, BatchState* state, AppendResult* result);
  // Queues `pending` for the sequencer, or answers it at once when the
  // store takes no appends.
  void Enqueue(std::unique_ptr<Pending> pending);
  // Answers `pending` and clears its callback.
  void Answer(Pending* pending, Result<AppendResult> result);
  // Answers, with `status`, each of `pendings` not answered yet.
  void AnswerUnanswered(std::vector<std::unique_ptr<Pending>>& pendings,
                        const Status& status);
  // After an exception in the sequencer: refuses every later append.
  void StopAfterFailure(std::vector<std::unique_ptr<Pending>>& pendings,
                        const std::string& what);
  Status OpenDatabase(
      const std::string& path,
      const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors);
  Result<std::optional<std::uint64_t>> CurrentVersion(
      const std::string& stream_id, const BatchState& state);
  Result<std::optional<IdempotencyEntry>> FindKey(const std::string& key,
                                                  const BatchState& state);

  mutable std::mutex head_mu_;
  Head head_;  // guarded by head_mu_; written by the sequencer only

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<Pending>> queue_;  // guarded by queue_mu_
  bool closing_ = false;                        // guarded by queue_mu_
  // Not OK once the sequencer failed; written under queue_mu_, read by
  // Enqueue under it and by the sequencer.
  Status stopped_ = Status::Ok();
  std::thread sequencer_;

  // Sequencer-only cache of stream versions (nullopt: no events). Bounded by
  // clearing it when it grows past kMaxCachedStreams.
  static constexpr size_t kMaxCachedStreams = 1 << 20;
  std::unordered_map<std::string, std::optional<std::uint64_t>> versions_;
  rocksdb::WriteBatch batch_;  // sequencer only
};

Status EventStore::Impl::Open(const std::string& path) {
  if (options_.create_if_missing) {
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error) return Status::IoError(path + ": " + error.message());
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(),
                           layout::kEventsFamily, layout::kStreamsFamily,
                           layout::kIdempotencyFamily, layout::kAuditFamily,
                           layout::kProjectionsFamily, layout::kMetaFamily}) {
    descriptors.emplace_back(name,
                             std::string_view(name) == layout::kStreamsFamily
                                 ? StreamsFamilyOptions()
                                 : rocksdb::ColumnFamilyOptions());
  }
  EXEMPLAR_RETURN_IF_ERROR(OpenDatabase(path, descriptors));
  for (auto* handle : handles_) families_[handle->GetName()] = handle;
  events_ = families_[layout::kEventsFamily];
  streams_ = families_[layout::kStreamsFamily];
  idempotency_ = families_[layout::kIdempotencyFamily];
  meta_ = families_[layout::kMetaFamily];
  OpenSideStore();

  EXEMPLAR_RETURN_IF_ERROR(CheckFormat(path));
  std::string head_value;
  rocksdb::Status s = db_->Get({}, meta_, layout::kHeadKey, &head_value);
  if (s.ok()) {
    if (head_value.size() != 40) {
      return Status::Corruption("stored head is malformed", 0);
    }
    head_.position = layout::ReadBigEndian64(head_value);
    std::copy(head_value.begin() + 8, head_value.end(), head_.hash.begin());
    auto last = ReadEvent(head_.position);
    if (!last.ok()) return last.status();
    if (last->hash != head_.hash) {
      return Status::Corruption("stored head hash differs from the event's",
                                head_.position);
    }
  } else if (!s.IsNotFound()) {
    return FromRocks(s);
  }
  if (options_.read_only) return Status::Ok();
  if (options_.maintain_merkle_tree) EXEMPLAR_RETURN_IF_ERROR(OpenMerkleTree());
  sequencer_ = std::thread([this] { SequencerLoop(); });
  return Status::Ok();
}

void EventStore::Impl::OpenSideStore() {
  auto side = std::make_unique<SideStore::Impl>();
  side->db = db_.get();
  auto space = [&](SideSpace space, const char* family,
                   std::string_view prefix) {
    side->spaces[static_cast<size_t>(space)] = {families_[family], prefix};
  };
  space(SideSpace::kProjectionRows, layout::kProjectionsFamily, "");
  space(SideSpace::kProjectionCheckpoints, layout::kMetaFamily,
        layout::kProjectionCheckpointPrefix);
  space(SideSpace::kRelayCheckpoints, layout::kMetaFamily,
        layout::kRelayCheckpointPrefix);
  space(SideSpace::kSignedHeads, layout::kAuditFamily,
        layout::kSignedHeadPrefix);
  side_ = std::make_unique<SideStore>(std::move(side));
}

// A new store is stamped with the record format this build writes; a store
// in another format is refused by name, before any record fails to decode
// as if it were corrupt.
Status EventStore::Impl::CheckFormat(const std::string& path) {
  std::string value;
  rocksdb::Status s = db_->Get({}, meta_, layout::kFormatKey, &value);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s);
  if (s.ok() && value.size() == 8 &&
      layout::ReadBigEndian64(value) == layout::kStoreFormat) {
    return Status::Ok();
  }
  std::string head;
  rocksdb::Status has_head = db_->Get({}, meta_, layout::kHeadKey, &head);
  if (has_head.IsNotFound() && s.IsNotFound()) {
    if (options_.read_only) return Status::Ok();  // empty; nothing to read
    std::string format;
    layout::AppendBigEndian64(layout::kStoreFormat, &format);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    return FromRocks(db_->Put(sync, meta_, layout::kFormatKey, format));
  }
  if (!has_head.ok() && !has_head.IsNotFound()) return FromRocks(has_head);
  const std::uint64_t found = s.ok() ? layout::ReadBigEndian64(value) : 1;
  return Status::InvalidArgument(
      "the store in " + path + " has record format " + std::to_string(found) +
      "; this build reads format " + std::to_string(layout::kStoreFormat) +
      " only: start from an empty data folder");
}

// A read-only store is a RocksDB secondary instance: unlike a plain
// read-only open it may run beside the server holding the store's lock, and
// with every table file kept open, compactions by the server cannot pull
// files from under its reads.
Status EventStore::Impl::OpenDatabase(
    const std::string& path,
    const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors) {
  rocksdb::Options db_options;
  db_options.max_background_jobs = 2;
  db_options.max_total_wal_size = options_.max_wal_bytes;
  if (options_.env) db_options.env = options_.env;
  rocksdb::DB* raw = nullptr;
  if (!options_.read_only) {
    db_options.create_if_missing = options_.create_if_missing;
    db_options.create_missing_column_families = true;
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(
        rocksdb::DB::Open(db_options, path, descriptors, &handles_, &raw)));
    db_.reset(raw);
    return Status::Ok();
  }
  if (!std::filesystem::exists(std::filesystem::path(path) / "CURRENT")) {
    return Status::NotFound("no store in " + path);
  }
  std::string pattern =
      (std::filesystem::temp_directory_path() / "exemplar-follower-XXXXXX")
          .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::IoError("cannot create a folder for the read-only open");
  }
  secondary_dir_ = pattern;
  db_options.max_open_files = -1;
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(rocksdb::DB::OpenAsSecondary(
      db_options, path, secondary_dir_, descriptors, &handles_, &raw)));
  db_.reset(raw);
  return Status::Ok();
}

// Restores the tree's frontier, and adds the events it is missing (a store
// last written with the tree off) in synced batches.
Status EventStore::Impl::OpenMerkleTree() {
  auto merkle = audit::MerkleObserver::Open(
      db_.get(), families_[layout::kAuditFamily], events_);
  if (!merkle.ok()) return merkle.status();
  merkle_ = std::move(merkle).value();
  std::uint64_t size = merkle_->tree().size();
  if (size > head_.position) {
    return Status::Corruption("the Merkle tree is larger than the log", size);
  }
  constexpr std::uint64_t kCatchUpBatch = 10000;
  while (size < head_.position) {
    rocksdb::WriteBatch batch;
    std::vector<EventRecord> events;
    std::uint64_t end = std::min(head_.position, size + kCatchUpBatch);
    for (std::uint64_t p = size + 1; p <= end; ++p) {
      auto event = ReadEvent(p);
      if (!event.ok()) return event.status();
      events.push_back(std::move(event).value());
    }
    std::vector<const EventRecord*> pointers;
    for (const auto& event : events) pointers.push_back(&event);
    EXEMPLAR_RETURN_IF_ERROR(merkle_->OnSealed(pointers, &batch));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(db_->Write(sync, &batch)));
    size = end;
  }
  observer_ = merkle_.get();
  return Status::Ok();
}

void EventStore::Impl::Close() {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (closing_ && !sequencer_.joinable()) return;
    closing_ = true;
  }
  queue_cv_.notify_all();
  if (sequencer_.joinable()) sequencer_.join();
  hub_.CloseAll();
  if (db_) {
    // Everything is already durable in the write-ahead log; flushing the
    // memtables now spares the next Open replaying that log (seconds for a
    // million events). A follower has nothing of its own to flush.
    if (secondary_dir_.empty()) {
      db_->Flush(rocksdb::FlushOptions(), handles_).PermitUncheckedError();
    }
    side_.reset();
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    handles_.clear();
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
  if (!secondary_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(secondary_dir_, ignored);
    secondary_dir_.clear();
  }
}

void EventStore::Impl::AppendAsync(AppendRequest request, AppendCallback done) {
  if (Status valid = ValidateRequest(request, options_); !valid.ok()) {
    return done(valid);
  }
  auto pending = std::make_unique<Pending>();
  pending->digest = RequestDigest(request);
  pending->request = std::move(request);
  pending->done = std::move(done);
  Enqueue(std::move(pending));
}

void EventStore::Impl::AppendSealed(std::vector<EventRecord> records,
                                    AppendCallback done) {
  if (records.empty()) {
    return done(Status::InvalidArgument("an import needs at least one event",
                                        "events"));
  }
  auto pending = std::make_unique<Pending>();
  pending->sealed = std::move(records);
  pending->done = std::move(done);
  Enqueue(std::move(pending));
}

void EventStore::Impl::Enqueue(std::unique_ptr<Pending> pending) {
  Status refused = Status::Ok();
  if (options_.read_only)
    refused = Status::Unavailable("the store is read-only");
  if (refused.ok()) {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (closing_) {
      refused = Status::Unavailable("the store is closing");
    } else if (!stopped_.ok()) {
      refused = stopped_;
    } else {
      queue_.push_back(std::move(pending));
    }
  }
  if (!refused.ok()) return pending->done(refused);
  queue_cv_.notify_one();
}

void EventStore::Impl::SequencerLoop() {
  pthread_setname_np(pthread_self(), "sequencer");  // for top and perf
  while (true) {
    std::vector<std::unique_ptr<Pending>> pendings;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, nothing left to write
      size_t events = 0;
      while (!queue_.empty() &&
             (pendings.empty() || events + queue_.front()->events() <=
                                      options_.max_events_per_batch)) {
        events += queue_.front()->events();
        pendings.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!stopped_.ok()) {
      AnswerUnanswered(pendings, stopped_);
      continue;
    }
    try {
      ProcessBatch(pendings);
    } catch (const std::exception& e) {
      StopAfterFailure(pendings, e.what());
    } catch (...) {
      StopAfterFailure(pendings, "unknown exception");
    }
  }
}

// What a failed write does, for a failure that is not RocksDB's: the batch
// may be half-staged, half-written or half-answered, so the store takes no
// more appends until it is opened again (which verifies the log), and the
// process keeps serving reads.
void EventStore::Impl::StopAfterFailure(
    std::vector<std::unique_ptr<Pending>>& pendings, const std::string& what) {
  spdlog::critical("the store stops taking appends: the sequencer failed: {}",
                   what);
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    stopped_ = Status::IoError(
        "the store stopped taking appends after an internal failure (" + what +
        "); restart the server");
  }
  AnswerUnanswered(pendings, stopped_);
}

void EventStore::Impl::AnswerUnanswered(
    std::vector<std::unique_ptr<Pending>>& pendings, const Status& status) {
  for (auto& pending : pendings) {
    if (!pending->done) continue;
    try {
      Answer(pending.get(), status);
    } catch (...) {
      // The caller's callback failed too; the others still get their answer.
    }
  }
}

void EventStore::Impl::Answer(Pending* pending, Result<AppendResult> result) {
  AppendCallback done = std::move(pending->done);
  pending->done = nullptr;  // answered: a failure after this skips it
  done(std::move(result));
}

void EventStore::Impl::ProcessBatch(
    std::vector<std::unique_ptr<Pending>>& pendings) {
  // One batch reused: a fresh one would grow (and fault in) its buffer
  // again for every group commit. One that grew large is let go.
  constexpr std::size_t kMaxKeptBatchBytes = 4 << 20;
  if (batch_.GetDataSize() > kMaxKeptBatchBytes) {
    batch_ = rocksdb::WriteBatch();
  } else {
    batch_.Clear();
  }
  BatchState state(batch_);
  state.head = head();
  std::vector<Outcome> outcomes;
  for (auto& pending : pendings) {
    Outcome outcome{pending.get(), Status::Ok(), {}};
    outcome.status = pending->sealed.empty()
                         ? Stage(pending.get(), &state, &outcome.result)
                         : StageSealed(pending.get(), &state, &outcome.result);
    outcomes.push_back(std::move(outcome));
  }

  Status written = Status::Ok();
  if (!state.sealed.empty()) {
    std::vector<const EventRecord*> sealed;
    for (const auto& event : state.sealed) sealed.push_back(event.get());
    if (observer_) written = observer_->OnSealed(sealed, &state.batch);
    std::string head_value = layout::PositionKey(state.head.position);
    head_value.append(AsBytes(state.head.hash));
    if (written.ok()) {
      state.batch.Put(meta_, layout::kHeadKey, head_value);
      rocksdb::WriteOptions sync;
      sync.sync = true;  // acknowledged means durable
      written = FromRocks(db_->Write(sync, &state.batch));
    }
    if (!written.ok() && observer_) observer_->OnAborted();
  }

  if (written.ok() && !state.sealed.empty() && options_.on_batch_synced) {
    options_.on_batch_synced(state.sealed.size());
  }
  if (written.ok()) {
    if (versions_.size() > kMaxCachedStreams) versions_.clear();
    for (auto& [stream, version] : state.versions) versions_[stream] = version;
    {
      std::lock_guard<std::mutex> lock(head_mu_);
      head_ = state.head;
    }
  }
  // Subscribers hear of the events before their writers do, so whoever
  // learns of an append can find its events in every subscription (the
  // command handler's authority model follows one).
  if (written.ok()) {
    hub_.Publish({state.sealed.begin(), state.sealed.end()});
  }
  for (Outcome& outcome : outcomes) {
    if (!outcome.status.ok()) {
      Answer(outcome.pending, outcome.status);
    } else if (!written.ok()) {
      Answer(outcome.pending, written);
    } else {
      Answer(outcome.pending, outcome.result);
    }
  }
}

// Decides one request within the batch: dedupe by key, check the expected
// version, then assign positions, seal and stage the writes.
Status EventStore::Impl::Stage(Pending* pending, BatchState* state,
                               AppendResult* result) {
  const AppendRequest& request = pending->request;
  if (!request.idempotency_key.empty()) {
    auto seen = FindKey(request.idempotency_key, *state);
    if (!seen.ok()) return seen.status();
    if (seen->has_value()) {
      if ((*seen)->request_digest != pending->digest) {
        return Status::IdempotencyReused(
            "idempotency key was used before for a different request");
      }
      *result = (*seen)->result;
      result->deduplicated = true;
      return Status::Ok();
    }
  }
  auto current = CurrentVersion(request.stream_id, *state);
  if (!current.ok()) return current.status();
  EXEMPLAR_RETURN_IF_ERROR(CheckExpectedVersion(request.expected_version,
                                                *current, request.stream_id));

  std::uint64_t version = current->has_value() ? **current + 1 : 0;
  result->first_position = state->head.position + 1;
  std::int64_t now = options_.clock();
  for (const NewEvent& event : request.events) {
    auto record = std::make_shared<EventRecord>();
    record->position = state->head.position + 1;
    record->stream_id = request.stream_id;
    record->stream_version = version;
    record->type = event.type;
    record->schema_version = event.schema_version;
    record->recorded_at_us = event.recorded_at_us ? event.recorded_at_us : now;
    record->actor = event.actor;
    record->on_behalf_of = event.on_behalf_of;
    record->reason = event.reason;
    record->request_id = event.request_id;
    record->remote_address = event.remote_address;
    record->correlation_id = event.correlation_id;
    record->causation_id = event.causation_id;
    record->idempotency_key = request.idempotency_key;
    record->payload = event.payload;
    record->prev_hash = state->head.hash;
    std::string stored = SealEventRecord(record.get());
    state->batch.Put(events_, layout::PositionKey(record->position), stored);
    state->batch.Put(streams_, layout::StreamKey(request.stream_id, version),
                     layout::PositionKey(record->position));
    state->head = {record->position, record->hash};
    state->sealed.push_back(std::move(record));
    ++version;
  }
  result->last_position = state->head.position;
  result->stream_version = version - 1;
  state->versions[request.stream_id] = result->stream_version;
  if (!request.idempotency_key.empty()) {
    IdempotencyEntry entry{*result, pending->digest};
    state->batch.Put(idempotency_, request.idempotency_key, entry.Encode());
    state->keys[request.idempotency_key] = entry;
  }
  return Status::Ok();
}

// Checks every imported record before staging any, so that a refused call
// leaves the batch, which other appends share, as it was.
Status EventStore::Impl::StageSealed(Pending* pending, BatchState* state,
                                     AppendResult* result) {
  std::vector<EventRecord>& records = pending->sealed;
  Head head = state->head;
  std::unordered_map<std::string, std::uint64_t> next_versions;
  std::vector<std::string> stored;
  for (EventRecord& record : records) {
    const std::uint64_t at = record.position;
    if (at != head.position + 1) {
      return Status::Corruption("position " + std::to_string(at) +
                                    " does not follow " +
                                    std::to_string(head.position),
                                at);
    }
    if (record.prev_hash != head.hash) {
      return Status::Corruption(
          "previous hash does not chain to the event before", at);
    }
    const Hash256 claimed = record.hash;
    stored.push_back(SealEventRecord(&record));
    if (record.hash != claimed) {
      return Status::Corruption("the event's fields do not hash to its hash",
                                at);
    }
    auto next = next_versions.find(record.stream_id);
    if (next == next_versions.end()) {
      auto current = CurrentVersion(record.stream_id, *state);
      if (!current.ok()) return current.status();
      next = next_versions
                 .emplace(record.stream_id,
                          current->has_value() ? **current + 1 : 0)
                 .first;
    }
    if (record.stream_version != next->second) {
      return Status::Corruption("stream " + record.stream_id +
                                    " jumps to version " +
                                    std::to_string(record.stream_version) +
                                    " from " + std::to_string(next->second),
                                at);
    }
    ++next->second;
    head = {at, record.hash};
  }

  // Each run of events sharing an idempotency key is one original append;
  // its entry is rebuilt exactly as Stage wrote it.
  std::unordered_map<std::string, IdempotencyEntry> entries;
  for (size_t first = 0, end = 0; first < records.size(); first = end) {
    const std::string& key = records[first].idempotency_key;
    AppendRequest original;
    original.stream_id = records[first].stream_id;
    for (end = first;
         end < records.size() && records[end].idempotency_key == key; ++end) {
      if (!key.empty() && records[end].stream_id != original.stream_id) {
        return Status::Corruption("idempotency key spans two streams",
                                  records[end].position);
      }
      original.events.push_back(AsNewEvent(records[end]));
    }
    if (key.empty()) continue;
    auto seen = FindKey(key, *state);
    if (!seen.ok()) return seen.status();
    if (seen->has_value() || entries.count(key)) {
      return Status::Corruption(
          "idempotency key was already used by an earlier append",
          records[first].position);
    }
    AppendResult original_result{records[first].position,
                                 records[end - 1].position,
                                 records[end - 1].stream_version, false};
    entries[key] = {original_result, RequestDigest(original)};
  }

  for (size_t i = 0; i < records.size(); ++i) {
    const EventRecord& record = records[i];
    state->batch.Put(events_, layout::PositionKey(record.position), stored[i]);
    state->batch.Put(streams_,
                     layout::StreamKey(record.stream_id, record.stream_version),
                     layout::PositionKey(record.position));
  }
  for (auto& [stream, next] : next_versions) state->versions[stream] = next - 1;
  for (auto& [key, entry] : entries) {
    state->batch.Put(idempotency_, key, entry.Encode());
    state->keys[key] = entry;
  }
  result->first_position = records.front().position;
  result->last_position = head.position;
  state->head = head;
  for (EventRecord& record : records) {
    state->sealed.push_back(std::make_shared<EventRecord>(std::move(record)));
  }
  return Status::Ok();
}

Result<std::optional<std::uint64_t>> EventStore::Impl::CurrentVersion(
    const std::string& stream_id, const BatchState& state) {
  if (auto it = state.versions.find(stream_id); it != state.versions.end()) {
    return it->second;
  }
  if (auto it = versions_.find(stream_id); it != versions_.end()) {
    return it->second;
  }
  auto loaded = LoadStreamVersion(stream_id);
  if (loaded.ok()) versions_[stream_id] = *loaded;
  return loaded;
}

Result<std::optional<IdempotencyEntry>> EventStore::Impl::FindKey(
    const std::string& key, const BatchState& state) {
  if (auto it = state.keys.find(key); it != state.keys.end()) {
    return std::optional<IdempotencyEntry>(it->second);
  }
  std::string value;
  rocksdb::Status s = db_->Get({}, idempotency_, key, &value);
  if (s.IsNotFound()) return std::optional<IdempotencyEntry>();
  if (!s.ok()) return FromRocks(s);
  IdempotencyEntry entry;
  if (!IdempotencyEntry::Decode(value, &entry)) {
    return Status::Corruption("idempotency entry is malformed", 0);
  }
  return std::optional<IdempotencyEntry>(entry);
}

Result<bool> EventStore::Impl::HasVersion(const std::string& stream_id,
                                          std::uint64_t version) const {
  std::string ignored;
  rocksdb::Status s =
      db_->Get({}, streams_, layout::StreamKey(stream_id, version), &ignored);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s);
  return true;
}

Result<std::optional<std::uint64_t>> EventStore::Impl::LoadStreamVersion(
    const std::string& stream_id) const {
  Result<bool> exists = HasVersion(stream_id, 0);
  if (!exists.ok()) return exists.status();
  if (!*exists) return std::optional<std::uint64_t>();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, streams_));
  it->SeekForPrev(layout::StreamKey(stream_id, UINT64_MAX));
  std::string prefix = layout::StreamPrefix(stream_id);
  if (!it->Valid() || !it->key().starts_with(prefix)) {
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
    return std::optional<std::uint64_t>();
  }
  return std::optional<std::uint64_t>(
      layout::ReadBigEndian64(it->key().ToStringView().substr(prefix.size())));
}

Result<EventRecord> EventStore::Impl::ReadEvent(std::uint64_t position) const {
  std::string value;
  rocksdb::Status s =
      db_->Get({}, events_, layout::PositionKey(position), &value);
  if (s.IsNotFound()) {
    return Status::NotFound("no event at position " + std::to_string(position));
  }
  if (!s.ok()) return FromRocks(s);
  return DecodeEventRecord(value, position);
}

// ---------------------------------------------------------------------------

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::string& path,
                                                     StoreOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  EXEMPLAR_RETURN_IF_ERROR(impl->Open(path));
  return std::unique_ptr<EventStore>(new EventStore(std::move(impl)));
}

EventStore::EventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventStore::~EventStore() = default;

Result<AppendResult> AwaitAppend(
    const std::function<void(AppendCallback)>& start) {
  std::promise<Result<AppendResult>> promise;
  auto future = promise.get_future();
  start([&promise](Result<AppendResult> result) {
    promise.set_value(std::move(result));
  });
  return future.get();
}

Result<AppendResult> EventStore::Append(AppendRequest request) {
  return AwaitAppend([&](AppendCallback done) {
    impl_->AppendAsync(std::move(request), std::move(done));
  });
}

void EventStore::AppendAsync(AppendRequest request, AppendCallback done) {
  impl_->AppendAsync(std::move(request), std::move(done));
}

Status EventStore::AppendSealed(std::vector<EventRecord> records) {
  return AwaitAppend([&](AppendCallback done) {
           impl_->AppendSealed(std::move(records), std::move(done));
         })
      .status();
}

Result<std::vector<EventRecord>> EventStore::ReadStream(
    const std::string& stream_id, std::uint64_t from_version,
    Direction direction, size_t max_count) const {
  std::vector<EventRecord> events;
  bool forward = direction == Direction::kForward;
  if (forward) {
    Result<bool> any = impl_->HasVersion(stream_id, from_version);
    if (!any.ok()) return any.status();
    if (!*any) return events;
  }
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->streams_));
  std::string prefix = layout::StreamPrefix(stream_id);
  std::string start = layout::StreamKey(stream_id, from_version);
  if (forward) {
    it->Seek(start);
  } else {
    it->SeekForPrev(start);
  }
  for (; it->Valid() && it->key().starts_with(prefix) &&
         events.size() < max_count;
       forward ? it->Next() : it->Prev()) {
    auto event =
        impl_->ReadEvent(layout::ReadBigEndian64(it->value().ToStringView()));
    if (!event.ok()) return event.status();
    events.push_back(std::move(event).value());
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  return events;
}

Result<std::vector<EventRecord>> EventStore::ReadStreamsWithPrefix(
    std::string_view prefix) const {
  const rocksdb::Slice wanted(prefix.data(), prefix.size());
  std::vector<std::uint64_t> positions;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->streams_));
  for (it->Seek(wanted); it->Valid() && it->key().starts_with(wanted);
       it->Next()) {
    positions.push_back(layout::ReadBigEndian64(it->value().ToStringView()));
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  std::sort(positions.begin(), positions.end());
  std::vector<EventRecord> events;
  events.reserve(positions.size());
  for (std::uint64_t position : positions) {
    auto event = impl_->ReadEvent(position);
    if (!event.ok()) return event.status();
    events.push_back(std::move(event).value());
  }
  return events;
}

Result<std::optional<std::uint64_t>> EventStore::StreamVersion(
    const std::string& stream_id) const {
  return impl_->LoadStreamVersion(stream_id);
}

Result<EventStore::Page> EventStore::ReadAll(std::uint64_t from_position,
                                             size_t max_count,
                                             const EventFilter& filter,
                                             size_t max_scan) const {
  Page page;
  page.next_position = std::max<std::uint64_t>(from_position, 1);
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->events_));
  size_t scanned = 0;
  for (it->Seek(layout::PositionKey(page.next_position));
       it->Valid() && page.events.size() < max_count && scanned < max_scan;
       it->Next(), ++scanned) {
    std::uint64_t position = layout::ReadBigEndian64(it->key().ToStringView());
    auto event = DecodeEventRecord(it->value().ToStringView(), position);
    if (!event.ok()) return event.status();
    page.next_position = position + 1;
    if (filter.Matches(*event)) page.events.push_back(std::move(event).value());
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  return page;
}

Result<EventRecord> EventStore::ReadEvent(std::uint64_t position) const {
  return impl_->ReadEvent(position);
}

Result<std::optional<std::string>> EventStore::FirstIdempotencyKey(
    std::string_view prefix) const {
  const rocksdb::Slice wanted(prefix.data(), prefix.size());
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->idempotency_));
  it->Seek(wanted);
  if (it->Valid() && it->key().starts_with(wanted)) {
    return std::optional<std::string>(it->key().ToString());
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  return std::optional<std::string>();
}

Head EventStore::head() const { return impl_->head(); }

Status EventStore::Checkpoint(const std::string& dest) const {
  if (std::filesystem::exists(dest)) {
    return Status::InvalidArgument(dest + " already exists", "dest");
  }
  rocksdb::DB* db = impl_->db_.get();
  if (impl_->options_.read_only) {
    // Catch up with what the writer has logged since this instance opened.
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(db->TryCatchUpWithPrimary()));
  }
  rocksdb::Checkpoint* raw = nullptr;
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db, &raw)));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dest));
}

std::unique_ptr<Subscription> EventStore::Subscribe(std::uint64_t from_position,
                                                    EventFilter filter) {
  return std::make_unique<HubSubscription>(
      this, &impl_->hub_, from_position, std::move(filter),
      impl_->options_.subscriber_buffer_events);
}

void EventStore::Close() { impl_->Close(); }

rocksdb::DB* StoreInternals::db(const EventStore& store) {
  return store.impl_->db_.get();
}

rocksdb::ColumnFamilyHandle* StoreInternals::family(const EventStore& store,
                                                    const char* name) {
  auto it = store.impl_->families_.find(name);
  return it == store.impl_->families_.end() ? nullptr : it->second;
}

SideStore& EventStore::side_store() const { return *impl_->side_; }

const StoreOptions& EventStore::options() const { return impl_->options_; }

}  // namespace exemplar
