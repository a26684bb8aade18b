// The event store: an append-only, hash-chained log of events in RocksDB.
//
// One sequencer thread owns every write. Concurrent Append calls are gathered
// into one WriteBatch and one synced write (group commit); a call returns
// only after its events are durable (AppendAsync calls back instead). Positions
// are gapless (1, 2, 3, ...), stream versions are 0-based and gapless within a
// stream, and each event's hash chains to the one before it.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/side_store.h"
#include "engine/subscription.h"
#include "events/envelope.h"
#include "events/status.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace exemplar {

// One group commit, as the sequencer wrote it.
struct SyncedBatch {
  std::size_t events = 0;
  // The synced write of the batch (events, indexes, Merkle nodes, head):
  // RocksDB's write-ahead log append and its fsync.
  std::chrono::nanoseconds write_time{0};
};

struct StoreOptions {
  // Largest payload of one event, in bytes. Default 1 MiB.
  size_t max_payload_bytes = 1 << 20;
  // Most events in one Append call. Default 1,000.
  size_t max_events_per_append = 1000;
  // Longest stream id, in bytes. Default 128. Stream ids use the characters
  // [A-Za-z0-9._:-] and must not be empty.
  size_t max_stream_id_length = 128;
  // Longest idempotency key, in bytes. Default 200.
  size_t max_idempotency_key_length = 200;
  // Most events one group commit writes. Default 10,000.
  size_t max_events_per_batch = 10000;
  // Events buffered for one live subscriber before it is dropped. Default
  // 10,000.
  size_t subscriber_buffer_events = 10000;
  // Most bytes of write-ahead log kept: past it, RocksDB flushes the column
  // families that hold the oldest log to table files, so that it may go.
  // Bounds what a restart after a crash replays: RocksDB's own default lets
  // the log grow to gigabytes (365 MiB after 40 s of HTTP commands), all of
  // it replayed. Default 64 MiB.
  std::uint64_t max_wal_bytes = 64 << 20;
  // Compress table files (RocksDB's default compression). Default true.
  // Tests that look for bytes in the files turn it off.
  bool compress_tables = true;
  // Create the store when the folder is empty. Default true.
  bool create_if_missing = true;
  // Keep the RFC 6962 Merkle tree of event hashes in the same batch as the
  // events. Default true. Turn off only to measure its cost: a store written
  // without it catches its tree up on the next open with it on.
  bool maintain_merkle_tree = true;
  // Open as a read-only follower (a RocksDB secondary instance, with its
  // own files in a temporary folder removed on Close) that may run beside a
  // server holding the store: it sees the store as of Open, appends fail
  // with kUnavailable, and a missing Merkle tree is not caught up. Default
  // false. Used by export, backup, audit verify and replay.
  bool read_only = false;
  // Called by the sequencer after each synced batch with its number of
  // events and how long its synced write took, for metrics (fsync batch
  // sizes and latency). Must be quick and not append. Default: none.
  std::function<void(const SyncedBatch& batch)> on_batch_synced;
  // The RocksDB environment the store's files go through; it must outlive
  // the store. Default: null, for rocksdb::Env::Default(). Tests use it to
  // stall or fail the write-ahead log's sync.
  rocksdb::Env* env = nullptr;
  // Clock used to stamp events that carry no time; UTC microseconds.
  // Default: the system clock. Tests replace it.
  std::function<std::int64_t()> clock;
};

// What the caller expects the stream to be before the append.
class ExpectedVersion {
 public:
  enum class Kind { kAny, kNoStream, kStreamExists, kExact };

  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, 0); }
  static ExpectedVersion NoStream() {
    return ExpectedVersion(Kind::kNoStream, 0);
  }
  static ExpectedVersion StreamExists() {
    return ExpectedVersion(Kind::kStreamExists, 0);
  }
  // The version of the stream's last event.
  static ExpectedVersion Exact(std::uint64_t version) {
    return ExpectedVersion(Kind::kExact, version);
  }

  Kind kind() const { return kind_; }
  std::uint64_t version() const { return version_; }

 private:
  ExpectedVersion(Kind kind, std::uint64_t version)
      : kind_(kind), version_(version) {}
  Kind kind_;
  std::uint64_t version_;
};

struct AppendRequest {
  std::string stream_id;
  ExpectedVersion expected_version = ExpectedVersion::Any();
  std::vector<NewEvent> events;
  // Empty for none. A key seen before returns the first result.
  std::string idempotency_key;
  // Key-vault entries (key id, wrapped key) the events' sealed values need,
  // written in the same batch as the events (crypto/key_vault.h). Not part
  // of the request's identity for idempotency: a retry wraps afresh.
  std::vector<std::pair<std::string, std::string>> vault_keys = {};
};

struct AppendResult {
  std::uint64_t first_position = 0;
  std::uint64_t last_position = 0;
  // Version of the stream's last event after the append.
  std::uint64_t stream_version = 0;
  // True when the idempotency key was seen before and nothing was written.
  bool deduplicated = false;
};

// Receives the outcome of an asynchronous append (EventStore::AppendAsync).
using AppendCallback = std::function<void(Result<AppendResult>)>;

// Calls `start` with a callback and waits until it is called: the blocking
// form of an asynchronous append. Must not be called on the sequencer thread
// (from inside an AppendCallback), where it would wait forever.
Result<AppendResult> AwaitAppend(
    const std::function<void(AppendCallback)>& start);

struct Head {
  std::uint64_t position = 0;  // 0 for an empty log
  Hash256 hash{};              // zeros for an empty log
};

enum class Direction { kForward, kBackward };

// Which events ReadAll and subscriptions return. Empty fields match all.
struct EventFilter {
  std::vector<std::string> types;  // any of these type tags
  std::string stream_prefix;       // stream ids starting with this

  bool Matches(const EventRecord& record) const;
};

class EventStore {
 public:
  // Opens (or creates) the store in folder `path`. Fails with kCorruption when
  // the stored head does not match the last event or a table file is damaged
  // (the message names it and its column family), kUnavailable when another
  // process holds the store for writing (unless `read_only`).
  static Result<std::unique_ptr<EventStore>> Open(const std::string& path,
                                                  StoreOptions options = {});
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Appends `request.events` atomically, blocking until they are durable.
  // Errors: kInvalidArgument (limits, bad stream id), kVersionConflict (with
  // the actual version), kIdempotencyReused (same key, other content),
  // kIoError, kUnavailable (closing).
  Result<AppendResult> Append(AppendRequest request);

  // Append without waiting: `done` gets what Append would return, exactly
  // once. A request refused before it is queued (limits, bad stream id,
  // closing) is answered on the calling thread before AppendAsync returns;
  // every other on the sequencer thread once its batch is durable or has
  // failed, in position order. `done` runs inside the group commit, so it
  // must be quick and must never wait for another append; post real work
  // elsewhere.
  void AppendAsync(AppendRequest request, AppendCallback done);

  // The import path (`exemplar import`): appends records sealed by another
  // store, keeping every field, timestamps, positions and hashes included,
  // through the same sequencer and batch as Append, so the stream and
  // idempotency indexes and the Merkle tree are written with them. The
  // records must continue this log: positions head + 1, head + 2, ... with no
  // gap, each prev_hash the hash before it, each hash what its fields seal
  // to, each stream version the next of its stream. Events carrying an
  // idempotency key are one original append: consecutive, of one stream, and
  // never split across calls; the key must be new to the store. All or
  // nothing. Errors: kCorruption naming the first position that breaks a
  // rule, kInvalidArgument (empty), kIoError, kUnavailable (closing, or
  // read-only).
  Status AppendSealed(std::vector<EventRecord> records);

  // Up to `max_count` events of one stream starting at `from_version`
  // (inclusive), in the given direction. An unknown stream yields none.
  Result<std::vector<EventRecord>> ReadStream(const std::string& stream_id,
                                              std::uint64_t from_version,
                                              Direction direction,
                                              size_t max_count) const;

  // Every event of the streams whose ids start with `prefix`, in position
  // order. Walks the stream index and reads only those events, not the log:
  // the way to load a small family of streams (API tokens, say) from a
  // large store.
  Result<std::vector<EventRecord>> ReadStreamsWithPrefix(
      std::string_view prefix) const;

  // Version of the stream's last event; nullopt when it has none.
  Result<std::optional<std::uint64_t>> StreamVersion(
      const std::string& stream_id) const;

  // Up to `max_count` events from `from_position` (inclusive) that match
  // `filter`, in position order. Scans at most `max_scan` events, so a
  // selective filter cannot pin a reader; `next_position` tells where to go
  // on.
  struct Page {
    std::vector<EventRecord> events;
    std::uint64_t next_position = 0;
  };
  Result<Page> ReadAll(std::uint64_t from_position, size_t max_count,
                       const EventFilter& filter = {},
                       size_t max_scan = 100000) const;

  // The first stored idempotency key, in byte order, that starts with
  // `prefix`; nullopt when there is none. A point seek, not a scan.
  Result<std::optional<std::string>> FirstIdempotencyKey(
      std::string_view prefix) const;

  // The event at `position`; kNotFound past the head, kCorruption when its
  // bytes are bad.
  Result<EventRecord> ReadEvent(std::uint64_t position) const;

  // The last durable event's position and hash.
  Head head() const;

  // The layout the store's records were written in since it was made: 3
  // for a store whose personal values were sealed from its first event; 2
  // for one made before, whose older events may hold them in plain text.
  std::uint64_t format() const;

  // Writes a copy of the store into the new folder `dest` (a RocksDB
  // checkpoint: table files hard-linked when on the same file system, the
  // write-ahead log copied), holding whole group commits only. On a
  // read-only store, the way to copy a store a server is writing, the
  // follower first catches up with the writer; should the writer delete a
  // file the follower still names, the copy fails or comes out incomplete,
  // so the caller verifies the copy and retries (tools/backup.cc). Errors:
  // kInvalidArgument (`dest` exists), kIoError.
  Status Checkpoint(const std::string& dest) const;

  // History from `from_position`, then live events, in order, with no gap
  // and no duplicate. See subscription.h.
  std::unique_ptr<Subscription> Subscribe(std::uint64_t from_position,
                                          EventFilter filter = {});

  // Stops the sequencer after the batches in flight; later appends fail with
  // kUnavailable. Called by the destructor.
  void Close();

  // Derived state kept beside the log (engine/side_store.h). Writing it
  // leaves the log as it is, hence a const store hands it out. Valid until
  // Close.
  SideStore& side_store() const;

  const StoreOptions& options() const;

 private:
  friend class StoreInternals;  // engine/internal/store_internals.h
  class Impl;
  explicit EventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace exemplar
