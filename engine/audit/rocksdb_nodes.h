// The stored form of the Merkle tree: perfect-subtree nodes and the tree size
// in the "audit" column family, and a NodeSource that reads them.
//
// Layout in the audit family (see also signed_head.h for "h" keys):
//   node:  'n' || level (1 byte) || index (8 bytes big-endian) -> 32 raw bytes
//   size:  "size" -> tree size, 8 bytes big-endian (absent means 0)
// Nodes are written once, in the same WriteBatch as the events they cover,
// and never change, so readers need no snapshot to combine them.
//
// Levels below kLowestStoredLevel are not stored but computed from the
// events: leaf i's hash is LeafHash of the hash of the event at position
// i + 1, which is the last 32 bytes of its stored record in the events
// family, and a level-1 node hashes two leaves. Half of a tree's nodes are
// leaves and a quarter are at level 1: storing them would quadruple the
// tree's writes on every append, for bytes the log already holds, while a
// proof needs at most one node from each level. (A departure from the
// original design, whose `audit` family held every Merkle node: it holds
// those from level 2 up; docs/architecture.md, "Storage layout".)
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

// Key of the stored tree size.
inline constexpr std::string_view kTreeSizeKey = "size";
// The lowest level of nodes kept in the audit family.
inline constexpr std::uint8_t kLowestStoredLevel = 2;

// 'n' || level || index big-endian: 10 bytes.
std::string NodeKey(std::uint8_t level, std::uint64_t index);

// Adds those of `nodes` at kLowestStoredLevel or above to `batch`, in
// `family` (see above). Errors: kIoError when the batch refuses an entry.
Status PutNodes(const std::vector<TreeNode>& nodes,
                rocksdb::ColumnFamilyHandle* family,
                rocksdb::WriteBatch* batch);

// Adds the tree size record to `batch`, in `family`. Errors: kIoError.
Status PutTreeSize(std::uint64_t tree_size, rocksdb::ColumnFamilyHandle* family,
                   rocksdb::WriteBatch* batch);

// Reads nodes and the tree size from `audit_family` of `db`, and leaves
// from the event records in `events_family`; all must outlive it.
// Thread-safe.
class RocksDbNodeSource : public NodeSource {
 public:
  RocksDbNodeSource(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* audit_family,
                    rocksdb::ColumnFamilyHandle* events_family)
      : db_(db), audit_family_(audit_family), events_family_(events_family) {}

  // The stored tree size; 0 when none is stored. kCorruption when the value
  // is not 8 bytes.
  Result<std::uint64_t> TreeSize() const override;
  // kNotFound when absent (below kLowestStoredLevel: an event); kCorruption
  // (number() = first position it covers) when a node is not 32 bytes or an
  // event record is too short to end in a hash.
  Result<Hash256> Node(std::uint8_t level, std::uint64_t index) const override;

 private:
  Result<Hash256> Leaf(std::uint64_t index) const;

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* audit_family_;
  rocksdb::ColumnFamilyHandle* events_family_;
};

}  // namespace exemplar::audit
