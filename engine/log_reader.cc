#include "engine/log_reader.h"

#include <rocksdb/db.h>

#include <algorithm>

#include "engine/internal/layout.h"
#include "engine/internal/store_internals.h"

namespace exemplar {
namespace {

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

class LogReader::Cursor {
 public:
  Cursor(const EventStore& store, std::uint64_t from)
      : it_(StoreInternals::db(store)->NewIterator(
            SequentialScan(),
            StoreInternals::family(store, layout::kEventsFamily))) {
    it_->Seek(layout::PositionKey(from));
  }

  // The stored bytes of the event at `position`, where the cursor must
  // stand; valid until Advance.
  Result<std::string_view> Current(std::uint64_t position) const {
    if (!it_->Valid() || it_->key().size() != 8 ||
        layout::ReadBigEndian64(it_->key().ToStringView()) != position) {
      if (!it_->status().ok()) return Fault(it_->status(), position);
      return Status::Corruption("event missing from the log", position);
    }
    return it_->value().ToStringView();
  }
  void Advance() { it_->Next(); }

 private:
  // A damaged block is a corruption at the position being read, so that
  // it can be traced to its table file (engine/internal/storage_fault.h).
  static Status Fault(const rocksdb::Status& status, std::uint64_t position) {
    if (status.IsCorruption()) {
      return Status::Corruption(status.ToString(), position);
    }
    return Status::IoError(status.ToString());
  }

  std::unique_ptr<rocksdb::Iterator> it_;
};

LogReader::LogReader(const EventStore& store, std::uint64_t from, Head to)
    : store_(store), to_(to), next_(from == 0 ? 1 : from) {
  if (next_ > 1 && next_ <= to_.position) {
    Result<EventRecord> before = store_.ReadEvent(next_ - 1);
    if (before.ok()) {
      previous_ = before->hash;
    } else {
      fault_ = before.status();
    }
  }
}

LogReader::~LogReader() = default;

Status LogReader::ReadOne(EventRecord* record) {
  if (!cursor_) cursor_ = std::make_unique<Cursor>(store_, next_);
  Result<std::string_view> stored = cursor_->Current(next_);
  if (!stored.ok()) return stored.status();
  EXEMPLAR_RETURN_IF_ERROR(DecodeEventRecord(*stored, next_, record));
  cursor_->Advance();
  EXEMPLAR_RETURN_IF_ERROR(Chain(*record));
  ++next_;
  return Status::Ok();
}

Status LogReader::Chain(const EventRecord& record) {
  if (record.prev_hash != previous_) {
    return Status::Corruption("previous-hash link is broken", record.position);
  }
  previous_ = record.hash;
  if (record.position == to_.position && previous_ != to_.hash) {
    return Status::Corruption("log does not end at the recorded head",
                              to_.position);
  }
  return Status::Ok();
}

Status LogReader::NextStored(StoredBatch* batch, std::size_t max) {
  batch->first = next_;
  batch->bytes.clear();
  if (done()) return fault_;
  if (!cursor_) cursor_ = std::make_unique<Cursor>(store_, next_);
  const std::uint64_t count =
      std::min<std::uint64_t>(max, to_.position + 1 - next_);
  batch->bytes.reserve(count);
  for (; batch->bytes.size() < count; ++next_) {
    Result<std::string_view> stored = cursor_->Current(next_);
    if (!stored.ok()) return fault_ = stored.status();
    batch->bytes.emplace_back(*stored);
    cursor_->Advance();
  }
  return Status::Ok();
}

Status LogReader::Decode(const StoredBatch& batch,
                         std::vector<EventRecord>* events) {
  events->resize(batch.bytes.size());
  for (std::size_t i = 0; i < batch.bytes.size(); ++i) {
    Status decoded =
        DecodeEventRecord(batch.bytes[i], batch.first + i, &(*events)[i]);
    if (!decoded.ok()) {
      events->resize(i);
      return decoded;
    }
  }
  return Status::Ok();
}

Status LogReader::Next(std::vector<EventRecord>* events, std::size_t max) {
  if (done()) {
    events->clear();
    return fault_;
  }
  const std::uint64_t count =
      std::min<std::uint64_t>(max, to_.position + 1 - next_);
  events->resize(count);
  for (std::size_t filled = 0; filled < count; ++filled) {
    fault_ = ReadOne(&(*events)[filled]);
    if (!fault_.ok()) {
      events->resize(filled);
      return fault_;
    }
  }
  return Status::Ok();
}

Result<bool> LogReader::Next(EventRecord* record) {
  if (done()) {
    if (!fault_.ok()) return fault_;
    return false;
  }
  fault_ = ReadOne(record);
  if (!fault_.ok()) return fault_;
  return true;
}

}  // namespace exemplar
