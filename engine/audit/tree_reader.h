// A read-only view of a store's Merkle tree (engine/audit/rocksdb_nodes.h):
// roots and inclusion and consistency proofs, in terms of log positions
// (the event at position p is leaf p - 1). Holds no signing key: the proof
// routes and `import` read the tree through it; AuditLog adds the signed
// heads.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>

#include "engine/audit/merkle.h"
#include "engine/audit/rocksdb_nodes.h"
#include "engine/event_store.h"

namespace exemplar::audit {

class TreeReader {
 public:
  // `store` must outlive the reader.
  explicit TreeReader(const EventStore& store);

  // The number of events the stored tree covers.
  Result<std::uint64_t> TreeSize() const;
  // Root of the tree of the first `tree_size` events. kInvalidArgument when
  // tree_size is past the stored tree.
  Result<Hash256> Root(std::uint64_t tree_size) const;
  // Inclusion proof of the event at `position` in the tree of `tree_size`
  // events. kInvalidArgument when position is 0 or past tree_size, or
  // tree_size is past the log.
  Result<InclusionProofData> Inclusion(std::uint64_t position,
                                       std::uint64_t tree_size) const;
  // Consistency proof between tree sizes `from` and `to`.
  Result<ConsistencyProofData> Consistency(std::uint64_t from,
                                           std::uint64_t to) const;

 private:
  const EventStore& store_;
  RocksDbNodeSource nodes_;
};

}  // namespace exemplar::audit
