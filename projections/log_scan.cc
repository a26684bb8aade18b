#include "projections/log_scan.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

namespace exemplar::projections {
namespace {

// DESIGN.md, "RocksDB layout": events keyed by 8-byte big-endian position.
std::string PositionKey(std::uint64_t position) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, position >>= 8) {
    key[i] = static_cast<char>(position & 0xFF);
  }
  return key;
}

// One forward pass over files nobody reads again: read ahead, and keep the
// blocks out of the cache the live models' queries use. Block checksums
// are not verified: every event's own SHA-256 is checked, which catches any
// change to its bytes that a block's CRC32C would (and a damaged block that
// no longer decompresses still fails the read), at a sixth of the cost.
rocksdb::ReadOptions SequentialScan() {
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  options.readahead_size = 4 << 20;
  options.verify_checksums = false;
  return options;
}

}  // namespace

LogScan::LogScan(const EventStore& store, Head head, LogScanOptions options)
    : store_(store), head_(head), options_(options) {
  reader_ = std::thread([this] { Read(); });
}

LogScan::~LogScan() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  reader_.join();
}

Result<std::span<const ScannedEvent>> LogScan::Next() {
  Item item;
  {
    std::unique_lock lock(mutex_);
    if (!handed_over_.empty()) spent_.push_back(std::move(handed_over_));
    handed_over_.clear();
    consumer_waiting_.store(ready_.empty(), std::memory_order_relaxed);
    changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
    consumer_waiting_.store(false, std::memory_order_relaxed);
    if (ready_.empty()) return std::span<const ScannedEvent>();
    item = std::move(ready_.front());
    ready_.pop_front();
  }
  changed_.notify_all();
  if (!item.fault.ok()) return item.fault;
  handed_over_ = std::move(item.events);
  return std::span<const ScannedEvent>(handed_over_);
}

void LogScan::Read() {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db()->NewIterator(SequentialScan(), store_.family("events")));
  it->Seek(PositionKey(next_position_));
  Status fault;
  while (fault.ok() && next_position_ <= head_.position) {
    std::vector<ScannedEvent> events = TakeSpentBatch();
    fault = ReadBatch(it.get(), &events);
    if (!events.empty() && !Push({std::move(events), Status::Ok()})) return;
  }
  if (fault.ok() && previous_hash_ != head_.hash) {
    fault = Status::Corruption("log does not end at the recorded head hash",
                               head_.position);
  }
  if (!fault.ok() && !Push({{}, fault})) return;
  std::lock_guard lock(mutex_);
  finished_ = true;
  changed_.notify_all();
}

Status LogScan::ReadBatch(rocksdb::Iterator* it,
                          std::vector<ScannedEvent>* events) {
  const std::uint64_t count = std::min<std::uint64_t>(
      options_.batch_events, head_.position + 1 - next_position_);
  events->resize(count);
  for (std::size_t filled = 0; filled < count;
       ++filled, ++next_position_, it->Next()) {
    Status fault = ReadEvent(it, &(*events)[filled]);
    if (!fault.ok()) {
      events->resize(filled);
      return fault;
    }
  }
  return Status::Ok();
}

Status LogScan::ReadEvent(rocksdb::Iterator* it, ScannedEvent* event) {
  if (!it->Valid() || it->key() != PositionKey(next_position_)) {
    if (!it->status().ok()) return Status::IoError(it->status().ToString());
    return Status::Corruption("event missing from the log", next_position_);
  }
  EventRecord& record = event->record;
  EXEMPLAR_RETURN_IF_ERROR(
      DecodeEventRecord(it->value().ToStringView(), next_position_, &record));
  if (record.prev_hash != previous_hash_) {
    return Status::Corruption("previous-hash link is broken", next_position_);
  }
  previous_hash_ = record.hash;
  event->workflow_decoded =
      !consumer_waiting_.load(std::memory_order_relaxed) &&
      DecodeAhead(record, &payload_decoder_, &event->workflow);
  return Status::Ok();
}

std::vector<ScannedEvent> LogScan::TakeSpentBatch() {
  std::lock_guard lock(mutex_);
  if (spent_.empty()) return {};
  std::vector<ScannedEvent> batch = std::move(spent_.back());
  spent_.pop_back();
  return batch;
}

bool LogScan::Push(Item item) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    return stopping_ || ready_.size() < options_.batches_ahead;
  });
  if (stopping_) return false;
  ready_.push_back(std::move(item));
  changed_.notify_all();
  return true;
}

}  // namespace exemplar::projections
