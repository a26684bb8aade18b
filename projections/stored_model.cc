#include "projections/stored_model.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <istream>
#include <iterator>
#include <memory>
#include <streambuf>

#include "projections/row_decoder.h"

namespace exemplar::projections {
namespace {

constexpr char kAuthority[] = "authority";
constexpr char kExemplars[] = "exemplars";
constexpr char kLedger[] = "ledger";
constexpr char kCheckpointPrefix[] = "projection_checkpoint";

std::string Prefix(const std::string& name) { return name + '\0'; }

std::string BigEndian(std::uint64_t value) {
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
  return out;
}

std::uint64_t FromBigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    value = value << 8 | static_cast<std::uint8_t>(bytes[i]);
  }
  return value;
}

std::string CheckpointKey(const std::string& name) {
  return std::string(kCheckpointPrefix) + '\0' + name;
}

rocksdb::ColumnFamilyHandle* Rows(const EventStore& store) {
  return store.family("projections");
}
rocksdb::ColumnFamilyHandle* Meta(const EventStore& store) {
  return store.family("meta");
}

Status FromRocks(const rocksdb::Status& status) {
  if (status.ok()) return Status::Ok();
  return Status::IoError("projections: " + status.ToString());
}

// Calls visit(key suffix, value) for every row of projection `name` whose
// key suffix is at least `from`, in key order, until it returns false.
template <typename Visit>
Status ScanRows(const EventStore& store, const std::string& name,
                const std::string& from, Visit visit) {
  const std::string prefix = Prefix(name);
  std::unique_ptr<rocksdb::Iterator> it(
      store.db()->NewIterator(rocksdb::ReadOptions(), Rows(store)));
  for (it->Seek(prefix + from); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    if (!key.starts_with(prefix)) break;
    key.remove_prefix(prefix.size());
    if (!visit(std::string_view(key.data(), key.size()),
               std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status());
}

}  // namespace

const std::vector<std::string>& ProjectionNames() {
  static const std::vector<std::string> kNames = {kAuthority, kExemplars,
                                                  kLedger};
  return kNames;
}

Result<std::map<std::string, std::uint64_t>> ReadCheckpoints(
    const EventStore& store) {
  std::map<std::string, std::uint64_t> checkpoints;
  for (const std::string& name : ProjectionNames()) {
    std::string value;
    rocksdb::Status status = store.db()->Get(
        rocksdb::ReadOptions(), Meta(store), CheckpointKey(name), &value);
    if (status.IsNotFound()) {
      checkpoints[name] = 0;
    } else if (!status.ok()) {
      return FromRocks(status);
    } else {
      checkpoints[name] = FromBigEndian(value);
    }
  }
  return checkpoints;
}

void PendingWrites::Add(ModelChanges* changes, std::uint64_t position) {
  for (const ExemplarRow* row : changes->exemplars) {
    // An exemplar's events mostly follow one another: skip the set then.
    if (!exemplar_order_.empty() && exemplar_order_.back() == row) continue;
    if (exemplars_.insert(row).second) exemplar_order_.push_back(row);
  }
  std::move(changes->ledger.begin(), changes->ledger.end(),
            std::back_inserter(ledger_));
  for (const EventRecord* record : changes->system) system_.push_back(*record);
  position_ = position;
}

Status PendingWrites::Write(const EventStore& store,
                            const std::set<std::string>& names) {
  if (position_ == 0) return Status::Ok();
  // One batch reused, so its buffer does not grow again for every write.
  rocksdb::WriteBatch& batch = batch_;
  batch.Clear();
  rocksdb::ColumnFamilyHandle* rows = Rows(store);
  thread_local RowEncoder encoder;
  std::string key;
  auto put = [&](const char* name, std::string_view suffix,
                 std::string_view value) {
    key.assign(name).push_back('\0');
    key.append(suffix);
    batch.Put(rows, key, rocksdb::Slice(value.data(), value.size()));
  };
  if (names.contains(kAuthority)) {
    for (EventRecord& record : system_) {
      std::string stored = SealEventRecord(&record);
      put(kAuthority, BigEndian(record.position), stored);
    }
  }
  if (names.contains(kExemplars)) {
    // In key order: the memtable inserts a key next to the one before it
    // at a fraction of the cost of a search from the top.
    std::sort(exemplar_order_.begin(), exemplar_order_.end(),
              [](const ExemplarRow* a, const ExemplarRow* b) {
                return a->id < b->id;
              });
    for (const ExemplarRow* row : exemplar_order_) {
      put(kExemplars, row->id, encoder.Encode(*row));
    }
  }
  if (names.contains(kLedger)) {
    for (const LedgerRow& row : ledger_) {
      put(kLedger, BigEndian(row.position), encoder.Encode(row));
    }
  }
  for (const std::string& name : names) {
    batch.Put(Meta(store), CheckpointKey(name), BigEndian(position_));
  }
  // Not synced: a model is derived state, and a batch lost in a crash is
  // lost together with its checkpoint, so the runner simply redoes it.
  Status written =
      FromRocks(store.db()->Write(rocksdb::WriteOptions(), &batch));
  exemplars_.clear();
  exemplar_order_.clear();
  ledger_.clear();
  system_.clear();
  position_ = 0;
  return written;
}

Status DropProjection(const EventStore& store, const std::string& name) {
  rocksdb::WriteBatch batch;
  std::string begin = Prefix(name);
  std::string end = name + '\1';
  batch.DeleteRange(Rows(store), begin, end);
  batch.Delete(Meta(store), CheckpointKey(name));
  return FromRocks(store.db()->Write(rocksdb::WriteOptions(), &batch));
}

Status LoadModel(const EventStore& store, ReadModel* model) {
  Result<std::map<std::string, std::uint64_t>> checkpoints =
      ReadCheckpoints(store);
  if (!checkpoints.ok()) return checkpoints.status();
  const std::uint64_t position = checkpoints->begin()->second;
  for (const auto& [name, checkpoint] : *checkpoints) {
    if (checkpoint != position) {
      return Status::Internal(
          "projection checkpoints differ (" + name + " at " +
          std::to_string(checkpoint) +
          "): a rebuild was interrupted; run `exemplar projections rebuild`");
    }
  }
  Status failed;
  EXEMPLAR_RETURN_IF_ERROR(ScanRows(
      store, kAuthority, "", [&](std::string_view key, std::string_view value) {
        Result<EventRecord> record =
            DecodeEventRecord(value, FromBigEndian(key));
        failed =
            record.ok() ? model->LoadSystemEvent(*record) : record.status();
        return failed.ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(failed);
  std::int64_t last_event_us = 0;
  EXEMPLAR_RETURN_IF_ERROR(ScanRows(
      store, kExemplars, "", [&](std::string_view key, std::string_view value) {
        ExemplarRow row;
        if (!DecodeRow(value, &row)) {
          failed = Status::Corruption(
              "exemplar row \"" + std::string(key) + "\" does not decode",
              position);
          return false;
        }
        last_event_us = std::max(last_event_us, row.updated_at_us);
        model->LoadExemplarRow(std::move(row));
        return true;
      }));
  EXEMPLAR_RETURN_IF_ERROR(failed);
  model->FinishLoading();
  if (position > 0) {
    Result<EventRecord> last = store.ReadEvent(position);
    if (!last.ok()) return last.status();
    last_event_us = std::max(last_event_us, last->recorded_at_us);
  }
  model->SetPosition(position, last_event_us);
  return Status::Ok();
}

Status FlushProjections(const EventStore& store) {
  return FromRocks(
      store.db()->Flush(rocksdb::FlushOptions(), {Rows(store), Meta(store)}));
}

Status ScanStoredLedger(const EventStore& store, std::uint64_t after,
                        const LedgerVisit& visit) {
  Status failed;
  EXEMPLAR_RETURN_IF_ERROR(
      ScanRows(store, kLedger, BigEndian(after + 1),
               [&](std::string_view key, std::string_view value) {
                 LedgerRow row;
                 if (!DecodeRow(value, &row)) {
                   failed = Status::Corruption("ledger row does not decode",
                                               FromBigEndian(key));
                   return false;
                 }
                 return visit(row);
               }));
  return failed;
}

Result<std::map<std::string, std::string>> DumpProjections(
    const EventStore& store) {
  std::map<std::string, std::string> dump;
  std::unique_ptr<rocksdb::Iterator> it(
      store.db()->NewIterator(rocksdb::ReadOptions(), Rows(store)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    dump["projections/" + it->key().ToString()] = it->value().ToString();
  }
  EXEMPLAR_RETURN_IF_ERROR(FromRocks(it->status()));
  Result<std::map<std::string, std::uint64_t>> checkpoints =
      ReadCheckpoints(store);
  if (!checkpoints.ok()) return checkpoints.status();
  for (const auto& [name, position] : *checkpoints) {
    dump["meta/" + CheckpointKey(name)] = BigEndian(position);
  }
  return dump;
}

}  // namespace exemplar::projections
