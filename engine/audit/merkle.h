// The Merkle tree over the log: RFC 6962 section 2.1, exactly.
//
// Leaf i of the tree is the event at position i + 1; its leaf data is the 32
// bytes of that event's hash, so its leaf hash is SHA-256(0x00 || hash). An
// interior node is SHA-256(0x01 || left || right), and a tree of n > 1 leaves
// splits at k, the largest power of two smaller than n. The empty tree's hash
// is SHA-256 of the empty string.
//
// Storage model: only perfect (complete) subtrees are stored. Node (level,
// index) covers leaves [index * 2^level, (index + 1) * 2^level); level 0
// holds the leaf hashes. Any tree hash, inclusion proof or consistency proof
// is assembled from O(log n) of these nodes through a NodeSource.
//
// Verification (VerifyInclusion, VerifyConsistency) needs no store; it follows
// the iterative algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2.
//
// This header has no RocksDB dependency; see rocksdb_nodes.h for the stored
// form and merkle_observer.h for how appends maintain it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "events/sha256.h"
#include "events/status.h"

namespace exemplar::audit {

// SHA-256(0x00 || data): the RFC 6962 hash of one leaf.
Hash256 LeafHash(std::string_view data);
// SHA-256(0x01 || left || right): the RFC 6962 hash of an interior node.
Hash256 NodeHash(const Hash256& left, const Hash256& right);
// SHA-256 of the empty string: the hash of the tree of size 0.
Hash256 EmptyTreeHash();

// One perfect subtree: covers leaves [index << level, (index + 1) << level).
struct TreeNode {
  std::uint8_t level = 0;
  std::uint64_t index = 0;
  Hash256 hash{};

  bool operator==(const TreeNode&) const = default;
};

// Where the stored perfect subtrees come from.
class NodeSource {
 public:
  virtual ~NodeSource() = default;

  // The number of leaves whose nodes are stored: every perfect subtree within
  // [0, TreeSize()) is available. Errors: kIoError, kCorruption.
  virtual Result<std::uint64_t> TreeSize() const = 0;

  // The hash of perfect subtree (level, index). Errors: kNotFound when it is
  // not stored, kIoError, kCorruption.
  virtual Result<Hash256> Node(std::uint8_t level,
                               std::uint64_t index) const = 0;
};

// MTH(D[begin:end]), assembled from stored perfect subtrees in O(log n)
// reads. The range must be one the RFC recursion produces: `begin` a multiple
// of the smallest power of two >= end - begin (true of [0, n) and of every
// subtree in a proof); otherwise kInvalidArgument. Does not check `end`
// against source.TreeSize(); a missing node gives kNotFound.
Result<Hash256> TreeHash(const NodeSource& source, std::uint64_t begin,
                         std::uint64_t end);

// PATH(leaf_index, D[tree_size]) of RFC 6962 2.1.1: sibling hashes from the
// leaf up. Errors: kInvalidArgument when leaf_index >= tree_size or
// tree_size > source.TreeSize(); the source's errors.
Result<std::vector<Hash256>> InclusionProof(const NodeSource& source,
                                            std::uint64_t leaf_index,
                                            std::uint64_t tree_size);

// PROOF(first_size, D[second_size]) of RFC 6962 2.1.2. first_size ==
// second_size gives the empty proof. Errors: kInvalidArgument when
// first_size is 0 (RFC 9162 leaves consistency with the empty tree
// undefined), first_size > second_size or second_size > source.TreeSize();
// the source's errors.
Result<std::vector<Hash256>> ConsistencyProof(const NodeSource& source,
                                              std::uint64_t first_size,
                                              std::uint64_t second_size);

// OK when `proof` shows that the leaf with hash `leaf_hash` (LeafHash of the
// leaf data) is leaf `leaf_index` of the tree of `tree_size` leaves whose
// hash is `root`. Otherwise kInvalidArgument, with field() naming what does
// not fit ("leaf_index" or "proof"). Pure; thread-safe.
Status VerifyInclusion(const Hash256& leaf_hash, std::uint64_t leaf_index,
                       std::uint64_t tree_size,
                       const std::vector<Hash256>& proof, const Hash256& root);

// OK when `proof` shows that the tree of `first_size` leaves with hash
// `first_root` is a prefix of the tree of `second_size` leaves with hash
// `second_root`. Equal sizes need the empty proof and equal roots. A
// first_size of 0 is always rejected (not defined by RFC 9162). Otherwise
// kInvalidArgument with field() "first_size" or "proof". Pure; thread-safe.
Status VerifyConsistency(std::uint64_t first_size, std::uint64_t second_size,
                         const Hash256& first_root, const Hash256& second_root,
                         const std::vector<Hash256>& proof);

// The Merkle frontier: the perfect subtrees on the right edge of the tree
// (one per set bit of the size), enough to append and to compute the root
// without reading anything.
//
// A small value type (about 2 KiB): to roll back a failed append, keep a
// copy from before it and assign it back. Not thread-safe; callers
// serialize access.
class IncrementalTree {
 public:
  IncrementalTree() = default;  // the empty tree

  // The frontier of the tree of `size` leaves, read from `source` in
  // O(log size) reads. Errors: kInvalidArgument when size >
  // source.TreeSize(); the source's errors.
  static Result<IncrementalTree> Restore(const NodeSource& source,
                                         std::uint64_t size);

  // Appends the leaf with data `leaf_data` and returns the nodes that became
  // complete, bottom-up: the leaf itself (level 0) and each parent it
  // completed. O(log n). The size must stay below 2^63.
  std::vector<TreeNode> Append(std::string_view leaf_data);

  std::uint64_t size() const { return size_; }

  // MTH of the current tree; EmptyTreeHash() for size 0. O(log n), no reads.
  Hash256 Root() const;

 private:
  std::uint64_t size_ = 0;
  // frontier_[level] is the right-edge perfect subtree of that level; valid
  // only where bit `level` of size_ is set.
  std::array<Hash256, 64> frontier_{};
};

// An inclusion proof with what it is about, as sent to clients.
struct InclusionProofData {
  std::uint64_t leaf_index = 0;  // event position - 1
  std::uint64_t tree_size = 0;
  Hash256 event_hash{};  // the leaf data; its leaf hash is LeafHash(it)
  std::vector<Hash256> path;

  bool operator==(const InclusionProofData&) const = default;
};

// A consistency proof with the sizes it links, as sent to clients.
struct ConsistencyProofData {
  std::uint64_t first_size = 0;
  std::uint64_t second_size = 0;
  std::vector<Hash256> path;

  bool operator==(const ConsistencyProofData&) const = default;
};

}  // namespace exemplar::audit
