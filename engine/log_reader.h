// Reads the log forward: every event from a position up to a head, decoded
// with its hash checked (DecodeEventRecord) and chained (positions
// consecutive, each prev_hash the hash before it, the last hash the
// head's), in batches, with the sequential-scan read-ahead of a whole-log
// pass. The one scanner of the log behind the projections' rebuild
// (projections/log_scan.h), `audit verify` (engine/audit/verify.h),
// `export` and the time-travel folds of `replay`.
//
// Thread safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

class LogReader {
 public:
  // Reads positions `from` (at least 1) to `to.position` of `store`, which
  // must outlive the reader and hold them. The chain starts at the hash of
  // the event before `from` and must end at `to.hash`.
  LogReader(const EventStore& store, std::uint64_t from, Head to);
  ~LogReader();
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // Decodes the next events into `events`, resized to at most `max` (the
  // strings of the records it held keep their storage): none once the head
  // was read. On a fault `events` holds those before it, and the fault is
  // returned: kCorruption naming the first position that is missing, does
  // not decode, fails its hash, breaks the chain or stands in a block
  // RocksDB finds damaged (or the head's position, when the log does not
  // end at its hash), kIoError on another storage failure.
  // After a fault the reader reads nothing more.
  Status Next(std::vector<EventRecord>* events, std::size_t max);

  // Like Next, one event at a time, into `record`: true when one was read,
  // false at the end, or the fault (again, once there was one).
  Result<bool> Next(EventRecord* record);

  // The same reading in three steps, for callers that decode on other
  // threads (audit verify): NextStored hands over the stored bytes of up
  // to `max` next events, their positions checked (a missing one is the
  // fault, with `batch` holding those before it); Decode decodes them with
  // their hashes checked, on any thread; and Chain, called with every
  // record in position order, checks the chain and the head.
  struct StoredBatch {
    std::uint64_t first = 0;  // position of bytes[0]
    std::vector<std::string> bytes;
  };
  Status NextStored(StoredBatch* batch, std::size_t max);
  // On a fault, `events` holds the records before it.
  static Status Decode(const StoredBatch& batch,
                       std::vector<EventRecord>* events);
  Status Chain(const EventRecord& record);

  // The position the next event read will have.
  std::uint64_t next_position() const { return next_; }
  bool done() const { return next_ > to_.position || !fault_.ok(); }

 private:
  class Cursor;  // the storage iterator, engine/log_reader.cc
  Status ReadOne(EventRecord* record);

  const EventStore& store_;
  const Head to_;
  std::uint64_t next_;
  Hash256 previous_{};  // hash of the last record chained
  Status fault_;
  std::unique_ptr<Cursor> cursor_;
};

}  // namespace exemplar
