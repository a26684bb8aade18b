// The sequencer: one thread that owns every write, gathering concurrent
// appends into one WriteBatch and one synced write (group commit).
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "engine/internal/layout.h"
#include "engine/internal/store_impl.h"

namespace exemplar {

void EventStore::Impl::AppendAsync(AppendRequest request, AppendCallback done) {
  if (Status valid = ValidateRequest(request, options_); !valid.ok()) {
    return done(valid);
  }
  auto pending = std::make_unique<Pending>();
  pending->digest = RequestDigest(request);
  pending->request = std::move(request);
  pending->done = std::move(done);
  Enqueue(std::move(pending));
}

void EventStore::Impl::AppendSealed(std::vector<EventRecord> records,
                                    AppendCallback done) {
  if (records.empty()) {
    return done(Status::InvalidArgument("an import needs at least one event",
                                        "events"));
  }
  auto pending = std::make_unique<Pending>();
  pending->sealed = std::move(records);
  pending->done = std::move(done);
  Enqueue(std::move(pending));
}

void EventStore::Impl::Enqueue(std::unique_ptr<Pending> pending) {
  Status refused = Status::Ok();
  if (options_.read_only)
    refused = Status::Unavailable("the store is read-only");
  if (refused.ok()) {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (closing_) {
      refused = Status::Unavailable("the store is closing");
    } else if (!stopped_.ok()) {
      refused = stopped_;
    } else {
      queue_.push_back(std::move(pending));
    }
  }
  if (!refused.ok()) return pending->done(refused);
  queue_cv_.notify_one();
}

void EventStore::Impl::SequencerLoop() {
  pthread_setname_np(pthread_self(), "sequencer");  // for top and perf
  while (true) {
    std::vector<std::unique_ptr<Pending>> pendings;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, nothing left to write
      size_t events = 0;
      while (!queue_.empty() &&
             (pendings.empty() || events + queue_.front()->events() <=
                                      options_.max_events_per_batch)) {
        events += queue_.front()->events();
        pendings.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!stopped_.ok()) {
      AnswerUnanswered(pendings, stopped_);
      continue;
    }
    try {
      ProcessBatch(pendings);
    } catch (const std::exception& e) {
      StopAfterFailure(pendings, e.what());
    } catch (...) {
      StopAfterFailure(pendings, "unknown exception");
    }
  }
}

// What a failed write does, for a failure that is not RocksDB's: the batch
// may be half-staged, half-written or half-answered, so the store takes no
// more appends until it is opened again (which verifies the log), and the
// process keeps serving reads.
void EventStore::Impl::StopAfterFailure(
    std::vector<std::unique_ptr<Pending>>& pendings, const std::string& what) {
  spdlog::critical("the store stops taking appends: the sequencer failed: {}",
                   what);
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    stopped_ = Status::IoError(
        "the store stopped taking appends after an internal failure (" + what +
        "); restart the server");
  }
  AnswerUnanswered(pendings, stopped_);
}

void EventStore::Impl::AnswerUnanswered(
    std::vector<std::unique_ptr<Pending>>& pendings, const Status& status) {
  for (auto& pending : pendings) {
    if (!pending->done) continue;
    try {
      Answer(pending.get(), status);
    } catch (...) {
      // The caller's callback failed too; the others still get their answer.
    }
  }
}

void EventStore::Impl::Answer(Pending* pending, Result<AppendResult> result) {
  AppendCallback done = std::move(pending->done);
  pending->done = nullptr;  // answered: a failure after this skips it
  done(std::move(result));
}

void EventStore::Impl::ProcessBatch(
    std::vector<std::unique_ptr<Pending>>& pendings) {
  // One batch reused: a fresh one would grow (and fault in) its buffer
  // again for every group commit. One that grew large is let go.
  constexpr std::size_t kMaxKeptBatchBytes = 4 << 20;
  if (batch_.GetDataSize() > kMaxKeptBatchBytes) {
    batch_ = rocksdb::WriteBatch();
  } else {
    batch_.Clear();
  }
  BatchState state(batch_);
  state.head = head();
  std::vector<Outcome> outcomes;
  for (auto& pending : pendings) {
    Outcome outcome{pending.get(), Status::Ok(), {}};
    outcome.status = pending->sealed.empty()
                         ? Stage(pending.get(), &state, &outcome.result)
                         : StageSealed(pending.get(), &state, &outcome.result);
    outcomes.push_back(std::move(outcome));
  }

  Status written = Status::Ok();
  std::chrono::nanoseconds write_time{0};
  if (!state.sealed.empty()) {
    std::vector<const EventRecord*> sealed;
    for (const auto& event : state.sealed) sealed.push_back(event.get());
    if (observer_) written = observer_->OnSealed(sealed, &state.batch);
    std::string head_value = layout::PositionKey(state.head.position);
    head_value.append(AsBytes(state.head.hash));
    if (written.ok()) {
      state.batch.Put(meta_, layout::kHeadKey, head_value);
      rocksdb::WriteOptions sync;
      sync.sync = true;  // acknowledged means durable
      const auto write_start = std::chrono::steady_clock::now();
      written = FromRocks(db_->Write(sync, &state.batch));
      write_time = std::chrono::steady_clock::now() - write_start;
    }
    if (!written.ok() && observer_) observer_->OnAborted();
  }

  if (written.ok() && !state.sealed.empty() && options_.on_batch_synced) {
    options_.on_batch_synced(SyncedBatch{state.sealed.size(), write_time});
  }
  if (written.ok()) {
    if (versions_.size() > kMaxCachedStreams) versions_.clear();
    for (auto& [stream, version] : state.versions) versions_[stream] = version;
    {
      std::lock_guard<std::mutex> lock(head_mu_);
      head_ = state.head;
    }
  }
  // Subscribers hear of the events before their writers do, so whoever
  // learns of an append can find its events in every subscription (the
  // command handler's authority model follows one).
  if (written.ok()) {
    hub_.Publish({state.sealed.begin(), state.sealed.end()});
  }
  for (Outcome& outcome : outcomes) {
    if (!outcome.status.ok()) {
      Answer(outcome.pending, outcome.status);
    } else if (!written.ok()) {
      Answer(outcome.pending, written);
    } else {
      Answer(outcome.pending, outcome.result);
    }
  }
}

// Decides one request within the batch: dedupe by key, check the expected
// version, then assign positions, seal and stage the writes.
Status EventStore::Impl::Stage(Pending* pending, BatchState* state,
                               AppendResult* result) {
  const AppendRequest& request = pending->request;
  if (!request.idempotency_key.empty()) {
    auto seen = FindKey(request.idempotency_key, *state);
    if (!seen.ok()) return seen.status();
    if (seen->has_value()) {
      if ((*seen)->request_digest != pending->digest) {
        return Status::IdempotencyReused(
            "idempotency key was used before for a different request");
      }
      *result = (*seen)->result;
      result->deduplicated = true;
      return Status::Ok();
    }
  }
  auto current = CurrentVersion(request.stream_id, *state);
  if (!current.ok()) return current.status();
  EXEMPLAR_RETURN_IF_ERROR(CheckExpectedVersion(request.expected_version,
                                                *current, request.stream_id));

  std::uint64_t version = current->has_value() ? **current + 1 : 0;
  for (const auto& [id, wrapped] : request.vault_keys) {
    state->batch.Put(vault_, id, wrapped);
  }
  result->first_position = state->head.position + 1;
  std::int64_t now = options_.clock();
  for (const NewEvent& event : request.events) {
    auto record = std::make_shared<EventRecord>();
    static_cast<NewEvent&>(*record) = event;
    if (record->recorded_at_us == 0) record->recorded_at_us = now;
    record->position = state->head.position + 1;
    record->stream_id = request.stream_id;
    record->stream_version = version;
    record->idempotency_key = request.idempotency_key;
    record->prev_hash = state->head.hash;
    std::string stored = SealEventRecord(record.get());
    state->batch.Put(events_, layout::PositionKey(record->position), stored);
    state->batch.Put(streams_, layout::StreamKey(request.stream_id, version),
                     layout::PositionKey(record->position));
    state->head = {record->position, record->hash};
    state->sealed.push_back(std::move(record));
    ++version;
  }
  result->last_position = state->head.position;
  result->stream_version = version - 1;
  state->versions[request.stream_id] = result->stream_version;
  if (!request.idempotency_key.empty()) {
    IdempotencyEntry entry{*result, pending->digest};
    state->batch.Put(idempotency_, request.idempotency_key, entry.Encode());
    state->keys[request.idempotency_key] = entry;
  }
  return Status::Ok();
}

// Checks every imported record before staging any, so that a refused call
// leaves the batch, which other appends share, as it was.
Status EventStore::Impl::StageSealed(Pending* pending, BatchState* state,
                                     AppendResult* result) {
  std::vector<EventRecord>& records = pending->sealed;
  Head head = state->head;
  std::unordered_map<std::string, std::uint64_t> next_versions;
  std::vector<std::string> stored;
  for (EventRecord& record : records) {
    const std::uint64_t at = record.position;
    if (at != head.position + 1) {
      return Status::Corruption("position " + std::to_string(at) +
                                    " does not follow " +
                                    std::to_string(head.position),
                                at);
    }
    if (record.prev_hash != head.hash) {
      return Status::Corruption(
          "previous hash does not chain to the event before", at);
    }
    const Hash256 claimed = record.hash;
    stored.push_back(SealEventRecord(&record));
    if (record.hash != claimed) {
      return Status::Corruption("the event's fields do not hash to its hash",
                                at);
    }
    auto next = next_versions.find(record.stream_id);
    if (next == next_versions.end()) {
      auto current = CurrentVersion(record.stream_id, *state);
      if (!current.ok()) return current.status();
      next = next_versions
                 .emplace(record.stream_id,
                          current->has_value() ? **current + 1 : 0)
                 .first;
    }
    if (record.stream_version != next->second) {
      return Status::Corruption("stream " + record.stream_id +
                                    " jumps to version " +
                                    std::to_string(record.stream_version) +
                                    " from " + std::to_string(next->second),
                                at);
    }
    ++next->second;
    head = {at, record.hash};
  }

  // Each run of events sharing an idempotency key is one original append;
  // its entry is rebuilt exactly as Stage wrote it.
  std::unordered_map<std::string, IdempotencyEntry> entries;
  for (size_t first = 0, end = 0; first < records.size(); first = end) {
    const std::string& key = records[first].idempotency_key;
    AppendRequest original;
    original.stream_id = records[first].stream_id;
    for (end = first;
         end < records.size() && records[end].idempotency_key == key; ++end) {
      if (!key.empty() && records[end].stream_id != original.stream_id) {
        return Status::Corruption("idempotency key spans two streams",
                                  records[end].position);
      }
      original.events.push_back(records[end]);  // what its caller supplied
    }
    if (key.empty()) continue;
    auto seen = FindKey(key, *state);
    if (!seen.ok()) return seen.status();
    if (seen->has_value() || entries.count(key)) {
      return Status::Corruption(
          "idempotency key was already used by an earlier append",
          records[first].position);
    }
    AppendResult original_result{records[first].position,
                                 records[end - 1].position,
                                 records[end - 1].stream_version, false};
    entries[key] = {original_result, RequestDigest(original)};
  }

  for (size_t i = 0; i < records.size(); ++i) {
    const EventRecord& record = records[i];
    state->batch.Put(events_, layout::PositionKey(record.position), stored[i]);
    state->batch.Put(streams_,
                     layout::StreamKey(record.stream_id, record.stream_version),
                     layout::PositionKey(record.position));
  }
  for (auto& [stream, next] : next_versions) state->versions[stream] = next - 1;
  for (auto& [key, entry] : entries) {
    state->batch.Put(idempotency_, key, entry.Encode());
    state->keys[key] = entry;
  }
  result->first_position = records.front().position;
  result->last_position = head.position;
  state->head = head;
  for (EventRecord& record : records) {
    state->sealed.push_back(std::make_shared<EventRecord>(std::move(record)));
  }
  return Status::Ok();
}

Result<std::optional<std::uint64_t>> EventStore::Impl::CurrentVersion(
    const std::string& stream_id, const BatchState& state) {
  if (auto it = state.versions.find(stream_id); it != state.versions.end()) {
    return it->second;
  }
  if (auto it = versions_.find(stream_id); it != versions_.end()) {
    return it->second;
  }
  auto loaded = LoadStreamVersion(stream_id);
  if (loaded.ok()) versions_[stream_id] = *loaded;
  return loaded;
}

Result<std::optional<IdempotencyEntry>> EventStore::Impl::FindKey(
    const std::string& key, const BatchState& state) {
  if (auto it = state.keys.find(key); it != state.keys.end()) {
    return std::optional<IdempotencyEntry>(it->second);
  }
  std::string value;
  rocksdb::Status s = db_->Get({}, idempotency_, key, &value);
  if (s.IsNotFound()) return std::optional<IdempotencyEntry>();
  if (!s.ok()) return FromRocks(s);
  IdempotencyEntry entry;
  if (!IdempotencyEntry::Decode(value, &entry)) {
    return Status::Corruption("idempotency entry is malformed", 0);
  }
  return std::optional<IdempotencyEntry>(entry);
}

}  // namespace exemplar
