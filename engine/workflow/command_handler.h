// The command handler: loads a stream, folds it, decides, and appends with
// the loaded version as the expected version, retrying a bounded number of
// times when another writer got there first. It keeps the Authority read
// model caught up with the log (system and token events only) before each
// decision.
// Handle waits for the append to be durable; HandleAsync calls back, so a
// server thread can go on serving meanwhile.
//
// Thread safety: every method may be called from any thread; decisions that
// need the authority model take a lock around catching it up.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "documents/document_store.h"
#include "engine/event_store.h"
#include "engine/workflow/authority.h"
#include "engine/workflow/decide.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/definition_versions.h"
#include "engine/workflow/exemplar_state.h"
#include "engine/workflow/funnel.h"
#include "engine/workflow/organisation.h"
#include "engine/workflow/personal_data.h"
#include "engine/workflow/reorganisation.h"

namespace exemplar {

struct CommandHandlerOptions {
  // Attempts of load-decide-append when the stream moved meanwhile.
  // Default 5.
  int max_attempts = 5;
  // Events read per page when loading a stream or catching up. Default 1000.
  std::size_t read_page = 1000;
  // Seals the personal values of workflow events before they are appended
  // (personal_data.h); must outlive the handler. Default: none, values are
  // appended as given.
  PersonalData* personal_data = nullptr;
  // Where the documents of documents fields wait and are kept: a command
  // claims the actor's uploads it names, returns them when it fails, and
  // an erasure removes the files it leaves unreadable. Must outlive the
  // handler. Default: none, documents fields take nothing.
  documents::DocumentStore* documents = nullptr;
};

// Per-command options from the caller.
struct CommandOptions {
  // Empty for none. A key already used on the stream returns the first
  // result (deduplicated) without deciding again.
  std::string idempotency_key;
  // When set, the stream must be at this version (or absent, for
  // ExpectedVersion::NoStream); otherwise kVersionConflict at once, with no
  // retry.
  std::optional<ExpectedVersion> expected_version;
};

class CommandHandler {
 public:
  // `store` and `definition` must outlive the handler.
  CommandHandler(EventStore* store, const Definition* definition,
                 CommandHandlerOptions options = {});

  // Decides and appends one workflow command. Returns the append result, a
  // kRejected Status from Decide (nothing appended), kVersionConflict after
  // max_attempts or when the caller's expected version does not hold, or a
  // store error.
  Result<AppendResult> Handle(const WorkflowCommand& command,
                              const CommandOptions& options = {});

  // The same for a system command (units, users, roles, campaigns, tokens).
  Result<AppendResult> Handle(const SystemCommand& command,
                              const CommandOptions& options = {});
  // A reorganisation of units (reorganisation.h).
  Result<AppendResult> Handle(const ReorganisationCommand& command,
                              const CommandOptions& options = {});
  // Moving an exemplar to a successor of its ended unit, decided on the
  // exemplar's stream (reorganisation.h).
  Result<AppendResult> Handle(const TransferCommand& command,
                              const CommandOptions& options = {});

  // Handle without waiting: the command is decided on the calling thread and
  // `done` gets what Handle would return, exactly once. When nothing reaches
  // the store (a rejection, a deduplicated retry, the caller's expected
  // version not holding) `done` runs before HandleAsync returns; otherwise on
  // the store's sequencer thread, under EventStore::AppendAsync's rules
  // (quick, never waiting for an append). A conflict with another writer is
  // decided again where it is reported, so that retry, rare, runs on the
  // sequencer thread.
  void HandleAsync(WorkflowCommand command, CommandOptions options,
                   AppendCallback done);
  void HandleAsync(SystemCommand command, CommandOptions options,
                   AppendCallback done);
  void HandleAsync(ReorganisationCommand command, CommandOptions options,
                   AppendCallback done);
  void HandleAsync(TransferCommand command, CommandOptions options,
                   AppendCallback done);
  // The same for a command of the registration funnel or the propagation
  // assessment (funnel.h), decided by DecideFunnel, which reads the
  // exemplars and the lists it names from the store.
  void HandleAsync(FunnelCommand command, CommandOptions options,
                   AppendCallback done);
  Result<AppendResult> Handle(const FunnelCommand& command,
                              const CommandOptions& options = {});

  // The exemplar's state folded from its stream (not existing: empty state).
  Result<ExemplarState> LoadExemplar(const std::string& exemplar_id) const;

  // The authority model caught up with the log's head, as an immutable
  // snapshot the caller may keep while commands go on. The model is copied
  // only when system events arrived since the last snapshot, so asking per
  // request is cheap. Thread-safe.
  Result<std::shared_ptr<const Authority>> CurrentAuthority();

  // The definition the server runs with: new work is decided by it.
  const Definition& definition() const { return *definition_; }
  // What seals and opens personal values; null when they are not sealed.
  const PersonalData* personal_data() const { return options_.personal_data; }
  // The definition `action` on an exemplar in `state` is decided by: the
  // version its nomination in flight began under, when the log recorded
  // it (definition_versions.h).
  const Definition& DefinitionFor(const ExemplarState& state,
                                  const std::string& action,
                                  const Authority& authority) const {
    return versions_.For(state, action, authority);
  }

 private:
  struct Loaded {
    std::vector<EventRecord> events;
    std::optional<std::uint64_t> version;
  };
  // What a command decided to append: its events and, for a workflow
  // command, its event's payload, not yet encoded into events.front() so
  // that its personal values are sealed first.
  struct Decision {
    std::vector<NewEvent> events;
    std::optional<WorkflowEvent> payload;
  };
  // The decision to append `events`, already encoded.
  static Result<Decision> Decided(Result<std::vector<NewEvent>> events);
  // A command on its way: its stream, how it decides on the stream's
  // events, the attempts left and who hears the outcome.
  struct Attempt {
    std::string stream_id;
    CommandOptions options;
    std::function<Result<Decision>(const std::vector<EventRecord>&)> decide;
    AppendCallback done;
    int attempts_left = 0;
  };

  Result<Loaded> LoadStream(const std::string& stream_id) const;
  // Fills command->exemplar_units for the exemplars its exemplar fields
  // name.
  Status FindExemplarUnits(WorkflowCommand* command) const;
  // Fills command->documents with the actor's uploads its documents fields
  // name, claimed from the document store; a hash not waiting is left for
  // the field check to refuse. Returns what it claimed.
  Result<std::vector<documents::StagedDocument>> ClaimDocuments(
      WorkflowCommand* command) const;
  Status CatchUpLocked();
  // Folds the system streams' events up to the head into authority_ and
  // returns that head: the first catch-up, which reads a few streams
  // instead of filtering the whole log.
  Result<std::uint64_t> LoadSystemStreamsLocked();
  // A decision on the authority model alone, caught up first (system
  // commands, whatever stream they append to).
  using DecideOnAuthority =
      std::function<Result<std::vector<NewEvent>>(const Authority&)>;
  void StartOnAuthority(std::string stream_id, CommandOptions options,
                        DecideOnAuthority decide, AppendCallback done);
  // Makes a command's first attempt.
  void Start(std::string stream_id, CommandOptions options,
             decltype(Attempt::decide) decide, AppendCallback done);
  // One attempt: load, check, decide, append; again on a conflict while
  // attempts are left.
  void Try(std::shared_ptr<Attempt> attempt);

  EventStore* store_;
  const Definition* definition_;
  DefinitionVersions versions_;
  CommandHandlerOptions options_;
  std::mutex authority_mutex_;
  Authority authority_;
  std::shared_ptr<const Authority> snapshot_;  // authority_ when last asked
  // The system events after followed_to_; created on first use.
  std::unique_ptr<Subscription> system_events_;
  // The log position up to which authority_ holds every system event (it
  // may be past authority_.position(), the last one folded).
  std::uint64_t followed_to_ = 0;
};

}  // namespace exemplar
