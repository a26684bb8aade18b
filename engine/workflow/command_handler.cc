#include "engine/workflow/command_handler.h"

#include <algorithm>
#include <chrono>

#include "events/crash_point.h"
#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The result of an earlier command with `key`, found among its events.
std::optional<AppendResult> EarlierResult(
    const std::vector<EventRecord>& events, const std::string& key) {
  if (key.empty()) return std::nullopt;
  std::optional<AppendResult> found;
  for (const EventRecord& record : events) {
    if (record.idempotency_key != key) continue;
    if (!found) {
      found = AppendResult{record.position, record.position, 0, true};
    }
    found->last_position = record.position;
    found->stream_version = record.stream_version;
  }
  return found;
}

// kVersionConflict when the caller's expectation does not hold.
Status CheckExpected(const std::optional<ExpectedVersion>& expected,
                     std::optional<std::uint64_t> actual) {
  if (!expected) return Status::Ok();
  bool holds = true;
  switch (expected->kind()) {
    case ExpectedVersion::Kind::kAny:
      break;
    case ExpectedVersion::Kind::kNoStream:
      holds = !actual.has_value();
      break;
    case ExpectedVersion::Kind::kStreamExists:
      holds = actual.has_value();
      break;
    case ExpectedVersion::Kind::kExact:
      holds = actual == expected->version();
      break;
  }
  if (holds) return Status::Ok();
  return Status::VersionConflict("the stream is not at the expected version",
                                 actual);
}

Result<ExemplarState> Fold(const Definition& definition,
                           const std::vector<EventRecord>& events) {
  ExemplarState state;
  for (const EventRecord& record : events) {
    Result<ExemplarState> next = Apply(definition, std::move(state), record);
    if (!next.ok()) return next.status();
    state = std::move(*next);
  }
  return state;
}

}  // namespace

CommandHandler::CommandHandler(EventStore* store, const Definition* definition,
                               CommandHandlerOptions options)
    : store_(store),
      definition_(definition),
      versions_(definition),
      options_(options) {}

Result<CommandHandler::Loaded> CommandHandler::LoadStream(
    const std::string& stream_id) const {
  Loaded loaded;
  for (;;) {
    std::uint64_t from =
        loaded.events.empty() ? 0 : loaded.events.back().stream_version + 1;
    Result<std::vector<EventRecord>> page = store_->ReadStream(
        stream_id, from, Direction::kForward, options_.read_page);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    for (EventRecord& record : *page)
      loaded.events.push_back(std::move(record));
    if (page->size() < options_.read_page) break;
  }
  if (!loaded.events.empty()) {
    loaded.version = loaded.events.back().stream_version;
  }
  return loaded;
}

Status CommandHandler::CatchUpLocked() {
  // A subscription to the system events: after the first catch-up it holds
  // just the events appended since, so asking per command reads nothing
  // from the store.
  for (;;) {
    if (!system_events_) {
      if (followed_to_ == 0) {
        Result<std::uint64_t> head = LoadSystemStreamsLocked();
        if (!head.ok()) return head.status();
        followed_to_ = *head;
      }
      EventFilter filter;
      filter.types = SystemEventTypes();
      filter.types.insert(filter.types.end(), TokenEventTypes().begin(),
                          TokenEventTypes().end());
      filter.types.insert(filter.types.end(), CredentialEventTypes().begin(),
                          CredentialEventTypes().end());
      system_events_ = store_->Subscribe(followed_to_ + 1, filter);
    }
    Result<std::optional<EventRecord>> next =
        system_events_->Next(std::chrono::milliseconds(0));
    if (!next.ok()) {
      system_events_.reset();
      // Fell behind: subscribe again from where the model is.
      if (next.status().code() == StatusCode::kDropped) continue;
      return next.status();
    }
    if (!next->has_value()) return Status::Ok();
    EXEMPLAR_RETURN_IF_ERROR(authority_.Apply(**next));
    followed_to_ = (*next)->position;
  }
}

Result<std::uint64_t> CommandHandler::LoadSystemStreamsLocked() {
  // The head first: every event up to it is in the streams read after.
  const std::uint64_t head = store_->head().position;
  std::vector<EventRecord> events;
  // The token and credential streams too: their rules read which tokens
  // and setup codes exist.
  std::vector<std::string> prefixes = SystemStreamPrefixes();
  prefixes.emplace_back(StreamPrefix(StreamKind::kToken));
  prefixes.emplace_back(StreamPrefix(StreamKind::kCredential));
  for (const std::string& prefix : prefixes) {
    Result<std::vector<EventRecord>> stream_events =
        store_->ReadStreamsWithPrefix(prefix);
    if (!stream_events.ok()) return stream_events.status();
    for (EventRecord& record : *stream_events) {
      if (record.position <= head) events.push_back(std::move(record));
    }
  }
  std::sort(events.begin(), events.end(),
            [](const EventRecord& a, const EventRecord& b) {
              return a.position < b.position;
            });
  // Folded aside, so that a failure leaves the model empty for a retry.
  Authority loaded;
  for (const EventRecord& record : events) {
    EXEMPLAR_RETURN_IF_ERROR(loaded.Apply(record));
  }
  authority_ = std::move(loaded);
  return head;
}

Result<std::shared_ptr<const Authority>> CommandHandler::CurrentAuthority() {
  std::lock_guard<std::mutex> lock(authority_mutex_);
  EXEMPLAR_RETURN_IF_ERROR(CatchUpLocked());
  if (!snapshot_ || snapshot_->position() != authority_.position()) {
    snapshot_ = std::make_shared<const Authority>(authority_);
  }
  return snapshot_;
}

Result<ExemplarState> CommandHandler::LoadExemplar(
    const std::string& exemplar_id) const {
  Result<Loaded> loaded = LoadStream(ExemplarStreamId(exemplar_id));
  if (!loaded.ok()) return loaded.status();
  return Fold(*definition_, loaded->events);
}

Result<CommandHandler::Decision> CommandHandler::Decided(
    Result<std::vector<NewEvent>> events) {
  if (!events.ok()) return events.status();
  return Decision{std::move(*events), std::nullopt};
}

void CommandHandler::Start(std::string stream_id, CommandOptions options,
                           decltype(Attempt::decide) decide,
                           AppendCallback done) {
  auto attempt = std::make_shared<Attempt>(
      Attempt{std::move(stream_id), std::move(options), std::move(decide),
              std::move(done), options_.max_attempts});
  Try(std::move(attempt));
}

void CommandHandler::Try(std::shared_ptr<Attempt> attempt) {
  --attempt->attempts_left;
  Result<Loaded> loaded = LoadStream(attempt->stream_id);
  if (!loaded.ok()) return attempt->done(loaded.status());
  const CommandOptions& options = attempt->options;
  if (auto earlier = EarlierResult(loaded->events, options.idempotency_key)) {
    return attempt->done(*earlier);
  }
  if (Status expected =
          CheckExpected(options.expected_version, loaded->version);
      !expected.ok()) {
    return attempt->done(expected);
  }
  Result<Decision> decided = attempt->decide(loaded->events);
  if (!decided.ok()) return attempt->done(decided.status());
  AppendRequest request;
  request.stream_id = attempt->stream_id;
  request.expected_version = loaded->version
                                 ? ExpectedVersion::Exact(*loaded->version)
                                 : ExpectedVersion::NoStream();
  request.events = std::move(decided->events);
  request.idempotency_key = options.idempotency_key;
  std::vector<crypto::KeyName> keys;
  std::optional<Erasure> erasure;
  std::optional<WorkflowEvent>& payload = decided->payload;
  if (options_.personal_data != nullptr && payload) {
    Result<bool> sealed = options_.personal_data->SealWorkflowEvent(
        *definition_, loaded->version ? *loaded->version + 1 : 0, &*payload,
        &request.events.front(), &request, &keys);
    if (!sealed.ok()) return attempt->done(sealed.status());
  }
  if (payload) request.events.front().payload = EncodePayload(*payload);
  if (options_.personal_data != nullptr) {
    Status addresses =
        options_.personal_data->SealAddresses(NowMicros(), &request, &keys);
    if (!addresses.ok()) return attempt->done(addresses);
    Result<std::optional<Erasure>> prepared =
        options_.personal_data->PrepareErasure(*definition_, loaded->events,
                                               &request);
    if (!prepared.ok()) return attempt->done(prepared.status());
    erasure = std::move(*prepared);
  }
  store_->AppendAsync(
      std::move(request),
      [this, attempt, keys = std::move(keys),
       erasure = std::move(erasure)](Result<AppendResult> appended) {
        const bool written = appended.ok() && !appended->deduplicated;
        if (written && !keys.empty()) options_.personal_data->Stored(keys);
        if (written && erasure) {
          CrashPoint("erasure_appended");
          // On the sequencer thread, holding up appends while the vault is
          // purged: erasures are rare, and a key must not outlive the event
          // that recorded its erasure by more than it must. Should this
          // fail, the erasure's entry stays and the next start finishes it.
          Status erased = options_.personal_data->CompleteErasure(
              *erasure, [this](const std::vector<std::string>& hashes) {
                return options_.documents == nullptr
                           ? Status::Ok()
                           : options_.documents->Remove(hashes);
              });
          if (!erased.ok()) return attempt->done(erased);
        }
        // Another writer moved the stream after it was loaded: decide again
        // on what it wrote, unless the caller pinned the version.
        bool retry = !appended.ok() &&
                     appended.status().code() == StatusCode::kVersionConflict &&
                     !attempt->options.expected_version &&
                     attempt->attempts_left > 0;
        if (retry) return Try(attempt);
        attempt->done(std::move(appended));
      });
}

Status CommandHandler::FindExemplarUnits(WorkflowCommand* command) const {
  const ActionSpec* action = definition_->FindAction(command->action);
  if (action == nullptr || !command->fields.is_object()) return Status::Ok();
  for (const FieldSpec& spec : action->fields) {
    auto value = command->fields.find(spec.name);
    if (spec.type != FieldType::kExemplar || value == command->fields.end() ||
        !value->is_string() || !IsValidId(value->get<std::string>())) {
      continue;
    }
    Result<ExemplarState> named = LoadExemplar(value->get<std::string>());
    if (!named.ok()) return named.status();
    if (named->exists()) {
      command->exemplar_units[value->get<std::string>()] = named->unit_id;
    }
  }
  return Status::Ok();
}

Result<std::vector<documents::StagedDocument>> CommandHandler::ClaimDocuments(
    WorkflowCommand* command) const {
  std::vector<documents::StagedDocument> claimed;
  const ActionSpec* action = definition_->FindAction(command->action);
  if (action == nullptr || !command->fields.is_object() ||
      options_.documents == nullptr) {
    return claimed;
  }
  for (const FieldSpec& spec : action->fields) {
    auto value = command->fields.find(spec.name);
    if (spec.type != FieldType::kDocuments || value == command->fields.end() ||
        !value->is_array() || value->size() > spec.max_items) {
      continue;
    }
    for (const nlohmann::json& hash : *value) {
      if (!hash.is_string() || command->documents.contains(hash)) continue;
      Result<documents::StagedDocument> document = options_.documents->Claim(
          hash.get<std::string>(), command->actor.user_id, NowMicros());
      if (document.status().code() == StatusCode::kNotFound) continue;
      if (!document.ok()) {
        for (documents::StagedDocument& taken : claimed) {
          options_.documents->Unclaim(std::move(taken));
        }
        return document.status();
      }
      command->documents[document->ref.hash] = document->ref;
      claimed.push_back(std::move(*document));
    }
  }
  return claimed;
}

void CommandHandler::HandleAsync(WorkflowCommand command,
                                 CommandOptions options, AppendCallback done) {
  if (!IsValidId(command.exemplar_id)) {
    return done(Status::Rejected("validation_failed",
                                 "exemplar_id: an id is 1 to 100 characters of "
                                 "[A-Za-z0-9._:-]",
                                 "exemplar_id"));
  }
  if (Status found = FindExemplarUnits(&command); !found.ok()) {
    return done(found);
  }
  Result<std::vector<documents::StagedDocument>> claimed =
      ClaimDocuments(&command);
  if (!claimed.ok()) return done(claimed.status());
  if (!claimed->empty()) {
    // Documents of a command that recorded nothing wait for the next.
    done = [this, claimed = std::move(*claimed),
            done = std::move(done)](Result<AppendResult> appended) mutable {
      if (!appended.ok() || appended->deduplicated) {
        for (documents::StagedDocument& document : claimed) {
          options_.documents->Unclaim(std::move(document));
        }
      }
      done(std::move(appended));
    };
  }
  std::string stream_id = ExemplarStreamId(command.exemplar_id);
  Start(
      std::move(stream_id), std::move(options),
      [this, command = std::move(command)](
          const std::vector<EventRecord>& events) -> Result<Decision> {
        Result<ExemplarState> state = Fold(*definition_, events);
        if (!state.ok()) return state.status();
        // On a snapshot, holding no lock: the I/O threads decide side by
        // side, and a decision sees the model as a whole, as before.
        Result<std::shared_ptr<const Authority>> authority = CurrentAuthority();
        if (!authority.ok()) return authority.status();
        Result<DecidedEvent> decided = DecideEvent(
            *state, command, versions_.For(*state, command.action, **authority),
            **authority);
        if (!decided.ok()) return decided.status();
        return Decision{{std::move(decided->event)},
                        std::move(decided->payload)};
      },
      std::move(done));
}

void CommandHandler::StartOnAuthority(std::string stream_id,
                                      CommandOptions options,
                                      DecideOnAuthority decide,
                                      AppendCallback done) {
  Start(
      std::move(stream_id), std::move(options),
      [this, decide = std::move(decide)](
          const std::vector<EventRecord>&) -> Result<Decision> {
        Result<std::shared_ptr<const Authority>> authority = CurrentAuthority();
        if (!authority.ok()) return authority.status();
        return Decided(decide(**authority));
      },
      std::move(done));
}

void CommandHandler::HandleAsync(SystemCommand command, CommandOptions options,
                                 AppendCallback done) {
  std::string stream_id = SystemStreamId(command);
  StartOnAuthority(
      std::move(stream_id), std::move(options),
      [this, command = std::move(command)](const Authority& authority) {
        return DecideSystem(command, authority, *definition_);
      },
      std::move(done));
}

void CommandHandler::HandleAsync(ReorganisationCommand command,
                                 CommandOptions options, AppendCallback done) {
  std::string stream_id = ReorganisationStreamId(command);
  StartOnAuthority(
      std::move(stream_id), std::move(options),
      [this, command = std::move(command)](const Authority& authority) {
        return DecideSystem(command, authority, *definition_);
      },
      std::move(done));
}

void CommandHandler::HandleAsync(TransferCommand command,
                                 CommandOptions options, AppendCallback done) {
  if (!IsValidId(command.transfer.exemplar_id)) {
    return done(Status::Rejected(
        "exemplar_not_found",
        "no exemplar \"" + command.transfer.exemplar_id + "\"", "exemplar_id"));
  }
  std::string stream_id = ExemplarStreamId(command.transfer.exemplar_id);
  Start(
      std::move(stream_id), std::move(options),
      [this, command = std::move(command)](
          const std::vector<EventRecord>& events) -> Result<Decision> {
        Result<ExemplarState> state = Fold(*definition_, events);
        if (!state.ok()) return state.status();
        Result<std::shared_ptr<const Authority>> authority = CurrentAuthority();
        if (!authority.ok()) return authority.status();
        return Decided(DecideTransfer(*state, command, **authority));
      },
      std::move(done));
}

Result<AppendResult> CommandHandler::Handle(
    const ReorganisationCommand& command, const CommandOptions& options) {
  return AwaitAppend([&](AppendCallback done) {
    HandleAsync(command, options, std::move(done));
  });
}

Result<AppendResult> CommandHandler::Handle(const TransferCommand& command,
                                            const CommandOptions& options) {
  return AwaitAppend([&](AppendCallback done) {
    HandleAsync(command, options, std::move(done));
  });
}

void CommandHandler::HandleAsync(FunnelCommand command, CommandOptions options,
                                 AppendCallback done) {
  if (Status ids = CheckFunnelIds(command); !ids.ok()) return done(ids);
  std::string stream_id = FunnelStreamId(command);
  Start(
      std::move(stream_id), std::move(options),
      [this, command = std::move(command)](
          const std::vector<EventRecord>& events) -> Result<Decision> {
        FunnelReads reads;
        reads.stream =
            [this](
                const std::string& stream) -> Result<std::vector<EventRecord>> {
          Result<Loaded> loaded = LoadStream(stream);
          if (!loaded.ok()) return loaded.status();
          return std::move(loaded->events);
        };
        reads.exemplar_unit =
            [this](
                const std::string& id) -> Result<std::optional<std::string>> {
          if (!IsValidId(id)) return std::optional<std::string>();
          Result<ExemplarState> state = LoadExemplar(id);
          if (!state.ok()) return state.status();
          if (!state->exists()) return std::optional<std::string>();
          return std::optional<std::string>(state->unit_id);
        };
        Result<std::shared_ptr<const Authority>> authority = CurrentAuthority();
        if (!authority.ok()) return authority.status();
        return Decided(
            DecideFunnel(command, events, reads, **authority, *definition_));
      },
      std::move(done));
}

Result<AppendResult> CommandHandler::Handle(const FunnelCommand& command,
                                            const CommandOptions& options) {
  return AwaitAppend([&](AppendCallback done) {
    HandleAsync(command, options, std::move(done));
  });
}

Result<AppendResult> CommandHandler::Handle(const WorkflowCommand& command,
                                            const CommandOptions& options) {
  return AwaitAppend([&](AppendCallback done) {
    HandleAsync(command, options, std::move(done));
  });
}

Result<AppendResult> CommandHandler::Handle(const SystemCommand& command,
                                            const CommandOptions& options) {
  return AwaitAppend([&](AppendCallback done) {
    HandleAsync(command, options, std::move(done));
  });
}

}  // namespace exemplar
