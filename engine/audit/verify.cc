#include "engine/audit/verify.h"

#include <rocksdb/db.h>

#include "engine/audit/merkle.h"
#include "engine/audit/rocksdb_nodes.h"
#include "engine/keys.h"

namespace exemplar::audit {
namespace {

// Recomputes the chain and the tree over every event, checking each event's
// stream index entry on the way. Fills `roots` with the recomputed root at
// every size a stored head names.
Status VerifyEvents(
    const EventStore& store, const std::map<std::uint64_t, Hash256*>& roots,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress,
    VerifyReport* report) {
  rocksdb::DB* db = store.db();
  auto* streams = store.family(keys::kStreamsFamily);
  std::uint64_t head = store.head().position;
  IncrementalTree tree;
  Hash256 previous{};
  std::uint64_t position = 1;
  for (; position <= head; ++position) {
    auto event = store.ReadEvent(position);
    if (!event.ok()) {
      if (event.status().code() == StatusCode::kNotFound) {
        return Status::Corruption("event missing from the log", position);
      }
      return event.status();
    }
    if (event->prev_hash != previous) {
      return Status::Corruption("previous-hash link is broken", position);
    }
    std::string indexed;
    if (!db->Get({}, streams,
                 keys::StreamKey(event->stream_id, event->stream_version),
                 &indexed)
             .ok() ||
        indexed != keys::PositionKey(position)) {
      return Status::Corruption("stream index does not point to this event",
                                position);
    }
    previous = event->hash;
    tree.Append(AsBytes(event->hash));
    if (auto it = roots.find(position); it != roots.end()) {
      *it->second = tree.Root();
    }
    if (progress && position % 16384 == 0) progress(position, head);
  }
  if (store.head().hash != previous) {
    return Status::Corruption("head hash differs from the last event", head);
  }
  report->events = head;
  report->root = tree.Root();
  return Status::Ok();
}

// Every stream index entry must name an existing event of that stream and
// version; with one entry per event checked above, the counts must match.
Status VerifyStreamIndex(const EventStore& store, std::uint64_t events) {
  std::unique_ptr<rocksdb::Iterator> it(
      store.db()->NewIterator({}, store.family(keys::kStreamsFamily)));
  std::uint64_t entries = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++entries;
  if (entries != events) {
    return Status::Corruption("stream index holds " + std::to_string(entries) +
                                  " entries for " + std::to_string(events) +
                                  " events",
                              0);
  }
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
  RocksDbNodeSource nodes(store.db(), audit_family);
  auto stored_root = TreeHash(nodes, 0, report.events);
  if (!stored_root.ok() || *stored_root != report.root) {
    return Status::Corruption("stored Merkle tree differs from the events",
                              report.events);
  }
  EXEMPLAR_RETURN_IF_ERROR(VerifyStreamIndex(store, report.events));
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
