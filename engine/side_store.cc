#include "engine/side_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <vector>

#include "engine/internal/layout.h"
#include "engine/internal/side_store_impl.h"

namespace exemplar {
namespace {

Status FromRocks(const rocksdb::Status& status) {
  if (status.ok()) return Status::Ok();
  return Status::IoError("side store: " + status.ToString());
}

rocksdb::Slice AsSlice(std::string_view bytes) {
  return rocksdb::Slice(bytes.data(), bytes.size());
}

// The first key after every key that starts with `prefix`; empty when
// there is none (a prefix of 0xFF bytes only, or none at all).
std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) {
    end.pop_back();
  }
  if (!end.empty()) end.back() = static_cast<char>(end.back() + 1);
  return end;
}

}  // namespace

std::string EncodePosition(std::uint64_t position) {
  return layout::BigEndian64(position);
}

std::uint64_t DecodePosition(std::string_view bytes) {
  return layout::ReadBigEndian64(bytes);
}

struct SideStore::Batch::Writes {
  rocksdb::WriteBatch batch;
};

SideStore::Batch::Batch(const Impl* store)
    : store_(store), writes_(std::make_unique<Writes>()) {}
SideStore::Batch::~Batch() = default;
SideStore::Batch::Batch(Batch&&) noexcept = default;
SideStore::Batch& SideStore::Batch::operator=(Batch&&) noexcept = default;

void SideStore::Batch::Put(SideSpace space, std::string_view key,
                           std::string_view value) {
  const Impl::Space& where = store_->of(space);
  rocksdb::Slice value_slice = AsSlice(value);
  if (where.prefix.empty()) {
    writes_->batch.Put(where.family, AsSlice(key), value_slice)
        .PermitUncheckedError();
    return;
  }
  rocksdb::Slice key_parts[2] = {AsSlice(where.prefix), AsSlice(key)};
  writes_->batch
      .Put(where.family, rocksdb::SliceParts(key_parts, 2),
           rocksdb::SliceParts(&value_slice, 1))
      .PermitUncheckedError();
}

void SideStore::Batch::Delete(SideSpace space, std::string_view key) {
  const Impl::Space& where = store_->of(space);
  writes_->batch.Delete(where.family, std::string(where.prefix).append(key))
      .PermitUncheckedError();
}

void SideStore::Batch::DeleteRange(SideSpace space, std::string_view begin,
                                   std::string_view end) {
  const Impl::Space& where = store_->of(space);
  writes_->batch
      .DeleteRange(where.family, std::string(where.prefix).append(begin),
                   std::string(where.prefix).append(end))
      .PermitUncheckedError();
}

bool SideStore::Batch::empty() const { return writes_->batch.Count() == 0; }

void SideStore::Batch::Clear() {
  // A batch that grew large is let go rather than kept.
  constexpr std::size_t kMaxKeptBytes = 4 << 20;
  if (writes_->batch.GetDataSize() > kMaxKeptBytes) {
    writes_->batch = rocksdb::WriteBatch();
  } else {
    writes_->batch.Clear();
  }
}

SideStore::SideStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SideStore::~SideStore() = default;

SideStore::Batch SideStore::NewBatch() const { return Batch(impl_.get()); }

Status SideStore::Write(Batch* batch, Durability durability) {
  rocksdb::WriteOptions options;
  options.sync = durability == Durability::kSynced;
  Status written = FromRocks(impl_->db->Write(options, &batch->writes_->batch));
  batch->Clear();
  return written;
}

Result<std::optional<std::string>> SideStore::Get(SideSpace space,
                                                  std::string_view key) const {
  const Impl::Space& where = impl_->of(space);
  std::string value;
  rocksdb::Status s =
      impl_->db->Get(rocksdb::ReadOptions(), where.family,
                     std::string(where.prefix).append(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s);
  return std::optional<std::string>(std::move(value));
}

Status SideStore::Scan(SideSpace space, std::string_view begin,
                       std::string_view end, const Visit& visit) const {
  const Impl::Space& where = impl_->of(space);
  const std::string first = std::string(where.prefix).append(begin);
  const std::string bound = end.empty() ? PrefixEnd(where.prefix)
                                        : std::string(where.prefix).append(end);
  rocksdb::Slice upper(bound);
  rocksdb::ReadOptions options;
  if (!bound.empty()) options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(options, where.family));
  for (it->Seek(first); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    key.remove_prefix(where.prefix.size());
    if (!visit(key.ToStringView(), it->value().ToStringView())) break;
  }
  return FromRocks(it->status());
}

Status SideStore::ScanBackward(SideSpace space, std::string_view begin,
                               std::string_view end, const Visit& visit) const {
  const Impl::Space& where = impl_->of(space);
  const std::string first = std::string(where.prefix).append(begin);
  const std::string bound = end.empty() ? PrefixEnd(where.prefix)
                                        : std::string(where.prefix).append(end);
  rocksdb::Slice lower(first);
  rocksdb::Slice upper(bound);
  rocksdb::ReadOptions options;
  options.iterate_lower_bound = &lower;
  if (!bound.empty()) options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(options, where.family));
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    rocksdb::Slice key = it->key();
    key.remove_prefix(where.prefix.size());
    if (!visit(key.ToStringView(), it->value().ToStringView())) break;
  }
  return FromRocks(it->status());
}

Result<std::optional<std::pair<std::string, std::string>>> SideStore::Last(
    SideSpace space) const {
  using Entry = std::pair<std::string, std::string>;
  const Impl::Space& where = impl_->of(space);
  const std::string bound = PrefixEnd(where.prefix);
  rocksdb::Slice upper(bound);
  rocksdb::ReadOptions options;
  if (!bound.empty()) options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(options, where.family));
  it->SeekToLast();
  if (!it->Valid() || !it->key().starts_with(AsSlice(where.prefix))) {
    EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
    return std::optional<Entry>();
  }
  rocksdb::Slice key = it->key();
  key.remove_prefix(where.prefix.size());
  return std::optional<Entry>(Entry(key.ToString(), it->value().ToString()));
}

Status SideStore::Flush(std::initializer_list<SideSpace> spaces) {
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  for (SideSpace space : spaces) {
    rocksdb::ColumnFamilyHandle* family = impl_->of(space).family;
    if (std::find(families.begin(), families.end(), family) == families.end()) {
      families.push_back(family);
    }
  }
  return FromRocks(impl_->db->Flush(rocksdb::FlushOptions(), families));
}

Status SideStore::Purge(std::initializer_list<SideSpace> spaces) {
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(
      impl_->db->Flush(rocksdb::FlushOptions(), impl_->all_families)));
  rocksdb::CompactRangeOptions whole;
  whole.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForce;
  std::vector<rocksdb::ColumnFamilyHandle*> done;
  for (SideSpace space : spaces) {
    rocksdb::ColumnFamilyHandle* family = impl_->of(space).family;
    if (std::find(done.begin(), done.end(), family) != done.end()) continue;
    done.push_back(family);
    EXEMPLAR_RETURN_IF_ERROR(
        FromRocks(impl_->db->CompactRange(whole, family, nullptr, nullptr)));
  }
  return Status::Ok();
}

}  // namespace exemplar
