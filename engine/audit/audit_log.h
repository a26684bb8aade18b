// The audit side of a store: signed tree heads over its Merkle tree, whose
// roots and proofs it reads through a TreeReader (tree_reader.h).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <mutex>

#include "engine/audit/merkle.h"
#include "engine/audit/signed_head.h"
#include "engine/audit/tree_reader.h"
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

  // Roots and proofs of the tree the heads sign.
  const TreeReader& tree() const { return tree_; }

  const HeadSigner& signer() const { return *signer_; }

 private:
  AuditLog(EventStore* store, std::unique_ptr<HeadSigner> signer,
           AuditLogOptions options);

  EventStore* store_;
  std::unique_ptr<HeadSigner> signer_;
  AuditLogOptions options_;
  TreeReader tree_;
  std::mutex mutex_;
  std::optional<SignedTreeHead> last_;  // guarded by mutex_
};

}  // namespace exemplar::audit
