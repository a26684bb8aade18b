// The Merkle tree against RFC 6962's definitions and the Certificate
// Transparency reference vectors, exhaustively over small trees.
#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <vector>

#include "engine/audit/merkle.h"
#include "tests/engine/audit_test_util.h"

namespace exemplar::audit {
namespace {

using testing::FakeEventHash;
using testing::H;
using testing::MemoryNodeSource;
using testing::NaiveMth;
using testing::NaivePath;
using testing::NaiveSubproof;
using testing::Unhex;

// The eight leaves used by Certificate Transparency implementations.
const std::vector<std::string>& CtLeaves() {
  static const auto* leaves = new std::vector<std::string>{
      Unhex(""),
      Unhex("00"),
      Unhex("10"),
      Unhex("2021"),
      Unhex("3031"),
      Unhex("40414243"),
      Unhex("5051525354555657"),
      Unhex("606162636465666768696a6b6c6d6e6f"),
  };
  return *leaves;
}

// CtRoots()[n] is the root of the first n CT leaves.
const std::vector<Hash256>& CtRoots() {
  static const auto* roots = new std::vector<Hash256>{
      H("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
      H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
      H("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
      H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
      H("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
      H("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
      H("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
      H("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
  };
  return *roots;
}

MemoryNodeSource CtTree() {
  MemoryNodeSource source;
  for (const std::string& leaf : CtLeaves()) source.Append(leaf);
  return source;
}

// A tree of `size` leaves whose data are fake event hashes, and those
// leaves' hashes for the naive reference.
struct TestTree {
  MemoryNodeSource source;
  std::vector<Hash256> leaf_hashes;
};

TestTree MakeTree(std::uint64_t size) {
  TestTree tree;
  for (std::uint64_t i = 0; i < size; ++i) {
    Hash256 event_hash = FakeEventHash(i);
    tree.source.Append(AsBytes(event_hash));
    tree.leaf_hashes.push_back(LeafHash(AsBytes(event_hash)));
  }
  return tree;
}

TEST(MerkleKnownAnswerTest, EmptyTreeHashIsSha256OfNothing) {
  EXPECT_EQ(ToHex(EmptyTreeHash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(IncrementalTree().Root(), EmptyTreeHash());
  MemoryNodeSource empty;
  EXPECT_EQ(*TreeHash(empty, 0, 0), EmptyTreeHash());
}

TEST(MerkleKnownAnswerTest, RootsOfCtLeavesMatchReferenceForSizes0To8) {
  MemoryNodeSource source = CtTree();
  IncrementalTree tree;
  for (size_t n = 0; n <= 8; ++n) {
    EXPECT_EQ(ToHex(tree.Root()), ToHex(CtRoots()[n])) << "size " << n;
    Result<Hash256> stored = TreeHash(source, 0, n);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    EXPECT_EQ(ToHex(*stored), ToHex(CtRoots()[n])) << "size " << n;
    if (n < 8) tree.Append(CtLeaves()[n]);
  }
}

struct InclusionVector {
  std::uint64_t leaf_index;
  std::uint64_t tree_size;
  std::vector<Hash256> path;
};

const std::vector<InclusionVector>& CtInclusionVectors() {
  static const auto* vectors = new std::vector<InclusionVector>{
      {0,
       8,
       {H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
      {5,
       8,
       {H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
      {2,
       3,
       {H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")}},
      {1,
       5,
       {H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
      {0, 1, {}},
  };
  return *vectors;
}

TEST(MerkleKnownAnswerTest, InclusionProofsOfCtLeavesMatchReference) {
  MemoryNodeSource source = CtTree();
  for (const InclusionVector& v : CtInclusionVectors()) {
    SCOPED_TRACE("leaf " + std::to_string(v.leaf_index) + " of " +
                 std::to_string(v.tree_size));
    Result<std::vector<Hash256>> proof =
        InclusionProof(source, v.leaf_index, v.tree_size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, v.path);
    Status verified =
        VerifyInclusion(LeafHash(CtLeaves()[v.leaf_index]), v.leaf_index,
                        v.tree_size, v.path, CtRoots()[v.tree_size]);
    EXPECT_TRUE(verified.ok()) << verified.ToString();
  }
}

struct ConsistencyVector {
  std::uint64_t first_size;
  std::uint64_t second_size;
  std::vector<Hash256> path;
};

const std::vector<ConsistencyVector>& CtConsistencyVectors() {
  static const auto* vectors = new std::vector<ConsistencyVector>{
      {1, 1, {}},
      {1,
       8,
       {H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
      {6,
       8,
       {H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
      {2,
       5,
       {H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
      {6,
       7,
       {H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        H("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
  };
  return *vectors;
}

TEST(MerkleKnownAnswerTest, ConsistencyProofsOfCtLeavesMatchReference) {
  MemoryNodeSource source = CtTree();
  for (const ConsistencyVector& v : CtConsistencyVectors()) {
    SCOPED_TRACE(std::to_string(v.first_size) + " -> " +
                 std::to_string(v.second_size));
    Result<std::vector<Hash256>> proof =
        ConsistencyProof(source, v.first_size, v.second_size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, v.path);
    Status verified =
        VerifyConsistency(v.first_size, v.second_size, CtRoots()[v.first_size],
                          CtRoots()[v.second_size], v.path);
    EXPECT_TRUE(verified.ok()) << verified.ToString();
  }
}

TEST(MerkleProofTest, EveryInclusionProofVerifiesForTreeSizes1To257) {
  constexpr std::uint64_t kMaxSize = 257;
  constexpr std::uint64_t kNaiveUpTo = 64;  // naive paths are O(n) each
  TestTree tree = MakeTree(kMaxSize);
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    Hash256 root = NaiveMth(tree.leaf_hashes, 0, n);
    ASSERT_EQ(*TreeHash(tree.source, 0, n), root) << "size " << n;
    for (std::uint64_t i = 0; i < n; ++i) {
      Result<std::vector<Hash256>> proof = InclusionProof(tree.source, i, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      if (n <= kNaiveUpTo) {
        ASSERT_EQ(*proof, NaivePath(tree.leaf_hashes, i, 0, n))
            << "leaf " << i << " of " << n;
      }
      Status verified =
          VerifyInclusion(tree.leaf_hashes[i], i, n, *proof, root);
      ASSERT_TRUE(verified.ok())
          << "leaf " << i << " of " << n << ": " << verified.ToString();
    }
  }
}

TEST(MerkleProofTest, EveryConsistencyProofVerifiesForSizesUpTo64) {
  constexpr std::uint64_t kMaxSize = 64;
  TestTree tree = MakeTree(kMaxSize);
  std::vector<Hash256> roots;
  for (std::uint64_t n = 0; n <= kMaxSize; ++n) {
    roots.push_back(NaiveMth(tree.leaf_hashes, 0, n));
  }
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    for (std::uint64_t m = 1; m <= n; ++m) {
      Result<std::vector<Hash256>> proof = ConsistencyProof(tree.source, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, NaiveSubproof(tree.leaf_hashes, m, 0, n, true))
          << m << " -> " << n;
      Status verified = VerifyConsistency(m, n, roots[m], roots[n], *proof);
      ASSERT_TRUE(verified.ok())
          << m << " -> " << n << ": " << verified.ToString();
    }
  }
}

TEST(MerkleProofTest, ProofsReadLogarithmicallyManyNodes) {
  constexpr std::uint64_t kSize = 100'003;
  MemoryNodeSource source;
  for (std::uint64_t i = 0; i < kSize; ++i) {
    source.Append(AsBytes(FakeEventHash(i)));
  }
  const size_t log_n = std::bit_width(kSize);  // 17
  for (std::uint64_t leaf :
       {std::uint64_t{0}, std::uint64_t{77'777}, kSize - 1}) {
    source.ResetReads();
    ASSERT_TRUE(InclusionProof(source, leaf, kSize).ok());
    EXPECT_LE(source.reads(), 2 * log_n) << "leaf " << leaf;
  }
  source.ResetReads();
  ASSERT_TRUE(ConsistencyProof(source, 65'537, kSize).ok());
  EXPECT_LE(source.reads(), 3 * log_n);
  source.ResetReads();
  ASSERT_TRUE(TreeHash(source, 0, kSize).ok());
  EXPECT_LE(source.reads(), log_n);
}

TEST(MerkleProofTest, OutOfRangeArgumentsAreRejected) {
  MemoryNodeSource source = CtTree();
  EXPECT_EQ(InclusionProof(source, 8, 8).status().field(), "leaf_index");
  EXPECT_EQ(InclusionProof(source, 0, 0).status().field(), "leaf_index");
  EXPECT_EQ(InclusionProof(source, 0, 9).status().field(), "tree_size");
  EXPECT_EQ(ConsistencyProof(source, 0, 8).status().field(), "first_size");
  EXPECT_EQ(ConsistencyProof(source, 5, 4).status().field(), "first_size");
  EXPECT_EQ(ConsistencyProof(source, 4, 9).status().field(), "tree_size");
  EXPECT_EQ(TreeHash(source, 1, 3).status().code(),
            StatusCode::kInvalidArgument);  // not a subtree boundary
  EXPECT_EQ(TreeHash(source, 5, 4).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(TreeHash(source, 8, 9).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(IncrementalTree::Restore(source, 9).status().field(), "tree_size");
}

TEST(MerkleProofTest, ConsistencyWithTheEmptyTreeIsRejected) {
  EXPECT_FALSE(
      VerifyConsistency(0, 0, EmptyTreeHash(), EmptyTreeHash(), {}).ok());
  EXPECT_FALSE(VerifyConsistency(0, 1, EmptyTreeHash(), CtRoots()[1], {}).ok());
}

TEST(MerkleProofTest, EqualSizesNeedEqualRootsAndTheEmptyProof) {
  EXPECT_TRUE(VerifyConsistency(3, 3, CtRoots()[3], CtRoots()[3], {}).ok());
  EXPECT_FALSE(VerifyConsistency(3, 3, CtRoots()[3], CtRoots()[4], {}).ok());
  EXPECT_FALSE(
      VerifyConsistency(3, 3, CtRoots()[3], CtRoots()[3], {CtRoots()[3]}).ok());
  EXPECT_FALSE(VerifyConsistency(4, 3, CtRoots()[4], CtRoots()[3], {}).ok());
}

TEST(MerkleProofTest, SingleLeafTreeNeedsTheEmptyInclusionProof) {
  Hash256 leaf = LeafHash("data");
  EXPECT_TRUE(VerifyInclusion(leaf, 0, 1, {}, leaf).ok());
  EXPECT_FALSE(VerifyInclusion(leaf, 0, 1, {leaf}, NodeHash(leaf, leaf)).ok());
  EXPECT_FALSE(VerifyInclusion(leaf, 1, 1, {}, leaf).ok());
  EXPECT_FALSE(VerifyInclusion(leaf, 0, 0, {}, leaf).ok());
  EXPECT_FALSE(VerifyInclusion(leaf, 0, 1, {}, EmptyTreeHash()).ok());
}

// Variants of a valid proof that must all fail.
std::vector<std::vector<Hash256>> TamperedPaths(
    const std::vector<Hash256>& path, const std::vector<Hash256>& extras) {
  std::vector<std::vector<Hash256>> tampered;
  for (size_t i = 0; i < path.size(); ++i) {
    for (int bit : {0, 3, 7}) {
      std::vector<Hash256> flipped = path;
      flipped[i][i % 32] ^= static_cast<std::uint8_t>(1 << bit);
      tampered.push_back(flipped);
    }
  }
  if (!path.empty()) {
    tampered.emplace_back(path.begin(), path.end() - 1);  // truncated
    tampered.emplace_back(path.begin() + 1, path.end());  // first dropped
    tampered.push_back({});                               // emptied
    std::vector<Hash256> doubled_first = path;
    doubled_first.insert(doubled_first.begin(), path.front());
    tampered.push_back(doubled_first);
  }
  if (path.size() > 1) {
    std::vector<Hash256> swapped = path;
    std::swap(swapped[0], swapped[1]);
    if (swapped != path) tampered.push_back(swapped);
  }
  for (const Hash256& extra : extras) {
    std::vector<Hash256> appended = path;
    appended.push_back(extra);
    tampered.push_back(appended);
    std::vector<Hash256> prepended = path;
    prepended.insert(prepended.begin(), extra);
    tampered.push_back(prepended);
  }
  return tampered;
}

TEST(MerkleCorruptionTest, TamperedInclusionProofsFail) {
  constexpr std::uint64_t kMaxSize = 40;
  TestTree tree = MakeTree(2 * kMaxSize);
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    Hash256 root = NaiveMth(tree.leaf_hashes, 0, n);
    for (std::uint64_t i = 0; i < n; ++i) {
      std::vector<Hash256> path = *InclusionProof(tree.source, i, n);
      const Hash256& leaf = tree.leaf_hashes[i];
      std::string where =
          "leaf " + std::to_string(i) + " of " + std::to_string(n);
      for (const auto& bad : TamperedPaths(path, {root, Hash256{}, leaf})) {
        if (bad.empty() && path.empty()) continue;
        EXPECT_FALSE(VerifyInclusion(leaf, i, n, bad, root).ok()) << where;
      }
      EXPECT_FALSE(VerifyInclusion(leaf, i + 1, n, path, root).ok()) << where;
      EXPECT_FALSE(VerifyInclusion(leaf, i - 1, n, path, root).ok()) << where;
      EXPECT_FALSE(VerifyInclusion(leaf, i, 2 * n, path, root).ok()) << where;
      EXPECT_FALSE(VerifyInclusion(leaf, i, n / 2, path, root).ok()) << where;
      EXPECT_FALSE(VerifyInclusion(tree.leaf_hashes[(i + 1) % (2 * kMaxSize)],
                                   i, n, path, root)
                       .ok())
          << where;
      EXPECT_FALSE(VerifyInclusion(leaf, i, n, path,
                                   NaiveMth(tree.leaf_hashes, 0, n + 1))
                       .ok())
          << where;
    }
  }
}

TEST(MerkleCorruptionTest, TamperedConsistencyProofsFail) {
  constexpr std::uint64_t kMaxSize = 40;
  TestTree tree = MakeTree(2 * kMaxSize);
  std::vector<Hash256> roots;
  for (std::uint64_t n = 0; n <= 2 * kMaxSize; ++n) {
    roots.push_back(NaiveMth(tree.leaf_hashes, 0, n));
  }
  for (std::uint64_t n = 2; n <= kMaxSize; ++n) {
    for (std::uint64_t m = 1; m < n; ++m) {
      std::vector<Hash256> path = *ConsistencyProof(tree.source, m, n);
      const Hash256& r1 = roots[m];
      const Hash256& r2 = roots[n];
      std::string where = std::to_string(m) + " -> " + std::to_string(n);
      for (const auto& bad : TamperedPaths(path, {r1, r2, Hash256{}})) {
        EXPECT_FALSE(VerifyConsistency(m, n, r1, r2, bad).ok()) << where;
      }
      EXPECT_FALSE(VerifyConsistency(m - 1, n, r1, r2, path).ok()) << where;
      EXPECT_FALSE(VerifyConsistency(m + 1, n, r1, r2, path).ok()) << where;
      // Not n +- 1: a path can fit a neighbouring size's shape too; it is
      // the signed root that binds the size.
      EXPECT_FALSE(VerifyConsistency(m, 2 * n, r1, r2, path).ok()) << where;
      EXPECT_FALSE(VerifyConsistency(m, n / 2, r1, r2, path).ok()) << where;
      EXPECT_FALSE(VerifyConsistency(m, n, r2, r1, path).ok()) << where;
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m + 1], r2, path).ok())
          << where;
      EXPECT_FALSE(VerifyConsistency(m, n, r1, roots[n + 1], path).ok())
          << where;
    }
  }
}

TEST(MerkleIncrementalTreeTest, RootEqualsNaiveMthForSizes0To300) {
  std::vector<Hash256> leaf_hashes;
  IncrementalTree tree;
  for (std::uint64_t n = 0; n <= 300; ++n) {
    ASSERT_EQ(tree.size(), n);
    ASSERT_EQ(tree.Root(), NaiveMth(leaf_hashes, 0, n)) << "size " << n;
    Hash256 event_hash = FakeEventHash(n);
    tree.Append(AsBytes(event_hash));
    leaf_hashes.push_back(LeafHash(AsBytes(event_hash)));
  }
}

TEST(MerkleIncrementalTreeTest, AppendReportsTheLeafAndEveryCompletedParent) {
  IncrementalTree tree;
  for (int i = 0; i < 7; ++i) tree.Append(CtLeaves()[i]);
  // Leaf 7 completes (1, 3), (2, 1) and the whole tree (3, 0).
  std::vector<TreeNode> completed = tree.Append(CtLeaves()[7]);
  ASSERT_EQ(completed.size(), 4u);
  EXPECT_EQ(completed[0].level, 0);
  EXPECT_EQ(completed[0].index, 7u);
  EXPECT_EQ(completed[0].hash, LeafHash(CtLeaves()[7]));
  EXPECT_EQ(completed[1].level, 1);
  EXPECT_EQ(completed[1].index, 3u);
  EXPECT_EQ(completed[2].level, 2);
  EXPECT_EQ(completed[2].index, 1u);
  EXPECT_EQ(completed[3].level, 3);
  EXPECT_EQ(completed[3].index, 0u);
  EXPECT_EQ(completed[3].hash, CtRoots()[8]);
  // Leaf 8 completes nothing above itself.
  EXPECT_EQ(tree.Append("x").size(), 1u);
}

TEST(MerkleIncrementalTreeTest, RestoredFromSourceEqualsLiveTree) {
  TestTree live = MakeTree(300);
  for (std::uint64_t n : {0, 1, 2, 3, 7, 8, 9, 64, 127, 128, 255, 299, 300}) {
    Result<IncrementalTree> restored = IncrementalTree::Restore(live.source, n);
    ASSERT_TRUE(restored.ok()) << restored.status().ToString();
    EXPECT_EQ(restored->size(), n);
    EXPECT_EQ(restored->Root(), NaiveMth(live.leaf_hashes, 0, n)) << n;
  }
  Result<IncrementalTree> restored = IncrementalTree::Restore(live.source, 300);
  ASSERT_TRUE(restored.ok());
  IncrementalTree copy = live.source.tree();
  for (std::uint64_t i = 300; i < 340; ++i) {
    Hash256 event_hash = FakeEventHash(i);
    ASSERT_EQ(restored->Append(AsBytes(event_hash)),
              copy.Append(AsBytes(event_hash)));
  }
  EXPECT_EQ(restored->Root(), copy.Root());
}

TEST(MerkleIncrementalTreeTest, RollbackToACopyUndoesAppends) {
  TestTree tree = MakeTree(13);
  IncrementalTree live = tree.source.tree();
  IncrementalTree saved = live;
  for (int i = 0; i < 20; ++i) live.Append("rolled back");
  live = saved;
  EXPECT_EQ(live.size(), 13u);
  EXPECT_EQ(live.Root(), NaiveMth(tree.leaf_hashes, 0, 13));
  Hash256 next = FakeEventHash(13);
  live.Append(AsBytes(next));
  tree.leaf_hashes.push_back(LeafHash(AsBytes(next)));
  EXPECT_EQ(live.Root(), NaiveMth(tree.leaf_hashes, 0, 14));
}

}  // namespace
}  // namespace exemplar::audit
