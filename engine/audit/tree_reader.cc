#include "engine/audit/tree_reader.h"

#include <string>

#include "engine/internal/layout.h"
#include "engine/internal/store_internals.h"

namespace exemplar::audit {

TreeReader::TreeReader(const EventStore& store)
    : store_(store),
      nodes_(StoreInternals::db(store),
             StoreInternals::family(store, layout::kAuditFamily),
             StoreInternals::family(store, layout::kEventsFamily)) {}

Result<std::uint64_t> TreeReader::TreeSize() const { return nodes_.TreeSize(); }

Result<Hash256> TreeReader::Root(std::uint64_t tree_size) const {
  auto stored = nodes_.TreeSize();
  if (!stored.ok()) return stored.status();
  if (tree_size > *stored) {
    return Status::InvalidArgument("tree size " + std::to_string(tree_size) +
                                       " is past the log's " +
                                       std::to_string(*stored),
                                   "tree_size");
  }
  return TreeHash(nodes_, 0, tree_size);
}

Result<InclusionProofData> TreeReader::Inclusion(
    std::uint64_t position, std::uint64_t tree_size) const {
  if (position == 0 || position > tree_size) {
    return Status::InvalidArgument(
        "position must be between 1 and the tree size", "position");
  }
  auto path = InclusionProof(nodes_, position - 1, tree_size);
  if (!path.ok()) return path.status();
  auto event = store_.ReadEvent(position);
  if (!event.ok()) return event.status();
  InclusionProofData proof;
  proof.leaf_index = position - 1;
  proof.tree_size = tree_size;
  proof.event_hash = event->hash;
  proof.path = std::move(path).value();
  return proof;
}

Result<ConsistencyProofData> TreeReader::Consistency(std::uint64_t from,
                                                     std::uint64_t to) const {
  auto path = ConsistencyProof(nodes_, from, to);
  if (!path.ok()) return path.status();
  ConsistencyProofData proof;
  proof.first_size = from;
  proof.second_size = to;
  proof.path = std::move(path).value();
  return proof;
}

}  // namespace exemplar::audit
