#include "engine/audit/audit_log.h"

#include "events/clock.h"

namespace exemplar::audit {

AuditLog::AuditLog(EventStore* store, std::unique_ptr<HeadSigner> signer,
                   AuditLogOptions options)
    : store_(store),
      signer_(std::move(signer)),
      options_(std::move(options)),
      tree_(*store) {
  if (!options_.clock) options_.clock = SystemClockMicros;
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(
    EventStore* store, std::unique_ptr<HeadSigner> signer,
    AuditLogOptions options) {
  std::unique_ptr<AuditLog> log(
      new AuditLog(store, std::move(signer), std::move(options)));
  auto last = LoadLatestSignedHead(store->side_store());
  if (!last.ok()) return last.status();
  if (last->has_value()) {
    log->signer_->ContinueFrom(**last);
    log->last_ = **last;
  }
  return log;
}

Result<SignedTreeHead> AuditLog::Head(bool force) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto size = tree_.TreeSize();
  if (!size.ok()) return size.status();
  std::int64_t now = options_.clock();
  bool grown = !last_ || last_->tree_size < *size;
  bool due =
      !last_ || now - last_->timestamp_us >= options_.min_head_interval_us;
  if (last_ && !(grown && (due || force))) return *last_;
  auto root = tree_.Root(*size);
  if (!root.ok()) return root.status();
  auto head = signer_->Sign(*size, *root, now);
  if (!head.ok()) return head.status();
  EXEMPLAR_RETURN_IF_ERROR(PutSignedHead(store_->side_store(), *head));
  last_ = *head;
  return *head;
}

}  // namespace exemplar::audit
