#include "engine/audit/verify.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "engine/audit/merkle.h"
#include "engine/audit/rocksdb_nodes.h"
#include "engine/keys.h"
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
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(
      ScanOptions(), store.family(keys::kStreamsFamily)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::uint64_t position = keys::ReadBigEndian(it->value().ToStringView());
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
// fingerprint of its stream index key, or of nothing when it did not decode.
struct DecodedBatch {
  std::uint64_t first = 0;  // position of events[0]
  std::vector<Result<EventRecord>> events;
  std::vector<std::uint64_t> fingerprints;
};

DecodedBatch DecodeBatch(std::uint64_t first, std::vector<std::string> raw) {
  DecodedBatch batch;
  batch.first = first;
  batch.events.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    auto event = DecodeEventRecord(raw[i], first + i);
    batch.fingerprints.push_back(
        event.ok() ? KeyFingerprint(keys::StreamKey(event->stream_id,
                                                    event->stream_version))
                   : 0);
    batch.events.push_back(std::move(event));
  }
  return batch;
}

// Appends to `raw` the stored bytes of up to `count` events from `*next`
// on, advancing it. kCorruption naming the first position missing from the
// log, with `raw` holding the events before it.
Status ReadBatch(rocksdb::Iterator* it, std::uint64_t* next,
                 std::uint64_t count, std::vector<std::string>* raw) {
  raw->reserve(count);
  for (; raw->size() < count; ++*next, it->Next()) {
    if (!it->Valid() || it->key() != keys::PositionKey(*next)) {
      if (!it->status().ok()) return Status::IoError(it->status().ToString());
      return Status::Corruption("event missing from the log", *next);
    }
    raw->emplace_back(it->value().ToStringView());
  }
  return Status::Ok();
}

// Recomputes the chain and the tree over every event in one forward scan,
// checking that each event's stream index entry points at it. Fills `roots`
// with the recomputed root at every size a stored head names. Batches are
// decoded and hashed on other threads while this one checks them in order,
// so verification uses every core.
Status VerifyEvents(
    const EventStore& store, const std::map<std::uint64_t, Hash256*>& roots,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress,
    VerifyReport* report) {
  constexpr std::uint64_t kBatchEvents = 4096;
  const std::uint64_t head = store.head().position;
  auto index = LoadStreamIndex(store, head);
  if (!index.ok()) return index.status();
  IncrementalTree tree;
  Hash256 previous{};
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(
      ScanOptions(), store.family(keys::kEventsFamily)));
  it->Seek(keys::PositionKey(1));
  std::uint64_t next = 1;
  // Two batches decode ahead while this thread checks the oldest, so
  // decoding keeps both cores busy.
  constexpr size_t kBatchesAhead = 2;
  std::deque<std::future<DecodedBatch>> pending;
  Status read_status;
  auto read_ahead = [&] {
    while (read_status.ok() && next <= head && pending.size() < kBatchesAhead) {
      const std::uint64_t first = next;
      std::vector<std::string> raw;
      read_status = ReadBatch(it.get(), &next,
                              std::min(kBatchEvents, head + 1 - next), &raw);
      if (raw.empty()) break;
      pending.push_back(
          std::async(std::launch::async, DecodeBatch, first, std::move(raw)));
    }
  };
  read_ahead();
  while (!pending.empty()) {
    DecodedBatch batch = pending.front().get();
    pending.pop_front();
    read_ahead();
    for (size_t i = 0; i < batch.events.size(); ++i) {
      const std::uint64_t position = batch.first + i;
      const Result<EventRecord>& event = batch.events[i];
      if (!event.ok()) return event.status();
      if (event->prev_hash != previous) {
        return Status::Corruption("previous-hash link is broken", position);
      }
      if ((*index)[position] != batch.fingerprints[i]) {
        return Status::Corruption("stream index does not point to this event",
                                  position);
      }
      previous = event->hash;
      tree.Append(AsBytes(event->hash));
      if (auto root = roots.find(position); root != roots.end()) {
        *root->second = tree.Root();
      }
      if (progress && position % 16384 == 0) progress(position, head);
    }
  }
  // Reported after the events before it, so the first bad position wins.
  if (!read_status.ok()) return read_status;
  if (store.head().hash != previous) {
    return Status::Corruption("head hash differs from the last event", head);
  }
  report->events = head;
  report->root = tree.Root();
  return Status::Ok();
}

// Every idempotency entry must name events that carry its key.
Status VerifyIdempotencyIndex(const EventStore& store) {
  std::unique_ptr<rocksdb::Iterator> it(
      store.db()->NewIterator({}, store.family(keys::kIdempotencyFamily)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view value = it->value().ToStringView();
    std::uint64_t first = keys::ReadBigEndian(value.substr(0, 8));
    std::uint64_t last = keys::ReadBigEndian(value.substr(8, 8));
    for (std::uint64_t p : {first, last}) {
      auto event = store.ReadEvent(p);
      if (value.size() != 56 || !event.ok() ||
          event->idempotency_key != it->key().ToStringView()) {
        return Status::Corruption(
            "idempotency index entry does not match its event", p);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<VerifyReport> VerifyStore(
    const EventStore& store, const std::optional<Ed25519PublicKey>& public_key,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  auto* audit_family = store.family(keys::kAuditFamily);
  auto heads = LoadSignedHeads(store.db(), audit_family, 0, SIZE_MAX);
  if (!heads.ok()) return heads.status();
  std::vector<Hash256> recomputed(heads->size());
  std::map<std::uint64_t, Hash256*> roots;
  for (size_t i = 0; i < heads->size(); ++i) {
    roots[(*heads)[i].tree_size] = &recomputed[i];
  }

  VerifyReport report;
  EXEMPLAR_RETURN_IF_ERROR(VerifyEvents(store, roots, progress, &report));
  RocksDbNodeSource nodes(store.db(), audit_family,
                          store.family(keys::kEventsFamily));
  auto stored_root = TreeHash(nodes, 0, report.events);
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

}  // namespace exemplar::audit
