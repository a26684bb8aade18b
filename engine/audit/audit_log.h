// The audit side of a store: its Merkle tree, signed tree heads and proofs,
// in terms of log positions (event at position p is leaf p - 1).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <mutex>

#include "engine/audit/merkle.h"
#include "engine/audit/rocksdb_nodes.h"
#include "engine/audit/signed_head.h"
#include "engine/event_store.h"

namespace exemplar::audit {

struct AuditLogOptions {
  // A new head is signed when the tree has grown and the last head is at
  // least this old; otherwise the last head is returned. Default 10 s.
  std::int64_t min_head_interval_us = 10'000'000;
  // Clock for head timestamps, UTC microseconds. Default: the system clock.
  std::function<std::int64_t()> clock;
};

class AuditLog {
 public:
  // `store` must outlive the AuditLog. Loads the last stored head so that
  // sizes and timestamps keep increasing across restarts.
  static Result<std::unique_ptr<AuditLog>> Open(
      EventStore* store, std::unique_ptr<HeadSigner> signer,
      AuditLogOptions options = {});

  // The latest signed head, signing a new one when the tree has grown and
  // the interval has passed (or `force`). Every head signed is stored.
  Result<SignedTreeHead> Head(bool force = false);

  // Inclusion proof of the event at `position` in the tree of `tree_size`
  // events. kInvalidArgument when position is 0 or past tree_size, or
  // tree_size is past the log.
  Result<InclusionProofData> Inclusion(std::uint64_t position,
                                       std::uint64_t tree_size) const;
  // Consistency proof between tree sizes `from` and `to`.
  Result<ConsistencyProofData> Consistency(std::uint64_t from,
                                           std::uint64_t to) const;
  // Root of the tree of the first `tree_size` events.
  Result<Hash256> Root(std::uint64_t tree_size) const;

  const HeadSigner& signer() const { return *signer_; }

 private:
  AuditLog(EventStore* store, std::unique_ptr<HeadSigner> signer,
           AuditLogOptions options);

  EventStore* store_;
  std::unique_ptr<HeadSigner> signer_;
  AuditLogOptions options_;
  RocksDbNodeSource nodes_;
  std::mutex mutex_;
  std::optional<SignedTreeHead> last_;  // guarded by mutex_
};

}  // namespace exemplar::audit
