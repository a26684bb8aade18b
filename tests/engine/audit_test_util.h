// Helpers for the audit tests: an in-memory NodeSource fed by an
// IncrementalTree, and a naive RFC 6962 reference built straight from the
// recursive definitions, to cross-check the real code against.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/audit/merkle.h"
#include "events/sha256.h"

namespace exemplar::audit::testing {

// Bytes from hex, for test data of any length.
inline std::string Unhex(std::string_view hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

inline Hash256 H(std::string_view hex) {
  Hash256 hash{};
  FromHex(hex, &hash);
  return hash;
}

// A stand-in event hash for leaf `i`.
inline Hash256 FakeEventHash(std::uint64_t i) {
  return Sha256({"event", std::to_string(i)});
}

// Stores every node an IncrementalTree reports, and counts reads.
class MemoryNodeSource : public NodeSource {
 public:
  void Append(std::string_view leaf_data) {
    for (const TreeNode& node : tree_.Append(leaf_data)) {
      nodes_[{node.level, node.index}] = node.hash;
    }
  }
  Result<std::uint64_t> TreeSize() const override { return tree_.size(); }
  Result<Hash256> Node(std::uint8_t level, std::uint64_t index) const override {
    ++reads_;
    auto it = nodes_.find({level, index});
    if (it == nodes_.end()) return Status::NotFound("no such node");
    return it->second;
  }
  const IncrementalTree& tree() const { return tree_; }
  size_t reads() const { return reads_; }
  void ResetReads() { reads_ = 0; }

 private:
  IncrementalTree tree_;
  std::map<std::pair<std::uint8_t, std::uint64_t>, Hash256> nodes_;
  mutable size_t reads_ = 0;
};

// k of RFC 6962 for n >= 2, found the slow way.
inline std::uint64_t NaiveSplit(std::uint64_t n) {
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// MTH(D[begin:end]) over leaf hashes, by the recursive definition.
inline Hash256 NaiveMth(const std::vector<Hash256>& leaves, std::uint64_t begin,
                        std::uint64_t end) {
  if (end == begin) return Sha256({});
  if (end - begin == 1) return leaves[begin];
  std::uint64_t k = NaiveSplit(end - begin);
  return NodeHash(NaiveMth(leaves, begin, begin + k),
                  NaiveMth(leaves, begin + k, end));
}

// PATH(m, D[begin:end]) by the recursive definition; m is relative.
inline std::vector<Hash256> NaivePath(const std::vector<Hash256>& leaves,
                                      std::uint64_t m, std::uint64_t begin,
                                      std::uint64_t end) {
  if (end - begin <= 1) return {};
  std::uint64_t k = NaiveSplit(end - begin);
  std::vector<Hash256> path;
  if (m < k) {
    path = NaivePath(leaves, m, begin, begin + k);
    path.push_back(NaiveMth(leaves, begin + k, end));
  } else {
    path = NaivePath(leaves, m - k, begin + k, end);
    path.push_back(NaiveMth(leaves, begin, begin + k));
  }
  return path;
}

// SUBPROOF(m, D[begin:end], whole) by the recursive definition.
inline std::vector<Hash256> NaiveSubproof(const std::vector<Hash256>& leaves,
                                          std::uint64_t m, std::uint64_t begin,
                                          std::uint64_t end, bool whole) {
  if (m == end - begin) {
    if (whole) return {};
    return {NaiveMth(leaves, begin, end)};
  }
  std::uint64_t k = NaiveSplit(end - begin);
  std::vector<Hash256> proof;
  if (m <= k) {
    proof = NaiveSubproof(leaves, m, begin, begin + k, whole);
    proof.push_back(NaiveMth(leaves, begin + k, end));
  } else {
    proof = NaiveSubproof(leaves, m - k, begin + k, end, false);
    proof.push_back(NaiveMth(leaves, begin, begin + k));
  }
  return proof;
}

// A fresh, empty directory under the test temp dir, removed by the caller.
inline std::filesystem::path MakeTempDir(const std::string& name) {
  std::filesystem::path base = std::filesystem::temp_directory_path();
  std::string pattern = (base / (name + "-XXXXXX")).string();
  char* made = ::mkdtemp(pattern.data());
  return made == nullptr ? std::filesystem::path()
                         : std::filesystem::path(made);
}

}  // namespace exemplar::audit::testing
