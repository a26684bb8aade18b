#include "projections/log_scan.h"

#include <algorithm>
#include <utility>

namespace exemplar::projections {

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
    changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
    if (ready_.empty()) return std::span<const ScannedEvent>();
    item = std::move(ready_.front());
    ready_.pop_front();
    queued_.store(ready_.size(), std::memory_order_relaxed);
  }
  changed_.notify_all();
  if (!item.fault.ok()) return item.fault;
  handed_over_ = std::move(item.events);
  return std::span<const ScannedEvent>(handed_over_);
}

void LogScan::Read() {
  LogReader reader(store_, 1, head_);
  Status fault;
  while (fault.ok() && !reader.done()) {
    std::vector<ScannedEvent> events = TakeSpentBatch();
    fault = ReadBatch(&reader, &events);
    if (!events.empty() && !Push({std::move(events), Status::Ok()})) return;
  }
  if (!fault.ok() && !Push({{}, fault})) return;
  std::lock_guard lock(mutex_);
  finished_ = true;
  changed_.notify_all();
}

Status LogScan::ReadBatch(LogReader* reader,
                          std::vector<ScannedEvent>* events) {
  const std::uint64_t count = std::min<std::uint64_t>(
      options_.batch_events, head_.position + 1 - reader->next_position());
  events->resize(count);
  for (std::size_t filled = 0; filled < count; ++filled) {
    ScannedEvent& event = (*events)[filled];
    Result<bool> read = reader->Next(&event.record);
    if (!read.ok()) {
      events->resize(filled);
      return read.status();
    }
    event.workflow_decoded =
        queued_.load(std::memory_order_relaxed) > 0 &&
        DecodeAhead(event.record, &payload_decoder_, &event.workflow);
    if (event.workflow_decoded && options_.prepare_ahead) {
      options_.prepare_ahead(&event);
    }
  }
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
  queued_.store(ready_.size(), std::memory_order_relaxed);
  changed_.notify_all();
  return true;
}

}  // namespace exemplar::projections
