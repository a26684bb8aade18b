#include "engine/audit/merkle_observer.h"

#include <rocksdb/write_batch.h>

#include <string>

#include "engine/audit/rocksdb_nodes.h"

namespace exemplar::audit {

Result<std::unique_ptr<MerkleObserver>> MerkleObserver::Open(
    rocksdb::DB* db, rocksdb::ColumnFamilyHandle* audit_family,
    rocksdb::ColumnFamilyHandle* events_family) {
  RocksDbNodeSource source(db, audit_family, events_family);
  Result<std::uint64_t> size = source.TreeSize();
  if (!size.ok()) return size.status();
  Result<IncrementalTree> tree = IncrementalTree::Restore(source, *size);
  if (!tree.ok()) return tree.status();
  return std::unique_ptr<MerkleObserver>(
      new MerkleObserver(audit_family, std::move(tree).value()));
}

MerkleObserver::MerkleObserver(rocksdb::ColumnFamilyHandle* audit_family,
                               IncrementalTree tree)
    : audit_family_(audit_family), tree_(tree), before_(tree) {}

Status MerkleObserver::OnSealed(const std::vector<const EventRecord*>& events,
                                rocksdb::WriteBatch* batch) {
  std::lock_guard<std::mutex> lock(mutex_);
  before_ = tree_;
  Status status = AppendLocked(events, batch);
  if (!status.ok()) tree_ = before_;
  return status;
}

Status MerkleObserver::AppendLocked(
    const std::vector<const EventRecord*>& events, rocksdb::WriteBatch* batch) {
  for (const EventRecord* event : events) {
    if (event->position != tree_.size() + 1) {
      return Status::Internal(
          "event at position " + std::to_string(event->position) +
          " does not follow Merkle tree size " + std::to_string(tree_.size()));
    }
    EXEMPLAR_RETURN_IF_ERROR(
        PutNodes(tree_.Append(AsBytes(event->hash)), audit_family_, batch));
  }
  return PutTreeSize(tree_.size(), audit_family_, batch);
}

void MerkleObserver::OnAborted() {
  std::lock_guard<std::mutex> lock(mutex_);
  tree_ = before_;
}

IncrementalTree MerkleObserver::tree() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tree_;
}

}  // namespace exemplar::audit
