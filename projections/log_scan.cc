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
// blocks out of the cache the live models' queries use.
rocksdb::ReadOptions SequentialScan() {
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  options.readahead_size = 4 << 20;
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

Result<std::vector<ScannedEvent>> LogScan::Next() {
  Item item;
  {
    std::unique_lock lock(mutex_);
    consumer_waiting_.store(ready_.empty(), std::memory_order_relaxed);
    changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
    consumer_waiting_.store(false, std::memory_order_relaxed);
    if (ready_.empty()) return std::vector<ScannedEvent>();
    item = std::move(ready_.front());
    ready_.pop_front();
  }
  changed_.notify_all();
  if (!item.fault.ok()) return item.fault;
  return std::move(item.events);
}

void LogScan::Read() {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db()->NewIterator(SequentialScan(), store_.family("events")));
  it->Seek(PositionKey(next_position_));
  Status fault;
  while (fault.ok() && next_position_ <= head_.position) {
    std::vector<ScannedEvent> events;
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
  events->reserve(count);
  for (; events->size() < count; ++next_position_, it->Next()) {
    if (!it->Valid() || it->key() != PositionKey(next_position_)) {
      if (!it->status().ok()) return Status::IoError(it->status().ToString());
      return Status::Corruption("event missing from the log", next_position_);
    }
    Result<EventRecord> record =
        DecodeEventRecord(it->value().ToStringView(), next_position_);
    if (!record.ok()) return record.status();
    if (record->prev_hash != previous_hash_) {
      return Status::Corruption("previous-hash link is broken", next_position_);
    }
    previous_hash_ = record->hash;
    ScannedEvent& event = events->emplace_back();
    event.record = std::move(record).value();
    if (!consumer_waiting_.load(std::memory_order_relaxed)) {
      event.workflow = DecodeAhead(event.record);
    }
  }
  return Status::Ok();
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
