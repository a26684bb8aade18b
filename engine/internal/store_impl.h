// The store's parts, shared by the files that implement it: opening and
// closing (store_open.cc), the sequencer that writes (sequencer.cc) and
// the reads (event_store.cc). Private to engine/.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/audit/merkle_observer.h"
#include "engine/event_store.h"
#include "engine/internal/append_rules.h"
#include "engine/subscription_hub.h"
#include "events/clock.h"

namespace exemplar {

// A RocksDB failure as the store reports it: kIoError.
inline Status FromRocks(const rocksdb::Status& status) {
  if (status.ok()) return Status::Ok();
  return Status::IoError(status.ToString());
}

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
  std::uint64_t format() const { return format_; }

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unordered_map<std::string, rocksdb::ColumnFamilyHandle*> families_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* vault_ = nullptr;  // null in an old follower
  SubscriptionHub hub_;
  std::unique_ptr<SideStore> side_;
  std::unique_ptr<audit::MerkleObserver> merkle_;
  audit::MerkleObserver* observer_ = nullptr;  // merkle_, when maintained
  std::string secondary_dir_;  // a read-only follower's own files
  std::uint64_t format_ = 0;   // the stored records' format, from Open

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

}  // namespace exemplar
