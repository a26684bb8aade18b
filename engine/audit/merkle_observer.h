// Keeps the stored Merkle tree in step with the log: the store's sequencer
// calls it inside each group commit, and it adds, for every sealed event,
// the tree nodes its hash completes to the same WriteBatch as the event, so
// the events and their tree are committed together or not at all.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "engine/audit/merkle.h"
#include "engine/audit/rocksdb_nodes.h"  // the nodes' stored form
#include "events/envelope.h"

namespace exemplar::audit {

class MerkleObserver {
 public:
  // Restores the frontier from the nodes stored in `audit_family` (and the
  // leaves' events in `events_family`) at the stored tree size (O(log n)
  // reads). `db` and `audit_family` must outlive the observer. The store should
  // check that size() equals its head position before its first append. Errors:
  // those of RocksDbNodeSource.
  static Result<std::unique_ptr<MerkleObserver>> Open(
      rocksdb::DB* db, rocksdb::ColumnFamilyHandle* audit_family,
      rocksdb::ColumnFamilyHandle* events_family);

  // Appends each event's hash as the next leaf and adds the completed nodes
  // above the leaves and the new tree size to `batch`.
  // O(log n) per event. Fails with kInternal when an event's position is not
  // the tree size + 1, and with kIoError when the batch refuses an entry; on
  // failure the frontier is unchanged and the caller must discard the batch.
  // Called on the sequencer thread.
  Status OnSealed(const std::vector<const EventRecord*>& events,
                  rocksdb::WriteBatch* batch);

  // The batch could not be written: restores the frontier from before the
  // last OnSealed.
  void OnAborted();

  // A copy of the frontier as of the last OnSealed or OnAborted: it may
  // include events whose batch is not yet written, so it is not what to sign.
  // Thread-safe.
  IncrementalTree tree() const;

 private:
  MerkleObserver(rocksdb::ColumnFamilyHandle* audit_family,
                 IncrementalTree tree);
  // Appends `events` to tree_ and their nodes to `batch`; mutex_ held.
  Status AppendLocked(const std::vector<const EventRecord*>& events,
                      rocksdb::WriteBatch* batch);

  rocksdb::ColumnFamilyHandle* audit_family_;
  mutable std::mutex mutex_;
  IncrementalTree tree_;    // guarded by mutex_
  IncrementalTree before_;  // tree_ before the last OnSealed; guarded
};

}  // namespace exemplar::audit
