// Reading the whole log ahead of a rebuild. A thread of its own scans the
// events family forward (readahead, no block cache), decodes each record
// with its hash checked (DecodeEventRecord), checks the chain (positions
// 1, 2, 3, ... and each prev_hash the hash before it, the last one the
// head's) and hands the records over in batches through a bounded queue, so
// reading and decoding on one core overlap folding on the other. Private to
// projections/.
//
// Thread safety: one consumer thread calls Next.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/event_store.h"
#include "events/status.h"

namespace rocksdb {
class Iterator;
}  // namespace rocksdb

namespace exemplar::projections {

struct LogScanOptions {
  // Records per handed-over batch. Default 4,096.
  std::size_t batch_events = 4096;
  // Batches decoded ahead of the consumer, at most. Default 2.
  std::size_t batches_ahead = 2;
};

class LogScan {
 public:
  // Starts reading positions 1 to `head.position` of `store`, which must
  // outlive the scan and hold at least that many events.
  LogScan(const EventStore& store, Head head, LogScanOptions options = {});
  // Stops the reading thread, dropping what it read ahead.
  ~LogScan();
  LogScan(const LogScan&) = delete;
  LogScan& operator=(const LogScan&) = delete;

  // The next records in position order; empty once the head was handed
  // over. Every record before a fault is handed over before the fault is
  // returned: kCorruption naming the first position that is missing, does
  // not decode, fails its hash or breaks the chain (or the head, when the
  // log does not end at its hash), kIoError on a RocksDB failure.
  Result<std::vector<EventRecord>> Next();

 private:
  // Records, or the fault that ends the scan (with no records).
  struct Item {
    std::vector<EventRecord> records;
    Status fault;
  };

  void Read();
  // Appends to `records` up to options_.batch_events records from
  // next_position_ on, checking each (see Next); a fault ends the batch.
  Status ReadBatch(rocksdb::Iterator* it, std::vector<EventRecord>* records);
  // Queues `item`, waiting for room; false when the consumer left.
  bool Push(Item item);

  const EventStore& store_;
  const Head head_;
  const LogScanOptions options_;
  std::uint64_t next_position_ = 1;
  Hash256 previous_hash_{};

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Item> ready_;
  bool stopping_ = false;  // the consumer left
  bool finished_ = false;  // nothing more will be queued
  std::thread reader_;
};

}  // namespace exemplar::projections
