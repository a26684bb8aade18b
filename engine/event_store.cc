// The store's public face and its reads; opening is in store_open.cc, the
// writes in sequencer.cc.
#include "engine/event_store.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>

#include <algorithm>
#include <filesystem>
#include <future>

#include "engine/internal/layout.h"
#include "engine/internal/storage_fault.h"
#include "engine/internal/store_impl.h"
#include "engine/internal/store_internals.h"

namespace exemplar {

bool EventFilter::Matches(const EventRecord& record) const {
  if (!stream_prefix.empty() &&
      record.stream_id.compare(0, stream_prefix.size(), stream_prefix) != 0) {
    return false;
  }
  if (types.empty()) return true;
  return std::find(types.begin(), types.end(), record.type) != types.end();
}

Result<bool> EventStore::Impl::HasVersion(const std::string& stream_id,
                                          std::uint64_t version) const {
  std::string ignored;
  rocksdb::Status s =
      db_->Get({}, streams_, layout::StreamKey(stream_id, version), &ignored);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s);
  return true;
}

Result<std::optional<std::uint64_t>> EventStore::Impl::LoadStreamVersion(
    const std::string& stream_id) const {
  Result<bool> exists = HasVersion(stream_id, 0);
  if (!exists.ok()) return exists.status();
  if (!*exists) return std::optional<std::uint64_t>();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, streams_));
  it->SeekForPrev(layout::StreamKey(stream_id, UINT64_MAX));
  std::string prefix = layout::StreamPrefix(stream_id);
  if (!it->Valid() || !it->key().starts_with(prefix)) {
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
    return std::optional<std::uint64_t>();
  }
  return std::optional<std::uint64_t>(
      layout::ReadBigEndian64(it->key().ToStringView().substr(prefix.size())));
}

Result<EventRecord> EventStore::Impl::ReadEvent(std::uint64_t position) const {
  std::string value;
  rocksdb::Status s =
      db_->Get({}, events_, layout::PositionKey(position), &value);
  if (s.IsNotFound()) {
    return Status::NotFound("no event at position " + std::to_string(position));
  }
  if (!s.ok()) return FromRocks(s);
  return DecodeEventRecord(value, position);
}

// ---------------------------------------------------------------------------

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::string& path,
                                                     StoreOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  if (Status opened = impl->Open(path); !opened.ok()) {
    return NameDamagedFile(impl->db_.get(), std::move(opened));
  }
  return std::unique_ptr<EventStore>(new EventStore(std::move(impl)));
}

EventStore::EventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventStore::~EventStore() = default;

Result<AppendResult> AwaitAppend(
    const std::function<void(AppendCallback)>& start) {
  std::promise<Result<AppendResult>> promise;
  auto future = promise.get_future();
  start([&promise](Result<AppendResult> result) {
    promise.set_value(std::move(result));
  });
  return future.get();
}

Result<AppendResult> EventStore::Append(AppendRequest request) {
  return AwaitAppend([&](AppendCallback done) {
    impl_->AppendAsync(std::move(request), std::move(done));
  });
}

void EventStore::AppendAsync(AppendRequest request, AppendCallback done) {
  impl_->AppendAsync(std::move(request), std::move(done));
}

Status EventStore::AppendSealed(std::vector<EventRecord> records) {
  return AwaitAppend([&](AppendCallback done) {
           impl_->AppendSealed(std::move(records), std::move(done));
         })
      .status();
}

Result<std::vector<EventRecord>> EventStore::ReadStream(
    const std::string& stream_id, std::uint64_t from_version,
    Direction direction, size_t max_count) const {
  std::vector<EventRecord> events;
  bool forward = direction == Direction::kForward;
  if (forward) {
    Result<bool> any = impl_->HasVersion(stream_id, from_version);
    if (!any.ok()) return any.status();
    if (!*any) return events;
  }
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->streams_));
  std::string prefix = layout::StreamPrefix(stream_id);
  std::string start = layout::StreamKey(stream_id, from_version);
  if (forward) {
    it->Seek(start);
  } else {
    it->SeekForPrev(start);
  }
  for (; it->Valid() && it->key().starts_with(prefix) &&
         events.size() < max_count;
       forward ? it->Next() : it->Prev()) {
    auto event =
        impl_->ReadEvent(layout::ReadBigEndian64(it->value().ToStringView()));
    if (!event.ok()) return event.status();
    events.push_back(std::move(event).value());
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  return events;
}

Result<std::vector<EventRecord>> EventStore::ReadStreamsWithPrefix(
    std::string_view prefix) const {
  const rocksdb::Slice wanted(prefix.data(), prefix.size());
  std::vector<std::uint64_t> positions;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->streams_));
  for (it->Seek(wanted); it->Valid() && it->key().starts_with(wanted);
       it->Next()) {
    positions.push_back(layout::ReadBigEndian64(it->value().ToStringView()));
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  std::sort(positions.begin(), positions.end());
  std::vector<EventRecord> events;
  events.reserve(positions.size());
  for (std::uint64_t position : positions) {
    auto event = impl_->ReadEvent(position);
    if (!event.ok()) return event.status();
    events.push_back(std::move(event).value());
  }
  return events;
}

Result<std::optional<std::uint64_t>> EventStore::StreamVersion(
    const std::string& stream_id) const {
  return impl_->LoadStreamVersion(stream_id);
}

Result<EventStore::Page> EventStore::ReadAll(std::uint64_t from_position,
                                             size_t max_count,
                                             const EventFilter& filter,
                                             size_t max_scan) const {
  Page page;
  page.next_position = std::max<std::uint64_t>(from_position, 1);
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->events_));
  size_t scanned = 0;
  for (it->Seek(layout::PositionKey(page.next_position));
       it->Valid() && page.events.size() < max_count && scanned < max_scan;
       it->Next(), ++scanned) {
    std::uint64_t position = layout::ReadBigEndian64(it->key().ToStringView());
    auto event = DecodeEventRecord(it->value().ToStringView(), position);
    if (!event.ok()) return event.status();
    page.next_position = position + 1;
    if (filter.Matches(*event)) page.events.push_back(std::move(event).value());
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  return page;
}

Result<EventRecord> EventStore::ReadEvent(std::uint64_t position) const {
  return impl_->ReadEvent(position);
}

Result<std::optional<std::string>> EventStore::FirstIdempotencyKey(
    std::string_view prefix) const {
  const rocksdb::Slice wanted(prefix.data(), prefix.size());
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator({}, impl_->idempotency_));
  it->Seek(wanted);
  if (it->Valid() && it->key().starts_with(wanted)) {
    return std::optional<std::string>(it->key().ToString());
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  return std::optional<std::string>();
}

Head EventStore::head() const { return impl_->head(); }

std::uint64_t EventStore::format() const { return impl_->format(); }

Status EventStore::Checkpoint(const std::string& dest) const {
  if (std::filesystem::exists(dest)) {
    return Status::InvalidArgument(dest + " already exists", "dest");
  }
  rocksdb::DB* db = impl_->db_.get();
  if (impl_->options_.read_only) {
    // Catch up with what the writer has logged since this instance opened.
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(db->TryCatchUpWithPrimary()));
  }
  rocksdb::Checkpoint* raw = nullptr;
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db, &raw)));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dest));
}

std::unique_ptr<Subscription> EventStore::Subscribe(std::uint64_t from_position,
                                                    EventFilter filter) {
  return std::make_unique<HubSubscription>(
      this, &impl_->hub_, from_position, std::move(filter),
      impl_->options_.subscriber_buffer_events);
}

void EventStore::Close() { impl_->Close(); }

rocksdb::DB* StoreInternals::db(const EventStore& store) {
  return store.impl_->db_.get();
}

rocksdb::ColumnFamilyHandle* StoreInternals::family(const EventStore& store,
                                                    const char* name) {
  auto it = store.impl_->families_.find(name);
  return it == store.impl_->families_.end() ? nullptr : it->second;
}

SideStore& EventStore::side_store() const { return *impl_->side_; }

const StoreOptions& EventStore::options() const { return impl_->options_; }

}  // namespace exemplar
