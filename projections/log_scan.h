// Reading the whole log ahead of a rebuild, on the core the fold leaves
// idle. A thread of its own reads the log through the store's LogReader
// (engine/log_reader.h: read-ahead, each record decoded with its hash and
// chain checked) and hands the events over in batches through a bounded
// queue. While a batch waits in the queue, so that the consumer has work
// in hand, it also decodes the workflow payloads of the batch it reads
// (DecodeAhead) and prepares them (LogScanOptions::prepare_ahead); while
// none waits, the consumer is about to wait for the reader, which leaves
// that work to it. Whichever side is slower thus gets less of the work,
// and the two cores share it. Batches go back to the reader once the consumer
// is done with them and are decoded into again, so their strings keep their
// storage: a rebuild allocates almost nothing per event. Private to
// projections/.
//
// Thread safety: one consumer thread calls Next.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "engine/event_store.h"
#include "engine/log_reader.h"
#include "events/status.h"
#include "projections/read_model.h"

namespace exemplar::projections {

// One event of the log, with its workflow payload when it was decoded
// ahead (see DecodeAhead; ReadModel::Apply decodes it otherwise).
struct ScannedEvent {
  EventRecord record;
  WorkflowEvent workflow;  // meaningful only when workflow_decoded
  bool workflow_decoded = false;

  // The payload decoded ahead, or null.
  const WorkflowEvent* decoded_workflow() const {
    return workflow_decoded ? &workflow : nullptr;
  }
};

struct LogScanOptions {
  // Events per handed-over batch. Default 4,096.
  std::size_t batch_events = 4096;
  // Batches decoded ahead of the consumer, at most. Default 2.
  std::size_t batches_ahead = 2;
  // Called on the reading thread with each event whose payload it decoded
  // ahead, before handing it over: work of the fold's that need not wait
  // for it (a rebuild opens the names it will fold). Default: none.
  std::function<void(ScannedEvent*)> prepare_ahead = nullptr;
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

  // The next events in position order, valid until the next call; empty
  // once the head was handed over. Every event before a fault is handed
  // over before the fault is returned: kCorruption naming the first
  // position that is missing, does not decode, fails its hash or breaks the
  // chain (or the head, when the log does not end at its hash), kIoError on
  // a storage failure.
  Result<std::span<const ScannedEvent>> Next();

 private:
  // Events, or the fault that ends the scan (with no events).
  struct Item {
    std::vector<ScannedEvent> events;
    Status fault;
  };

  void Read();
  // Reads into `events`, resized to fit, up to options_.batch_events events
  // from `reader`, decoding and preparing their payloads ahead while a
  // batch waits in the queue; a fault ends the batch.
  Status ReadBatch(LogReader* reader, std::vector<ScannedEvent>* events);
  // A batch the consumer is done with, or a new one.
  std::vector<ScannedEvent> TakeSpentBatch();
  // Queues `item`, waiting for room; false when the consumer left.
  bool Push(Item item);

  const EventStore& store_;
  const Head head_;
  const LogScanOptions options_;
  WorkflowEventDecoder payload_decoder_;
  // ready_.size(), for the reader to read without the lock; a hint, hence
  // relaxed.
  std::atomic<std::size_t> queued_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Item> ready_;
  std::vector<std::vector<ScannedEvent>> spent_;  // for the reader to reuse
  std::vector<ScannedEvent> handed_over_;         // by the last Next
  bool stopping_ = false;                         // the consumer left
  bool finished_ = false;                         // nothing more will be queued
  std::thread reader_;
};

}  // namespace exemplar::projections
