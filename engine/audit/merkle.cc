#include "engine/audit/merkle.h"

#include <algorithm>
#include <bit>
#include <string>

namespace exemplar::audit {
namespace {

constexpr std::uint64_t kMaxTreeSize = std::uint64_t{1} << 63;

bool BitSet(std::uint64_t value, int bit) { return (value >> bit) & 1; }

// The leaves of a range of `size` above bit `bit`, i.e. size with bits
// 0..bit cleared: where the perfect chunk for `bit` starts within the range.
std::uint64_t BitsAbove(std::uint64_t size, int bit) {
  return bit >= 63 ? 0 : (size >> (bit + 1)) << (bit + 1);
}

// k of RFC 6962: the largest power of two smaller than n, for n >= 2.
std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

Status OutOfRange(std::string message, std::string field) {
  return Status::InvalidArgument(std::move(message), std::move(field));
}

Status CheckStoredSize(const NodeSource& source, std::uint64_t tree_size) {
  Result<std::uint64_t> stored = source.TreeSize();
  if (!stored.ok()) return stored.status();
  if (tree_size > *stored) {
    return OutOfRange("tree_size " + std::to_string(tree_size) +
                          " exceeds the stored tree of " +
                          std::to_string(*stored) + " leaves",
                      "tree_size");
  }
  return Status::Ok();
}

// Climbs one level of a verification path (RFC 9162 2.1.3.2 step 4 and
// 2.1.4.2 step 6): returns whether the path's next node sits to the left of
// the running hash, and moves fn and sn to the level above.
bool ClimbOneLevel(std::uint64_t* fn, std::uint64_t* sn) {
  bool node_on_left = BitSet(*fn, 0) || *fn == *sn;
  if (node_on_left) {
    while (*fn != 0 && !BitSet(*fn, 0)) {
      *fn >>= 1;
      *sn >>= 1;
    }
  }
  *fn >>= 1;
  *sn >>= 1;
  return node_on_left;
}

Status ProofMismatch(std::string message) {
  return Status::InvalidArgument(std::move(message), "proof");
}

}  // namespace

Hash256 LeafHash(std::string_view data) {
  static constexpr char kLeafPrefix = 0x00;
  return Sha256({std::string_view(&kLeafPrefix, 1), data});
}

Hash256 NodeHash(const Hash256& left, const Hash256& right) {
  static constexpr char kNodePrefix = 0x01;
  return Sha256(
      {std::string_view(&kNodePrefix, 1), AsBytes(left), AsBytes(right)});
}

Hash256 EmptyTreeHash() { return Sha256({}); }

Result<Hash256> TreeHash(const NodeSource& source, std::uint64_t begin,
                         std::uint64_t end) {
  if (end < begin || end - begin > kMaxTreeSize) {
    return OutOfRange("tree range is empty or too large", "end");
  }
  std::uint64_t size = end - begin;
  if (size == 0) return EmptyTreeHash();
  if (begin % std::bit_ceil(size) != 0) {
    return OutOfRange("tree range does not start on its subtree boundary",
                      "begin");
  }
  // One perfect chunk per set bit of size, largest first; fold them from the
  // right, which is the RFC recursion with every left part perfect.
  Hash256 root{};
  bool have_right = false;
  for (int level = 0; level < 64; ++level) {
    if (!BitSet(size, level)) continue;
    std::uint64_t start = begin + BitsAbove(size, level);
    Result<Hash256> node =
        source.Node(static_cast<std::uint8_t>(level), start >> level);
    if (!node.ok()) return node.status();
    root = have_right ? NodeHash(*node, root) : *node;
    have_right = true;
  }
  return root;
}

namespace {

// One step down a proof's path in the subtree [begin, end) split at `mid`
// (RFC 9162 2.1.3.1 PATH and 2.1.4.1 SUBPROOF): keeps the side `go_left`
// names and appends the hash of the other side to `path`.
Status Descend(const NodeSource& source, bool go_left, std::uint64_t mid,
               std::uint64_t* begin, std::uint64_t* end,
               std::vector<Hash256>* path) {
  Result<Hash256> sibling =
      go_left ? TreeHash(source, mid, *end) : TreeHash(source, *begin, mid);
  if (!sibling.ok()) return sibling.status();
  path->push_back(*sibling);
  (go_left ? *end : *begin) = mid;
  return Status::Ok();
}

}  // namespace

Result<std::vector<Hash256>> InclusionProof(const NodeSource& source,
                                            std::uint64_t leaf_index,
                                            std::uint64_t tree_size) {
  if (leaf_index >= tree_size) {
    return OutOfRange("leaf_index must be below tree_size", "leaf_index");
  }
  EXEMPLAR_RETURN_IF_ERROR(CheckStoredSize(source, tree_size));
  std::vector<Hash256> path;  // top-down until reversed at the end
  std::uint64_t begin = 0;
  std::uint64_t end = tree_size;
  while (end - begin > 1) {
    std::uint64_t mid = begin + SplitPoint(end - begin);
    EXEMPLAR_RETURN_IF_ERROR(
        Descend(source, leaf_index < mid, mid, &begin, &end, &path));
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Result<std::vector<Hash256>> ConsistencyProof(const NodeSource& source,
                                              std::uint64_t first_size,
                                              std::uint64_t second_size) {
  if (first_size == 0) {
    return OutOfRange("consistency with the empty tree is not defined",
                      "first_size");
  }
  if (first_size > second_size) {
    return OutOfRange("first_size must not exceed second_size", "first_size");
  }
  EXEMPLAR_RETURN_IF_ERROR(CheckStoredSize(source, second_size));
  std::vector<Hash256> path;  // top-down until reversed at the end
  std::uint64_t begin = 0;
  std::uint64_t end = second_size;
  bool whole_old_tree = true;  // the `b` flag of SUBPROOF
  while (first_size != end) {
    std::uint64_t mid = begin + SplitPoint(end - begin);
    bool go_left = first_size <= mid;
    EXEMPLAR_RETURN_IF_ERROR(
        Descend(source, go_left, mid, &begin, &end, &path));
    if (!go_left) whole_old_tree = false;
  }
  if (!whole_old_tree) {
    Result<Hash256> old_subtree = TreeHash(source, begin, end);
    if (!old_subtree.ok()) return old_subtree.status();
    path.push_back(*old_subtree);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Status VerifyInclusion(const Hash256& leaf_hash, std::uint64_t leaf_index,
                       std::uint64_t tree_size,
                       const std::vector<Hash256>& proof, const Hash256& root) {
  if (leaf_index >= tree_size) {
    return OutOfRange("leaf_index must be below tree_size", "leaf_index");
  }
  std::uint64_t fn = leaf_index;
  std::uint64_t sn = tree_size - 1;
  Hash256 r = leaf_hash;
  for (const Hash256& p : proof) {
    if (sn == 0) return ProofMismatch("inclusion proof is too long");
    r = ClimbOneLevel(&fn, &sn) ? NodeHash(p, r) : NodeHash(r, p);
  }
  if (sn != 0) return ProofMismatch("inclusion proof is too short");
  if (r != root) return ProofMismatch("inclusion proof does not reach root");
  return Status::Ok();
}

Status VerifyConsistency(std::uint64_t first_size, std::uint64_t second_size,
                         const Hash256& first_root, const Hash256& second_root,
                         const std::vector<Hash256>& proof) {
  if (first_size == 0 || first_size > second_size) {
    return OutOfRange("first_size must be in [1, second_size]", "first_size");
  }
  if (first_size == second_size) {
    if (!proof.empty()) return ProofMismatch("equal sizes need no proof");
    if (first_root != second_root) return ProofMismatch("roots differ");
    return Status::Ok();
  }
  if (proof.empty()) return ProofMismatch("consistency proof is empty");
  // A power-of-two first tree is a node of the second; RFC 9162 prepends its
  // root to the path, which the index below does without copying.
  bool prepend_first = std::has_single_bit(first_size);
  auto element = [&](size_t i) -> const Hash256& {
    return prepend_first ? (i == 0 ? first_root : proof[i - 1]) : proof[i];
  };
  size_t count = proof.size() + (prepend_first ? 1 : 0);
  std::uint64_t fn = first_size - 1;
  std::uint64_t sn = second_size - 1;
  while (BitSet(fn, 0)) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash256 fr = element(0);
  Hash256 sr = element(0);
  for (size_t i = 1; i < count; ++i) {
    const Hash256& c = element(i);
    if (sn == 0) return ProofMismatch("consistency proof is too long");
    if (ClimbOneLevel(&fn, &sn)) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
    } else {
      sr = NodeHash(sr, c);
    }
  }
  if (sn != 0) return ProofMismatch("consistency proof is too short");
  if (fr != first_root) return ProofMismatch("proof does not reach first root");
  if (sr != second_root) {
    return ProofMismatch("proof does not reach second root");
  }
  return Status::Ok();
}

Result<IncrementalTree> IncrementalTree::Restore(const NodeSource& source,
                                                 std::uint64_t size) {
  EXEMPLAR_RETURN_IF_ERROR(CheckStoredSize(source, size));
  IncrementalTree tree;
  tree.size_ = size;
  for (int level = 0; level < 64; ++level) {
    if (!BitSet(size, level)) continue;
    Result<Hash256> node =
        source.Node(static_cast<std::uint8_t>(level), (size >> level) - 1);
    if (!node.ok()) return node.status();
    tree.frontier_[level] = *node;
  }
  return tree;
}

std::vector<TreeNode> IncrementalTree::Append(std::string_view leaf_data) {
  std::vector<TreeNode> completed;
  Hash256 hash = LeafHash(leaf_data);
  std::uint64_t index = size_;
  int level = 0;
  completed.push_back({0, index, hash});
  // Each set low bit of the old size is a left sibling waiting for this one.
  while (BitSet(size_, level)) {
    hash = NodeHash(frontier_[level], hash);
    ++level;
    index >>= 1;
    completed.push_back({static_cast<std::uint8_t>(level), index, hash});
  }
  frontier_[level] = hash;
  ++size_;
  return completed;
}

Hash256 IncrementalTree::Root() const {
  if (size_ == 0) return EmptyTreeHash();
  Hash256 root{};
  bool have_right = false;
  for (int level = 0; level < 64; ++level) {
    if (!BitSet(size_, level)) continue;
    root = have_right ? NodeHash(frontier_[level], root) : frontier_[level];
    have_right = true;
  }
  return root;
}

}  // namespace exemplar::audit
