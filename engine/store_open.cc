// Opening and closing the store: the column families, the record format,
// the head, the side store and the Merkle tree's catch-up; a read-only
// store as a RocksDB secondary instance.
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>

#include "engine/internal/layout.h"
#include "engine/internal/side_store_impl.h"
#include "engine/internal/store_impl.h"

namespace exemplar {
namespace {

// Most commands create a stream, so "does this stream exist?" is asked
// mostly of streams that do not, and "is there a key for this subject?" of
// subjects that have none yet. Bloom filters (in the table files and the
// memtable) answer both without reading a block; see StreamExists.
rocksdb::ColumnFamilyOptions PointLookupFamilyOptions() {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.memtable_prefix_bloom_size_ratio = 0.02;
  options.memtable_whole_key_filtering = true;
  return options;
}

// Whether the store in `path` has the column family `name`: a follower
// opens only those that exist, since a store a newer build never wrote to
// lacks the newer ones.
bool HasFamily(const std::string& path, std::string_view name) {
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names)
           .ok()) {
    return true;  // let the open itself say what is wrong
  }
  return std::find(names.begin(), names.end(), name) != names.end();
}

// RocksDB admits one writing process: the lock another one holds is told as
// such, kUnavailable.
Status FromWriterOpen(const rocksdb::Status& status, const std::string& path) {
  const std::string message = status.ToString();
  if (status.IsIOError() &&
      (message.find("While lock file") != std::string::npos ||
       message.find("lock hold by current process") != std::string::npos)) {
    return Status::Unavailable(
        "the store in " + path +
        " is in use by another process (a running server?), which holds "
        "its lock (" +
        message + ")");
  }
  return FromRocks(status);
}

}  // namespace

Status EventStore::Impl::Open(const std::string& path) {
  if (options_.create_if_missing) {
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error) return Status::IoError(path + ": " + error.message());
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name :
       {rocksdb::kDefaultColumnFamilyName.c_str(), layout::kEventsFamily,
        layout::kStreamsFamily, layout::kIdempotencyFamily,
        layout::kAuditFamily, layout::kProjectionsFamily, layout::kMetaFamily,
        layout::kVaultFamily}) {
    if (options_.read_only && !HasFamily(path, name)) continue;
    const bool looked_up_by_key =
        std::string_view(name) == layout::kStreamsFamily ||
        std::string_view(name) == layout::kVaultFamily;
    rocksdb::ColumnFamilyOptions family = looked_up_by_key
                                              ? PointLookupFamilyOptions()
                                              : rocksdb::ColumnFamilyOptions();
    if (std::string_view(name) == layout::kVaultFamily) {
      // The keys of subjects whose ids carry no time (exemplars drawn
      // before, officers) land at random places, their ids being hashes:
      // a small memtable keeps those inserts within the caches.
      family.write_buffer_size = 4 << 20;
    }
    if (!options_.compress_tables) {
      family.compression = rocksdb::kNoCompression;
    }
    descriptors.emplace_back(name, family);
  }
  EXEMPLAR_RETURN_IF_ERROR(OpenDatabase(path, descriptors));
  for (auto* handle : handles_) families_[handle->GetName()] = handle;
  events_ = families_[layout::kEventsFamily];
  streams_ = families_[layout::kStreamsFamily];
  idempotency_ = families_[layout::kIdempotencyFamily];
  meta_ = families_[layout::kMetaFamily];
  if (auto vault = families_.find(layout::kVaultFamily);
      vault != families_.end()) {
    vault_ = vault->second;
  }
  OpenSideStore();

  EXEMPLAR_RETURN_IF_ERROR(CheckFormat(path));
  std::string head_value;
  rocksdb::Status s = db_->Get({}, meta_, layout::kHeadKey, &head_value);
  if (s.ok()) {
    if (head_value.size() != 40) {
      return Status::Corruption("stored head is malformed", 0);
    }
    head_.position = layout::ReadBigEndian64(head_value);
    std::copy(head_value.begin() + 8, head_value.end(), head_.hash.begin());
    auto last = ReadEvent(head_.position);
    if (!last.ok()) return last.status();
    if (last->hash != head_.hash) {
      return Status::Corruption("stored head hash differs from the event's",
                                head_.position);
    }
  } else if (!s.IsNotFound()) {
    return FromRocks(s);
  }
  if (options_.read_only) return Status::Ok();
  if (options_.maintain_merkle_tree) EXEMPLAR_RETURN_IF_ERROR(OpenMerkleTree());
  sequencer_ = std::thread([this] { SequencerLoop(); });
  return Status::Ok();
}

void EventStore::Impl::OpenSideStore() {
  auto side = std::make_unique<SideStore::Impl>();
  side->db = db_.get();
  auto space = [&](SideSpace space, const char* family,
                   std::string_view prefix) {
    side->spaces[static_cast<size_t>(space)] = {families_[family], prefix};
  };
  space(SideSpace::kProjectionRows, layout::kProjectionsFamily, "");
  space(SideSpace::kProjectionCheckpoints, layout::kMetaFamily,
        layout::kProjectionCheckpointPrefix);
  space(SideSpace::kRelayCheckpoints, layout::kMetaFamily,
        layout::kRelayCheckpointPrefix);
  space(SideSpace::kSignedHeads, layout::kAuditFamily,
        layout::kSignedHeadPrefix);
  space(SideSpace::kPasswords, layout::kMetaFamily, layout::kPasswordPrefix);
  space(SideSpace::kWebSessions, layout::kMetaFamily,
        layout::kWebSessionPrefix);
  if (vault_ != nullptr) {
    space(SideSpace::kVaultKeys, layout::kVaultFamily, "");
  } else {
    // A follower of a store no build with a vault has opened: a range of
    // "meta" nothing is written under reads as the empty vault.
    space(SideSpace::kVaultKeys, layout::kMetaFamily, layout::kNoVaultPrefix);
  }
  side->all_families = handles_;
  side_ = std::make_unique<SideStore>(std::move(side));
}

// A new store is stamped with the record format this build writes; a store
// in another format is refused by name, before any record fails to decode
// as if it were corrupt.
Status EventStore::Impl::CheckFormat(const std::string& path) {
  std::string value;
  rocksdb::Status s = db_->Get({}, meta_, layout::kFormatKey, &value);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s);
  if (s.ok() && value.size() == 8 &&
      layout::ReadBigEndian64(value) >= layout::kOldestReadableFormat &&
      layout::ReadBigEndian64(value) <= layout::kStoreFormat) {
    format_ = layout::ReadBigEndian64(value);
    return Status::Ok();
  }
  std::string head;
  rocksdb::Status has_head = db_->Get({}, meta_, layout::kHeadKey, &head);
  if (has_head.IsNotFound() && s.IsNotFound()) {
    format_ = layout::kStoreFormat;
    if (options_.read_only) return Status::Ok();  // empty; nothing to read
    std::string format;
    layout::AppendBigEndian64(layout::kStoreFormat, &format);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    return FromRocks(db_->Put(sync, meta_, layout::kFormatKey, format));
  }
  if (!has_head.ok() && !has_head.IsNotFound()) return FromRocks(has_head);
  const std::uint64_t found = s.ok() ? layout::ReadBigEndian64(value) : 1;
  return Status::InvalidArgument("the store in " + path +
                                 " has record format " + std::to_string(found) +
                                 "; this build reads formats " +
                                 std::to_string(layout::kOldestReadableFormat) +
                                 " to " + std::to_string(layout::kStoreFormat) +
                                 " only: start from an empty data folder");
}

// A read-only store is a RocksDB secondary instance: unlike a plain
// read-only open it may run beside the server holding the store's lock, and
// with every table file kept open, compactions by the server cannot pull
// files from under its reads.
Status EventStore::Impl::OpenDatabase(
    const std::string& path,
    const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors) {
  rocksdb::Options db_options;
  db_options.max_background_jobs = 2;
  db_options.max_total_wal_size = options_.max_wal_bytes;
  if (options_.env) db_options.env = options_.env;
  rocksdb::DB* raw = nullptr;
  if ((options_.read_only || !options_.create_if_missing) &&
      !std::filesystem::exists(std::filesystem::path(path) / "CURRENT")) {
    return Status::NotFound("no store in " + path);
  }
  if (!options_.read_only) {
    db_options.create_if_missing = options_.create_if_missing;
    db_options.create_missing_column_families = true;
    EXEMPLAR_RETURN_IF_ERROR(FromWriterOpen(
        rocksdb::DB::Open(db_options, path, descriptors, &handles_, &raw),
        path));
    db_.reset(raw);
    return Status::Ok();
  }
  std::string pattern =
      (std::filesystem::temp_directory_path() / "exemplar-follower-XXXXXX")
          .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::IoError("cannot create a folder for the read-only open");
  }
  secondary_dir_ = pattern;
  db_options.max_open_files = -1;
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(rocksdb::DB::OpenAsSecondary(
      db_options, path, secondary_dir_, descriptors, &handles_, &raw)));
  db_.reset(raw);
  return Status::Ok();
}

// Restores the tree's frontier, and adds the events it is missing (a store
// last written with the tree off) in synced batches.
Status EventStore::Impl::OpenMerkleTree() {
  auto merkle = audit::MerkleObserver::Open(
      db_.get(), families_[layout::kAuditFamily], events_);
  if (!merkle.ok()) return merkle.status();
  merkle_ = std::move(merkle).value();
  std::uint64_t size = merkle_->tree().size();
  if (size > head_.position) {
    return Status::Corruption("the Merkle tree is larger than the log", size);
  }
  constexpr std::uint64_t kCatchUpBatch = 10000;
  while (size < head_.position) {
    rocksdb::WriteBatch batch;
    std::vector<EventRecord> events;
    std::uint64_t end = std::min(head_.position, size + kCatchUpBatch);
    for (std::uint64_t p = size + 1; p <= end; ++p) {
      auto event = ReadEvent(p);
      if (!event.ok()) return event.status();
      events.push_back(std::move(event).value());
    }
    std::vector<const EventRecord*> pointers;
    for (const auto& event : events) pointers.push_back(&event);
    EXEMPLAR_RETURN_IF_ERROR(merkle_->OnSealed(pointers, &batch));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(db_->Write(sync, &batch)));
    size = end;
  }
  observer_ = merkle_.get();
  return Status::Ok();
}

void EventStore::Impl::Close() {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (closing_ && !sequencer_.joinable()) return;
    closing_ = true;
  }
  queue_cv_.notify_all();
  if (sequencer_.joinable()) sequencer_.join();
  hub_.CloseAll();
  if (db_) {
    // Everything is already durable in the write-ahead log; flushing the
    // memtables now spares the next Open replaying that log (seconds for a
    // million events). A follower has nothing of its own to flush.
    if (secondary_dir_.empty()) {
      db_->Flush(rocksdb::FlushOptions(), handles_).PermitUncheckedError();
    }
    side_.reset();
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    handles_.clear();
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
  if (!secondary_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(secondary_dir_, ignored);
    secondary_dir_.clear();
  }
}

}  // namespace exemplar
