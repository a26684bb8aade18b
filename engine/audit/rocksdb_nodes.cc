#include "engine/audit/rocksdb_nodes.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "engine/internal/layout.h"

namespace exemplar::audit {
namespace {

Status FromRocks(const rocksdb::Status& status, const char* what) {
  return Status::IoError(std::string(what) + ": " + status.ToString());
}

}  // namespace

std::string NodeKey(std::uint8_t level, std::uint64_t index) {
  std::string key;
  key.reserve(10);
  key.push_back('n');
  key.push_back(static_cast<char>(level));
  layout::AppendBigEndian64(index, &key);
  return key;
}

Status PutNodes(const std::vector<TreeNode>& nodes,
                rocksdb::ColumnFamilyHandle* family,
                rocksdb::WriteBatch* batch) {
  for (const TreeNode& node : nodes) {
    if (node.level < kLowestStoredLevel) continue;
    rocksdb::Status put =
        batch->Put(family, NodeKey(node.level, node.index), AsBytes(node.hash));
    if (!put.ok()) return FromRocks(put, "adding a Merkle node to the batch");
  }
  return Status::Ok();
}

Status PutTreeSize(std::uint64_t tree_size, rocksdb::ColumnFamilyHandle* family,
                   rocksdb::WriteBatch* batch) {
  std::string size;
  layout::AppendBigEndian64(tree_size, &size);
  rocksdb::Status put = batch->Put(
      family, rocksdb::Slice(kTreeSizeKey.data(), kTreeSizeKey.size()), size);
  if (!put.ok()) return FromRocks(put, "adding the tree size to the batch");
  return Status::Ok();
}

Result<std::uint64_t> RocksDbNodeSource::TreeSize() const {
  std::string value;
  rocksdb::Status get = db_->Get(
      rocksdb::ReadOptions(), audit_family_,
      rocksdb::Slice(kTreeSizeKey.data(), kTreeSizeKey.size()), &value);
  if (get.IsNotFound()) return std::uint64_t{0};
  if (!get.ok()) return FromRocks(get, "reading the Merkle tree size");
  if (value.size() != 8) {
    return Status::Corruption("stored Merkle tree size is not 8 bytes", 0);
  }
  return layout::ReadBigEndian64(value);
}

Result<Hash256> RocksDbNodeSource::Node(std::uint8_t level,
                                        std::uint64_t index) const {
  if (level == 0) return Leaf(index);
  if (level < kLowestStoredLevel) {
    auto left = Node(level - 1, 2 * index);
    if (!left.ok()) return left;
    auto right = Node(level - 1, 2 * index + 1);
    if (!right.ok()) return right;
    return NodeHash(*left, *right);
  }
  std::string value;
  rocksdb::Status get = db_->Get(rocksdb::ReadOptions(), audit_family_,
                                 NodeKey(level, index), &value);
  if (get.IsNotFound()) {
    return Status::NotFound("Merkle node (" + std::to_string(level) + ", " +
                            std::to_string(index) + ") is not stored");
  }
  if (!get.ok()) return FromRocks(get, "reading a Merkle node");
  Hash256 hash{};
  if (value.size() != hash.size()) {
    return Status::Corruption("stored Merkle node is not 32 bytes",
                              (index << level) + 1);
  }
  std::copy(value.begin(), value.end(), hash.begin());
  return hash;
}

Result<Hash256> RocksDbNodeSource::Leaf(std::uint64_t index) const {
  const std::uint64_t position = index + 1;
  rocksdb::PinnableSlice record;
  rocksdb::Status get = db_->Get(rocksdb::ReadOptions(), events_family_,
                                 layout::PositionKey(position), &record);
  if (get.IsNotFound()) {
    return Status::NotFound("Merkle leaf " + std::to_string(index) +
                            ": no event at position " +
                            std::to_string(position));
  }
  if (!get.ok()) return FromRocks(get, "reading an event for its leaf");
  Hash256 event_hash{};
  if (record.size() < event_hash.size()) {
    return Status::Corruption("stored event is shorter than its hash",
                              position);
  }
  std::copy_n(record.data() + record.size() - event_hash.size(),
              event_hash.size(), event_hash.begin());
  return LeafHash(AsBytes(event_hash));
}

}  // namespace exemplar::audit
