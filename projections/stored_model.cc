#include "projections/stored_model.h"

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
constexpr char kUnitRecords[] = "unit_records";
constexpr char kPropagation[] = "propagation";
constexpr char kTimeline[] = "timeline";

// The layout of the stored exemplar rows (kRowsFormatKey), raised whenever
// ExemplarRow gains a member, so that rows written by an earlier version
// are rebuilt instead of failing to decode. 2: retention facts; 3: which
// classes of personal data the row's events recorded.
constexpr char kRowsFormat[] = "3";

std::string Prefix(const std::string& name) { return name + '\0'; }

// Calls visit(key suffix, value) for every row of projection `name` whose
// key suffix is at least `from`, in key order, until it returns false.
Status ScanRows(const EventStore& store, const std::string& name,
                const std::string& from, const SideStore::Visit& visit) {
  const std::string prefix = Prefix(name);
  return store.side_store().Scan(
      SideSpace::kProjectionRows, prefix + from, name + '\1',
      [&](std::string_view key, std::string_view value) {
        return visit(key.substr(prefix.size()), value);
      });
}

}  // namespace

const std::vector<std::string>& ProjectionNames() {
  static const std::vector<std::string> kNames = {
      kAuthority, kExemplars, kLedger, kUnitRecords, kPropagation, kTimeline};
  return kNames;
}

Result<std::map<std::string, std::uint64_t>> ReadCheckpoints(
    const EventStore& store) {
  std::map<std::string, std::uint64_t> checkpoints;
  for (const std::string& name : ProjectionNames()) {
    auto value =
        store.side_store().Get(SideSpace::kProjectionCheckpoints, name);
    if (!value.ok()) return value.status();
    checkpoints[name] = value->has_value() ? DecodePosition(**value) : 0;
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
  for (const EventRecord* record : changes->unit_records) {
    unit_records_.push_back(*record);
  }
  std::move(changes->propagation.begin(), changes->propagation.end(),
            std::back_inserter(propagation_));
  timeline_.insert(timeline_.end(), changes->timeline.begin(),
                   changes->timeline.end());
  position_ = position;
}

Status PendingWrites::Write(const EventStore& store,
                            const std::set<std::string>& names) {
  if (position_ == 0) return Status::Ok();
  // One batch reused, so its buffer does not grow again for every write.
  SideStore& side = store.side_store();
  if (!batch_) batch_.emplace(side.NewBatch());
  SideStore::Batch& batch = *batch_;
  thread_local RowEncoder encoder;
  std::string key;
  auto put = [&](const char* name, std::string_view suffix,
                 std::string_view value) {
    key.assign(name).push_back('\0');
    key.append(suffix);
    batch.Put(SideSpace::kProjectionRows, key, value);
  };
  // System and funnel events are kept as recorded and folded again at load.
  auto put_records = [&](const char* name, std::vector<EventRecord>& records) {
    if (!names.contains(name)) return;
    for (EventRecord& record : records) {
      std::string stored = SealEventRecord(&record);
      put(name, EncodePosition(record.position), stored);
    }
  };
  put_records(kAuthority, system_);
  put_records(kUnitRecords, unit_records_);
  if (names.contains(kPropagation)) {
    for (const PropagationRow& row : propagation_) {
      put(kPropagation, EncodePosition(row.position), encoder.Encode(row));
    }
  }
  if (names.contains(kTimeline)) {
    for (const TimePoint& point : timeline_) {
      put(kTimeline, EncodePosition(point.position),
          EncodePosition(static_cast<std::uint64_t>(point.at_us)));
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
    batch.Put(SideSpace::kProjectionCheckpoints, kRowsFormatKey, kRowsFormat);
  }
  if (names.contains(kLedger)) {
    for (const LedgerRow& row : ledger_) {
      put(kLedger, EncodePosition(row.position), encoder.Encode(row));
    }
  }
  for (const std::string& name : names) {
    batch.Put(SideSpace::kProjectionCheckpoints, name,
              EncodePosition(position_));
  }
  // Not synced: a model is derived state, and a batch lost in a crash is
  // lost together with its checkpoint, so the runner simply redoes it.
  Status written = side.Write(&batch, Durability::kBuffered);
  exemplars_.clear();
  exemplar_order_.clear();
  ledger_.clear();
  system_.clear();
  unit_records_.clear();
  propagation_.clear();
  timeline_.clear();
  position_ = 0;
  return written;
}

Status DropProjection(const EventStore& store, const std::string& name) {
  SideStore& side = store.side_store();
  SideStore::Batch batch = side.NewBatch();
  batch.DeleteRange(SideSpace::kProjectionRows, Prefix(name), name + '\1');
  batch.Delete(SideSpace::kProjectionCheckpoints, name);
  return side.Write(&batch, Durability::kBuffered);
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
          "): a rebuild was interrupted, or the projections were written "
          "by an older version; run `exemplar projections rebuild`");
    }
  }
  if (position > 0) {
    auto format = store.side_store().Get(SideSpace::kProjectionCheckpoints,
                                         kRowsFormatKey);
    if (!format.ok()) return format.status();
    if (format->value_or("1") != kRowsFormat) {
      return Status::Internal(
          "the projections' exemplar rows were written by an older version");
    }
  }
  Status failed;
  auto load_records = [&](const char* name, auto load) {
    return ScanRows(store, name, "",
                    [&](std::string_view key, std::string_view value) {
                      Result<EventRecord> record =
                          DecodeEventRecord(value, DecodePosition(key));
                      failed = record.ok() ? load(*record) : record.status();
                      return failed.ok();
                    });
  };
  EXEMPLAR_RETURN_IF_ERROR(load_records(kAuthority, [&](const EventRecord& r) {
    return model->LoadSystemEvent(r);
  }));
  EXEMPLAR_RETURN_IF_ERROR(failed);
  EXEMPLAR_RETURN_IF_ERROR(load_records(
      kUnitRecords,
      [&](const EventRecord& r) { return model->LoadUnitRecord(r); }));
  EXEMPLAR_RETURN_IF_ERROR(failed);
  EXEMPLAR_RETURN_IF_ERROR(
      ScanRows(store, kPropagation, "",
               [&](std::string_view key, std::string_view value) {
                 PropagationRow row;
                 if (!DecodeRow(value, &row)) {
                   failed = Status::Corruption(
                       "propagation row does not decode", DecodePosition(key));
                   return false;
                 }
                 model->LoadPropagationRow(std::move(row));
                 return true;
               }));
  EXEMPLAR_RETURN_IF_ERROR(failed);
  EXEMPLAR_RETURN_IF_ERROR(ScanRows(
      store, kTimeline, "", [&](std::string_view key, std::string_view value) {
        model->LoadTimePoint(
            TimePoint{DecodePosition(key),
                      static_cast<std::int64_t>(DecodePosition(value))});
        return true;
      }));
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
  return store.side_store().Flush(
      {SideSpace::kProjectionRows, SideSpace::kProjectionCheckpoints});
}

Status ScanStoredLedger(const EventStore& store, std::uint64_t past,
                        LedgerOrder order, const LedgerVisit& visit) {
  Status failed;
  const SideStore::Visit decode = [&](std::string_view key,
                                      std::string_view value) {
    LedgerRow row;
    if (!DecodeRow(value, &row)) {
      failed =
          Status::Corruption("ledger row does not decode", DecodePosition(key));
      return false;
    }
    return visit(row);
  };
  if (order == LedgerOrder::kOldestFirst) {
    EXEMPLAR_RETURN_IF_ERROR(
        ScanRows(store, kLedger, EncodePosition(past + 1), decode));
  } else {
    const std::string prefix = Prefix(kLedger);
    EXEMPLAR_RETURN_IF_ERROR(store.side_store().ScanBackward(
        SideSpace::kProjectionRows, prefix,
        past == 0 ? std::string(kLedger) + '\1' : prefix + EncodePosition(past),
        [&](std::string_view key, std::string_view value) {
          return decode(key.substr(prefix.size()), value);
        }));
  }
  return failed;
}

Result<std::map<std::string, std::uint64_t>> ProjectionBytes(
    const EventStore& store) {
  std::map<std::string, std::uint64_t> bytes;
  for (const std::string& name : ProjectionNames()) {
    std::uint64_t& sum = bytes[name];
    EXEMPLAR_RETURN_IF_ERROR(ScanRows(
        store, name, "", [&](std::string_view key, std::string_view value) {
          sum += name.size() + 1 + key.size() + value.size();
          return true;
        }));
  }
  return bytes;
}

Result<std::map<std::string, std::string>> DumpProjections(
    const EventStore& store) {
  std::map<std::string, std::string> dump;
  EXEMPLAR_RETURN_IF_ERROR(store.side_store().Scan(
      SideSpace::kProjectionRows, "", "",
      [&](std::string_view key, std::string_view value) {
        dump["projections/" + std::string(key)] = value;
        return true;
      }));
  Result<std::map<std::string, std::uint64_t>> checkpoints =
      ReadCheckpoints(store);
  if (!checkpoints.ok()) return checkpoints.status();
  for (const auto& [name, position] : *checkpoints) {
    dump["checkpoints/" + name] = EncodePosition(position);
  }
  return dump;
}

}  // namespace exemplar::projections
