#include "engine/audit/verify.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "engine/audit/merkle.h"
#include "engine/audit/rocksdb_nodes.h"
#include "engine/internal/append_rules.h"
#include "engine/internal/layout.h"
#include "engine/internal/storage_fault.h"
#include "engine/internal/store_internals.h"
#include "engine/log_reader.h"
#include "events/sha256.h"

namespace exemplar::audit {
namespace {

// Options for a whole-store scan: read ahead, and leave the block cache to
// the server's working set.
rocksdb::ReadOptions ScanOptions() {
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  options.readahead_size = 4 << 20;
  return options;
}

// A stream index key reduced to 8 bytes of its SHA-256: forging an entry
// that passes for another event's would take a second preimage of 64 bits.
std::uint64_t KeyFingerprint(std::string_view key) {
  Hash256 digest = Sha256({key});
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = value << 8 | digest[i];
  return value | 1;  // never 0, which marks an empty slot
}

// Reads the whole stream index in one scan into a fingerprint of the key
// that points at each position (8 bytes per event), so that checking the
// events against it needs no lookup per event. An entry pointing past the
// head or at a position another entry names is an error.
Result<std::vector<std::uint64_t>> LoadStreamIndex(const EventStore& store,
                                                   std::uint64_t head) {
  std::vector<std::uint64_t> by_position(head + 1, 0);
  std::unique_ptr<rocksdb::Iterator> it(StoreInternals::db(store)->NewIterator(
      ScanOptions(), StoreInternals::family(store, layout::kStreamsFamily)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::uint64_t position =
        layout::ReadBigEndian64(it->value().ToStringView());
    if (it->value().size() != 8 || position == 0 || position > head) {
      return Status::Corruption("stream index names a position past the log",
                                position);
    }
    if (by_position[position] != 0) {
      return Status::Corruption("two stream index entries name this event",
                                position);
    }
    by_position[position] = KeyFingerprint(it->key().ToStringView());
  }
  if (!it->status().ok()) return Status::IoError(it->status().ToString());
  return by_position;
}

// A batch of the log decoded (each event's hash recomputed) with the
// fingerprint of its stream index key, and the fault that stopped the
// decoding after them.
struct DecodedBatch {
  std::uint64_t first = 0;  // position of events[0]
  std::vector<EventRecord> events;
  std::vector<std::uint64_t> fingerprints;
  Status fault;
};

DecodedBatch DecodeBatch(LogReader::StoredBatch stored) {
  DecodedBatch batch;
  batch.first = stored.first;
  batch.fault = LogReader::Decode(stored, &batch.events);
  batch.fingerprints.reserve(batch.events.size());
  for (const EventRecord& event : batch.events) {
    batch.fingerprints.push_back(KeyFingerprint(
        layout::StreamKey(event.stream_id, event.stream_version)));
  }
  return batch;
}

// Recomputes the chain and the tree over every event in one forward scan,
// checking that each event's stream index entry points at it. Fills `roots`
// with the recomputed root at every size a stored head names. Batches are
// decoded and hashed on other threads while this one reads the next and
// checks them in order, so verification uses every core.
Status VerifyEvents(
    const EventStore& store, const std::map<std::uint64_t, Hash256*>& roots,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress,
    VerifyReport* report) {
  constexpr std::size_t kBatchEvents = 4096;
  const Head head = store.head();
  auto index = LoadStreamIndex(store, head.position);
  if (!index.ok()) return index.status();
  IncrementalTree tree;
  LogReader reader(store, 1, head);
  // Two batches decode ahead while this thread checks the oldest, so
  // decoding keeps both cores busy.
  constexpr size_t kBatchesAhead = 2;
  std::deque<std::future<DecodedBatch>> pending;
  Status read_status;
  auto read_ahead = [&] {
    while (read_status.ok() && !reader.done() &&
           pending.size() < kBatchesAhead) {
      LogReader::StoredBatch stored;
      read_status = reader.NextStored(&stored, kBatchEvents);
      if (stored.bytes.empty()) break;
      pending.push_back(
          std::async(std::launch::async, DecodeBatch, std::move(stored)));
    }
  };
  read_ahead();
  while (!pending.empty()) {
    DecodedBatch batch = pending.front().get();
    pending.pop_front();
    read_ahead();
    for (size_t i = 0; i < batch.events.size(); ++i) {
      const std::uint64_t position = batch.first + i;
      EXEMPLAR_RETURN_IF_ERROR(reader.Chain(batch.events[i]));
      if ((*index)[position] != batch.fingerprints[i]) {
        return Status::Corruption("stream index does not point to this event",
                                  position);
      }
      tree.Append(AsBytes(batch.events[i].hash));
      if (auto root = roots.find(position); root != roots.end()) {
        *root->second = tree.Root();
      }
      if (progress && position % 16384 == 0) {
        progress(position, head.position);
      }
    }
    EXEMPLAR_RETURN_IF_ERROR(batch.fault);
  }
  // Reported after the events before it, so the first bad position wins.
  EXEMPLAR_RETURN_IF_ERROR(read_status);
  report->events = head.position;
  report->root = tree.Root();
  return Status::Ok();
}

// Every idempotency entry must name events that carry its key.
Status VerifyIdempotencyIndex(const EventStore& store) {
  std::unique_ptr<rocksdb::Iterator> it(StoreInternals::db(store)->NewIterator(
      {}, StoreInternals::family(store, layout::kIdempotencyFamily)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    IdempotencyEntry entry;
    if (!IdempotencyEntry::Decode(it->value().ToStringView(), &entry)) {
      return Status::Corruption("idempotency index entry does not decode", 0);
    }
    for (std::uint64_t p :
         {entry.result.first_position, entry.result.last_position}) {
      auto event = store.ReadEvent(p);
      if (!event.ok() || event->idempotency_key != it->key().ToStringView()) {
        return Status::Corruption(
            "idempotency index entry does not match its event", p);
      }
    }
  }
  if (!it->status().ok()) return Status::IoError(it->status().ToString());
  return Status::Ok();
}

Result<VerifyReport> VerifyAll(
    const EventStore& store, const std::optional<Ed25519PublicKey>& public_key,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  auto heads = LoadSignedHeads(store.side_store(), 0, SIZE_MAX);
  if (!heads.ok()) return heads.status();
  std::vector<Hash256> recomputed(heads->size());
  std::map<std::uint64_t, Hash256*> roots;
  for (size_t i = 0; i < heads->size(); ++i) {
    roots[(*heads)[i].tree_size] = &recomputed[i];
  }

  VerifyReport report;
  EXEMPLAR_RETURN_IF_ERROR(VerifyEvents(store, roots, progress, &report));
  RocksDbNodeSource nodes(StoreInternals::db(store),
                          StoreInternals::family(store, layout::kAuditFamily),
                          StoreInternals::family(store, layout::kEventsFamily));
  auto stored_root = TreeHash(nodes, 0, report.events);
  if (!stored_root.ok() && IsStorageCorruption(stored_root.status())) {
    return stored_root.status();
  }
  if (!stored_root.ok() || *stored_root != report.root) {
    return Status::Corruption("stored Merkle tree differs from the events",
                              report.events);
  }
  EXEMPLAR_RETURN_IF_ERROR(VerifyIdempotencyIndex(store));

  for (size_t i = 0; i < heads->size(); ++i) {
    const SignedTreeHead& head = (*heads)[i];
    if (head.tree_size > report.events ||
        (head.tree_size > 0 && head.root_hash != recomputed[i])) {
      return Status::Corruption("signed head's root differs from the log",
                                head.tree_size);
    }
    if (public_key && !VerifySignedHead(head, *public_key).ok()) {
      return Status::Corruption("signed head's signature is invalid",
                                head.tree_size);
    }
  }
  if (Status order = VerifyHeadSequence(*heads); !order.ok()) {
    return Status::Corruption(order.message(), 0);
  }
  report.signed_heads = heads->size();
  return report;
}

}  // namespace

Result<VerifyReport> VerifyStore(
    const EventStore& store, const std::optional<Ed25519PublicKey>& public_key,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  Result<VerifyReport> report = VerifyAll(store, public_key, progress);
  if (report.ok()) return report;
  return NameDamagedFile(StoreInternals::db(store), report.status());
}

}  // namespace exemplar::audit
