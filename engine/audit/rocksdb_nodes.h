// The stored form of the Merkle tree: perfect-subtree nodes and the tree size
// in the "audit" column family, and a NodeSource that reads them.
//
// Layout in the audit family (see also signed_head.h for "h" keys):
//   node:  'n' || level (1 byte) || index (8 bytes big-endian) -> 32 raw bytes
//   size:  "size" -> tree size, 8 bytes big-endian (absent means 0)
// Nodes are written once, in the same WriteBatch as the events they cover,
// and never change, so readers need no snapshot to combine them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/audit/merkle.h"
#include "events/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace exemplar::audit {

// Name of the column family that holds the audit structures.
inline constexpr char kAuditFamilyName[] = "audit";
// Key of the stored tree size.
inline constexpr std::string_view kTreeSizeKey = "size";

// 'n' || level || index big-endian: 10 bytes.
std::string NodeKey(std::uint8_t level, std::uint64_t index);

// Adds `nodes` to `batch`, in `family`. Errors: kIoError when the batch
// refuses an entry.
Status PutNodes(const std::vector<TreeNode>& nodes,
                rocksdb::ColumnFamilyHandle* family,
                rocksdb::WriteBatch* batch);

// Adds the tree size record to `batch`, in `family`. Errors: kIoError.
Status PutTreeSize(std::uint64_t tree_size, rocksdb::ColumnFamilyHandle* family,
                   rocksdb::WriteBatch* batch);

// Reads nodes and the tree size from `family` of `db`; both must outlive it.
// Thread-safe.
class RocksDbNodeSource : public NodeSource {
 public:
  RocksDbNodeSource(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family)
      : db_(db), family_(family) {}

  // The stored tree size; 0 when none is stored. kCorruption when the value
  // is not 8 bytes.
  Result<std::uint64_t> TreeSize() const override;
  // kNotFound when absent; kCorruption (number() = first position it covers)
  // when the value is not 32 bytes.
  Result<Hash256> Node(std::uint8_t level, std::uint64_t index) const override;

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
};

}  // namespace exemplar::audit
