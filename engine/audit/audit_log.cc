#include "engine/audit/audit_log.h"

#include "engine/keys.h"
#include "events/clock.h"

namespace exemplar::audit {

AuditLog::AuditLog(EventStore* store, std::unique_ptr<HeadSigner> signer,
                   AuditLogOptions options)
    : store_(store),
      signer_(std::move(signer)),
      options_(std::move(options)),
      nodes_(store->db(), store->family(keys::kAuditFamily),
             store->family(keys::kEventsFamily)) {
  if (!options_.clock) options_.clock = SystemClockMicros;
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(
    EventStore* store, std::unique_ptr<HeadSigner> signer,
    AuditLogOptions options) {
  std::unique_ptr<AuditLog> log(
      new AuditLog(store, std::move(signer), std::move(options)));
  auto last =
      LoadLatestSignedHead(store->db(), store->family(keys::kAuditFamily));
  if (!last.ok()) return last.status();
  if (last->has_value()) {
    log->signer_->ContinueFrom(**last);
    log->last_ = **last;
  }
  return log;
}

Result<Hash256> AuditLog::Root(std::uint64_t tree_size) const {
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

Result<SignedTreeHead> AuditLog::Head(bool force) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto size = nodes_.TreeSize();
  if (!size.ok()) return size.status();
  std::int64_t now = options_.clock();
  bool grown = !last_ || last_->tree_size < *size;
  bool due =
      !last_ || now - last_->timestamp_us >= options_.min_head_interval_us;
  if (last_ && !(grown && (due || force))) return *last_;
  auto root = TreeHash(nodes_, 0, *size);
  if (!root.ok()) return root.status();
  auto head = signer_->Sign(*size, *root, now);
  if (!head.ok()) return head.status();
  EXEMPLAR_RETURN_IF_ERROR(
      PutSignedHead(store_->db(), store_->family(keys::kAuditFamily), *head));
  last_ = *head;
  return *head;
}

Result<InclusionProofData> AuditLog::Inclusion(std::uint64_t position,
                                               std::uint64_t tree_size) const {
  if (position == 0 || position > tree_size) {
    return Status::InvalidArgument(
        "position must be between 1 and the tree size", "position");
  }
  auto path = InclusionProof(nodes_, position - 1, tree_size);
  if (!path.ok()) return path.status();
  auto event = store_->ReadEvent(position);
  if (!event.ok()) return event.status();
  InclusionProofData proof;
  proof.leaf_index = position - 1;
  proof.tree_size = tree_size;
  proof.event_hash = event->hash;
  proof.path = std::move(path).value();
  return proof;
}

Result<ConsistencyProofData> AuditLog::Consistency(std::uint64_t from,
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
