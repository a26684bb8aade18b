#include "projections/projections.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>

#include "engine/log_reader.h"
#include "engine/workflow/stream_ids.h"
#include "events/clock.h"
#include "events/system_events.h"
#include "projections/log_scan.h"
#include "projections/read_model.h"
#include "projections/reports.h"
#include "projections/stored_model.h"

namespace exemplar::projections {
namespace {

constexpr std::size_t kStreamPage = 1000;

std::set<std::string> AllNames() {
  return {ProjectionNames().begin(), ProjectionNames().end()};
}

// True when `record` lies beyond `as_of` (see AsOf).
bool Beyond(const EventRecord& record, const AsOf& as_of) {
  if (as_of.position != 0 && record.position > as_of.position) return true;
  return as_of.time_us != 0 && record.recorded_at_us > as_of.time_us;
}

}  // namespace

class Projections::Impl {
 public:
  Impl(EventStore* store, const Definition* definition,
       ProjectionsOptions options)
      : store_(store),
        definition_(definition),
        options_(options),
        model_(definition, {.keep_ledger = options.in_memory,
                            .personal_data = options.personal_data}) {}

  ~Impl() { Stop(); }

  Status Load() {
    EXEMPLAR_RETURN_IF_ERROR(LoadModel(*store_, &model_));
    position_ = model_.position();
    return Status::Ok();
  }

  void Start() {
    std::lock_guard lock(thread_mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { Run(); });
  }

  void Stop() {
    std::lock_guard lock(thread_mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    {
      std::lock_guard sub_lock(subscription_mutex_);
      if (subscription_ != nullptr) subscription_->Cancel();
    }
    thread_.join();
    if (Status flushed = FlushProjections(*store_); !flushed.ok()) {
      spdlog::warn("projections: {}", flushed.ToString());
    }
  }

  // The whole log folded into the models in memory (in_memory).
  Status FoldLog() {
    LogScan scan(*store_, store_->head());
    for (;;) {
      Result<std::span<const ScannedEvent>> events = scan.Next();
      if (!events.ok()) return events.status();
      if (events->empty()) break;
      for (const ScannedEvent& event : *events) {
        EXEMPLAR_RETURN_IF_ERROR(
            model_.Apply(event.record, event.decoded_workflow(), nullptr));
      }
    }
    position_ = model_.position();
    return Status::Ok();
  }

  std::vector<ProjectionStatus> Statuses() const {
    const std::uint64_t head = store_->head().position;
    const std::uint64_t position = position_;
    std::lock_guard lock(wait_mutex_);
    std::vector<ProjectionStatus> statuses;
    for (const std::string& name : ProjectionNames()) {
      statuses.push_back(ProjectionStatus{name, position,
                                          head > position ? head - position : 0,
                                          error_, failed_position_});
    }
    return statuses;
  }

  std::uint64_t position() const { return position_; }

  Status WaitForPosition(std::uint64_t position,
                         std::chrono::milliseconds timeout) const {
    std::unique_lock lock(wait_mutex_);
    advanced_.wait_for(lock, std::min(timeout, options_.max_wait), [&] {
      return position_ >= position || !error_.empty();
    });
    if (position_ >= position) return Status::Ok();
    if (!error_.empty()) {
      return Status::Unavailable("projections stopped at position " +
                                 std::to_string(failed_position_) + ": " +
                                 error_);
    }
    return Status::Unavailable("projections at position " +
                               std::to_string(position_) + ", still short of " +
                               std::to_string(position));
  }

  // Runs `query(model)` on the live model or on the model as of `as_of`
  // (ReadModel::AsOf), under a shared lock on the live model either way.
  template <typename Query>
  auto WithModel(const AsOf& as_of, Query query) const
      -> decltype(query(std::declval<const ReadModel&>())) {
    std::shared_lock lock(model_mutex_);
    if (as_of.live()) return query(model_);
    const std::int64_t tree_at = as_of.time_us != 0
                                     ? as_of.time_us
                                     : std::numeric_limits<std::int64_t>::max();
    Result<std::unique_ptr<ReadModel>> past =
        model_.AsOf(PositionOf(as_of), tree_at);
    if (!past.ok()) return past.status();
    return query(**past);
  }

  // The position `as_of` shows, at most the one published to queries
  // (whose ledger rows are written).
  std::uint64_t PositionOf(const AsOf& as_of) const {
    std::uint64_t position = position_;
    if (as_of.position != 0) position = std::min(position, as_of.position);
    if (as_of.time_us != 0) {
      position = std::min(position, model_.PositionAt(as_of.time_us));
    }
    return position;
  }

  Result<std::vector<EventRecord>> History(const std::string& id,
                                           const AsOf& as_of) const {
    std::vector<EventRecord> events;
    const std::string stream = ExemplarStreamId(id);
    for (std::uint64_t version = 0;;) {
      Result<std::vector<EventRecord>> page =
          store_->ReadStream(stream, version, Direction::kForward, kStreamPage);
      if (!page.ok()) return page.status();
      for (EventRecord& record : *page) {
        if (Beyond(record, as_of)) return events;
        events.push_back(std::move(record));
      }
      if (page->size() < kStreamPage) return events;
      version += page->size();
    }
  }

  Result<ExemplarView> Exemplar(const std::string& id,
                                const AsOf& as_of) const {
    Result<std::vector<EventRecord>> events = History(id, as_of);
    if (!events.ok()) return events.status();
    Result<ExemplarView> view =
        FoldExemplarView(*definition_, *events, options_.personal_data);
    if (!view.ok()) return view;
    const std::int64_t tree_at = as_of.time_us != 0
                                     ? as_of.time_us
                                     : std::numeric_limits<std::int64_t>::max();
    std::shared_lock lock(model_mutex_);
    const Authority& authority = model_.authority();
    std::vector<std::pair<std::string, std::string>> path;
    for (std::string unit = view->unit_id; !unit.empty() && path.size() < 64;) {
      const UnitRecord* record = authority.FindUnit(unit);
      if (record == nullptr) break;
      path.emplace_back(unit, record->name);
      unit = record->ParentAt(tree_at);
    }
    view->unit_path.assign(path.rbegin(), path.rend());
    const int offset = options_.utc_offset_minutes;
    for (std::vector<Step>* steps : {&view->transfers, &view->timeline}) {
      for (Step& step : *steps) {
        if (step.event_type != ExemplarTransferred::kType) continue;
        const std::string* id =
            std::get_if<std::string>(&step.fields["reorganisation_id"]);
        const ReorganisationRecord* r =
            id == nullptr ? nullptr : authority.units().FindReorganisation(*id);
        if (r == nullptr) continue;
        step.reorganisation = {
            {"id", r->event.reorganisation_id},
            {"kind", r->event.kind},
            {"effective_at", FormatInstant(r->at_us, offset)},
            {"legal_basis", r->event.legal_basis}};
      }
    }
    return view;
  }

  Result<LedgerPage> Ledger(const LedgerQuery& query, const AsOf& as_of) const {
    return WithModel(as_of, [&](const ReadModel& model) {
      return LedgerUpTo(model, query);
    });
  }

  // The ledger rows up to `model`'s position, scoped by its tree: the
  // stored rows (or, in_memory, the model's), since those of the past are
  // the same rows, fewer of them.
  Result<LedgerPage> LedgerUpTo(const ReadModel& model,
                                const LedgerQuery& query) const {
    const std::uint64_t position =
        &model == &model_ ? position_.load() : model.position();
    Result<LedgerPage> page = QueryLedger(
        query, model.Scope(query.unit_id, query.visible),
        [&](std::uint64_t past, const LedgerVisit& visit) {
          // Rows folded after `position` are not the page's: the newest
          // first start before them, the oldest first stop at them.
          auto scan = [&](std::uint64_t from, const LedgerVisit& each) {
            if (!options_.in_memory) {
              return ScanStoredLedger(*store_, from, query.order, each);
            }
            model.ScanLedger(from, query.order, each);
            return Status::Ok();
          };
          if (query.order == LedgerOrder::kNewestFirst) {
            return scan(past == 0 ? position + 1 : std::min(past, position + 1),
                        visit);
          }
          return scan(past, [&](const LedgerRow& row) {
            return row.position <= position && visit(row);
          });
        });
    if (!page.ok()) return page;
    page->position = position;
    for (LedgerRow& row : page->rows) {
      row.reason =
          ReadableReason(options_.personal_data,
                         ExemplarStreamId(row.exemplar_id), row.reason);
    }
    return page;
  }

  // Pages of `query` to `visit` (Projections::ExemplarPages, LedgerPages):
  // `page(query, as_of)` answers one page, `next(page, query)` moves the
  // query's cursor past it and says whether another follows. Each page is
  // read on its own, so `visit` may take its time without holding up the
  // projections; as of the past, every page shows the position the first
  // one resolved.
  template <typename Query, typename Page, typename PageOf, typename Next>
  Status Pages(Query query, AsOf as_of,
               const std::function<bool(const Page&)>& visit, PageOf page_of,
               Next next) const {
    if (!as_of.live()) {
      std::shared_lock lock(model_mutex_);
      as_of.position = PositionOf(as_of);
    }
    for (;;) {
      Result<Page> page = page_of(query, as_of);
      if (!page.ok()) return page.status();
      if (!visit(*page) || !next(*page, query)) return Status::Ok();
    }
  }

  const ProjectionsOptions& options() const { return options_; }

 private:
  void Run() {
    pthread_setname_np(pthread_self(), "projections");  // for top and perf
    std::vector<EventRecord> batch;
    while (!stopping_) {
      std::unique_ptr<Subscription> subscription =
          store_->Subscribe(position_ + 1);
      {
        std::lock_guard lock(subscription_mutex_);
        subscription_ = subscription.get();
      }
      if (stopping_) break;
      Status ended = FollowContained(subscription.get(), &batch);
      {
        std::lock_guard lock(subscription_mutex_);
        subscription_ = nullptr;
      }
      if (ended.code() != StatusCode::kDropped) break;
      spdlog::warn("projections fell behind the log; resuming at {}",
                   position_ + 1);
    }
  }

  // Applies events from `subscription` in batches until stopped, failed or
  // dropped (returned). What it folds is visible to queries at once and
  // persisted with its checkpoint once it has waited persist_interval, or
  // when the runner stops.
  Status Follow(Subscription* subscription, std::vector<EventRecord>* batch) {
    while (!stopping_) {
      Result<std::optional<EventRecord>> next =
          subscription->Next(WaitForNextEvent());
      if (!next.ok()) return Settle(next.status());
      if (!next->has_value()) {
        if (Status written = Persist(/*only_if_due=*/true); !written.ok()) {
          return Stopped(written, model_.position());
        }
        continue;
      }
      batch->clear();
      batch->push_back(std::move(**next));
      while (batch->size() < options_.batch_events) {
        Result<std::optional<EventRecord>> more =
            subscription->Next(std::chrono::milliseconds(0));
        if (!more.ok() || !more->has_value()) break;
        batch->push_back(std::move(**more));
      }
      Status applied = ApplyBatch(*batch);
      if (!applied.ok()) return applied;
    }
    return Settle(Status::Unavailable("stopped"));
  }

  // Follow, with an exception turned into a stop at the next position, so
  // that a fault in a model ends the projections, visibly (readyz), rather
  // than the process.
  Status FollowContained(Subscription* subscription,
                         std::vector<EventRecord>* batch) {
    try {
      return Follow(subscription, batch);
    } catch (const std::exception& e) {
      return Stopped(
          Status::Internal(std::string("projections failed: ") + e.what()),
          model_.position() + 1);
    }
  }

  // How long the runner may wait for an event: until unpersisted events are
  // due, at most 200 ms (so it notices a stop).
  std::chrono::milliseconds WaitForNextEvent() const {
    std::chrono::milliseconds wait(200);
    if (!unpersisted_since_) return wait;
    auto due = *unpersisted_since_ + options_.persist_interval;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        due - std::chrono::steady_clock::now());
    return std::clamp(left, std::chrono::milliseconds(0), wait);
  }

  // Persists what was folded before the runner leaves with `ended`.
  Status Settle(Status ended) {
    if (Status written = Persist(false); !written.ok()) {
      return Stopped(written, model_.position());
    }
    return ended;
  }

  Status ApplyBatch(const std::vector<EventRecord>& batch) {
    ModelChanges changes;
    Status failed;
    std::uint64_t failed_at = 0;
    bool erased = false;
    {
      std::unique_lock lock(model_mutex_);
      for (const EventRecord& record : batch) {
        if (record.position <= model_.position()) continue;
        changes.Clear();
        failed = model_.Apply(record, &changes);
        if (!failed.ok()) {
          failed_at = record.position;
          break;
        }
        erased = erased || changes.erased;
        unpersisted_.Add(&changes, record.position);
      }
    }
    if (!unpersisted_.empty() && !unpersisted_since_) {
      unpersisted_since_ = std::chrono::steady_clock::now();
    }
    // Only this thread changes the model, so its rows hold still while they
    // are written without the lock.
    Status written = Persist(/*only_if_due=*/failed.ok() && !erased);
    // The rows an erasure rewrote are gone only once no older table or
    // write-ahead log holds their earlier versions.
    if (written.ok() && erased) {
      written = store_->side_store().Purge({SideSpace::kProjectionRows});
    }
    if (!written.ok()) return Stopped(written, model_.position());
    if (!failed.ok()) return Stopped(failed, failed_at);
    std::lock_guard lock(wait_mutex_);
    position_ = model_.position();
    advanced_.notify_all();
    return Status::Ok();
  }

  // Writes the folded rows and their checkpoints; with `only_if_due`, only
  // once they have waited persist_interval, or at once when they hold
  // ledger rows (the ledger is queried from the stored rows).
  Status Persist(bool only_if_due) {
    if (!unpersisted_since_) return Status::Ok();
    if (only_if_due && !unpersisted_.has_ledger_rows() &&
        std::chrono::steady_clock::now() - *unpersisted_since_ <
            options_.persist_interval) {
      return Status::Ok();
    }
    unpersisted_since_.reset();
    return unpersisted_.Write(*store_, AllNames());
  }

  // Records that the runner stopped at `position` on `failure`.
  Status Stopped(Status failure, std::uint64_t position) {
    std::lock_guard lock(wait_mutex_);
    position_ = model_.position();
    error_ = failure.ToString();
    failed_position_ = position;
    spdlog::error("projections stopped at position {}: {}", position, error_);
    advanced_.notify_all();
    return failure;
  }

  EventStore* store_;
  const Definition* definition_;
  ProjectionsOptions options_;

  mutable std::shared_mutex model_mutex_;
  ReadModel model_;
  // Folded but not yet persisted (runner thread only).
  PendingWrites unpersisted_;
  std::optional<std::chrono::steady_clock::time_point> unpersisted_since_;

  mutable std::mutex wait_mutex_;
  mutable std::condition_variable advanced_;
  std::atomic<std::uint64_t> position_ = 0;
  std::string error_;
  std::uint64_t failed_position_ = 0;

  std::mutex thread_mutex_;
  std::thread thread_;
  std::atomic<bool> stopping_ = false;
  std::mutex subscription_mutex_;
  Subscription* subscription_ = nullptr;
};

Projections::Projections(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Projections::~Projections() = default;

Result<std::unique_ptr<Projections>> Projections::Open(
    EventStore* store, const Definition* definition,
    ProjectionsOptions options) {
  auto impl = std::make_unique<Impl>(store, definition, options);
  if (options.in_memory) {
    EXEMPLAR_RETURN_IF_ERROR(impl->FoldLog());
    return std::unique_ptr<Projections>(new Projections(std::move(impl)));
  }
  Status loaded = impl->Load();
  if (loaded.code() == StatusCode::kInternal) {
    spdlog::warn("{}; rebuilding every projection", loaded.message());
    EXEMPLAR_RETURN_IF_ERROR(Rebuild(store, definition, {}, options));
    impl = std::make_unique<Impl>(store, definition, options);
    loaded = impl->Load();
  }
  EXEMPLAR_RETURN_IF_ERROR(loaded);
  return std::unique_ptr<Projections>(new Projections(std::move(impl)));
}

Status Projections::Drop(EventStore* store) {
  for (const std::string& name : AllNames()) {
    EXEMPLAR_RETURN_IF_ERROR(DropProjection(*store, name));
  }
  return store->side_store().Purge(
      {SideSpace::kProjectionRows, SideSpace::kProjectionCheckpoints});
}

Status Projections::Rebuild(EventStore* store, const Definition* definition,
                            const std::vector<std::string>& names,
                            const ProjectionsOptions& options,
                            const RebuildProgress& progress) {
  std::set<std::string> selected(names.begin(), names.end());
  if (selected.empty()) selected = AllNames();
  for (const std::string& name : selected) {
    if (!AllNames().contains(name)) {
      return Status::InvalidArgument(
          "unknown projection \"" + name + "\" (authority, exemplars, ledger)",
          "name");
    }
  }
  for (const std::string& name : selected) {
    EXEMPLAR_RETURN_IF_ERROR(DropProjection(*store, name));
  }
  // Every model is folded even when one is rebuilt, because the ledger
  // reads the exemplar and authority models at each event.
  ReadModel model(definition, {.query_indexes = false,
                               .personal_data = options.personal_data});
  const Head head = store->head();
  // The scan decodes ahead on another core while this thread folds.
  LogScanOptions scan_options;
  scan_options.batch_events =
      std::min(scan_options.batch_events, options.rebuild_batch_events);
  // The names are opened on the reading thread rather than the fold's,
  // each exemplar's key read from the vault once.
  if (options.personal_data != nullptr) {
    scan_options.prepare_ahead = [&](ScannedEvent* event) {
      OpenAhead(*definition, options.personal_data, event->record.stream_id,
                &event->workflow);
    };
  }
  LogScan scan(*store, head, scan_options);
  // What the reading thread left undecoded (it does while no batch waits
  // for the fold) is decoded here, and its names opened the same way.
  WorkflowEventDecoder decoder;
  WorkflowEvent undecoded;
  ModelChanges changes;
  PendingWrites pending;
  std::size_t unwritten = 0;
  auto write = [&]() -> Status {
    EXEMPLAR_RETURN_IF_ERROR(pending.Write(*store, selected));
    if (progress) progress(model.position(), head.position);
    unwritten = 0;
    return Status::Ok();
  };
  for (;;) {
    Result<std::span<const ScannedEvent>> events = scan.Next();
    if (!events.ok()) return events.status();
    if (events->empty()) break;
    for (const ScannedEvent& event : *events) {
      const WorkflowEvent* workflow = event.decoded_workflow();
      if (workflow == nullptr &&
          DecodeAhead(event.record, &decoder, &undecoded)) {
        OpenAhead(*definition, options.personal_data, event.record.stream_id,
                  &undecoded);
        workflow = &undecoded;
      }
      changes.Clear();
      EXEMPLAR_RETURN_IF_ERROR(model.Apply(event.record, workflow, &changes));
      pending.Add(&changes, event.record.position);
    }
    unwritten += events->size();
    if (unwritten >= options.rebuild_batch_events) {
      EXEMPLAR_RETURN_IF_ERROR(write());
    }
  }
  EXEMPLAR_RETURN_IF_ERROR(write());
  return FlushProjections(*store);
}

Result<std::map<std::string, std::uint64_t>> Projections::StoredBytes(
    const EventStore& store) {
  return ProjectionBytes(store);
}

void Projections::Start() { impl_->Start(); }
void Projections::Stop() { impl_->Stop(); }

std::vector<ProjectionStatus> Projections::statuses() const {
  return impl_->Statuses();
}

std::uint64_t Projections::position() const { return impl_->position(); }

Status Projections::WaitForPosition(std::uint64_t position,
                                    std::chrono::milliseconds timeout) const {
  return impl_->WaitForPosition(position, timeout);
}

Result<ExemplarView> Projections::Exemplar(const std::string& exemplar_id,
                                           AsOf as_of) const {
  return impl_->Exemplar(exemplar_id, as_of);
}

Result<std::vector<EventRecord>> Projections::ExemplarHistory(
    const std::string& exemplar_id, AsOf as_of) const {
  return impl_->History(exemplar_id, as_of);
}

Result<ExemplarListPage> Projections::ListExemplars(
    const ExemplarListQuery& query, AsOf as_of) const {
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) { return model.List(query); });
}

Result<LedgerPage> Projections::Ledger(const LedgerQuery& query,
                                       AsOf as_of) const {
  return impl_->Ledger(query, as_of);
}

Status Projections::ExemplarPages(
    ExemplarListQuery query, AsOf as_of,
    const std::function<bool(const ExemplarListPage&)>& visit) const {
  return impl_->Pages(
      std::move(query), as_of, visit,
      [this](const ExemplarListQuery& q, const AsOf& when) {
        return ListExemplars(q, when);
      },
      [](const ExemplarListPage& page, ExemplarListQuery& q) {
        q.cursor = page.next_cursor;
        return !q.cursor.empty();
      });
}

Status Projections::LedgerPages(
    LedgerQuery query, AsOf as_of,
    const std::function<bool(const LedgerPage&)>& visit) const {
  return impl_->Pages(
      std::move(query), as_of, visit,
      [this](const LedgerQuery& q, const AsOf& when) {
        return Ledger(q, when);
      },
      [](const LedgerPage& page, LedgerQuery& q) {
        q.after_position = page.next_after_position;
        return q.after_position != 0;
      });
}

Result<QuotaReport> Projections::Quotas(const std::string& unit_id, int year,
                                        const ReadScope& visible,
                                        AsOf as_of) const {
  const int offset = impl_->options().utc_offset_minutes;
  return impl_->WithModel(as_of, [&](const ReadModel& model) {
    return BuildQuotaReport(model, unit_id, year, visible, offset);
  });
}

Result<DeadlineReport> Projections::Deadlines(const std::string& unit_id,
                                              int year, int quarter,
                                              const ReadScope& visible,
                                              AsOf as_of) const {
  const int offset = impl_->options().utc_offset_minutes;
  return impl_->WithModel(as_of, [&](const ReadModel& model) {
    return BuildDeadlineReport(model, unit_id, year, quarter, visible, offset);
  });
}

Result<FollowUpReport> Projections::FollowUp(const FollowUpQuery& query,
                                             AsOf as_of) const {
  const int offset = impl_->options().utc_offset_minutes;
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) -> Result<FollowUpReport> {
        return BuildFollowUpReport(model, query, offset);
      });
}

Result<RetentionReport> Projections::Retention(const RetentionQuery& query,
                                               AsOf as_of) const {
  const int offset = impl_->options().utc_offset_minutes;
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) -> Result<RetentionReport> {
        RetentionQuery at = query;
        at.now_us = as_of.live()         ? SystemClockMicros()
                    : as_of.time_us != 0 ? as_of.time_us
                                         : model.last_event_us();
        return BuildRetentionReport(model, at, offset);
      });
}

Result<std::vector<UnitNode>> Projections::Units(const ReadScope& visible,
                                                 AsOf as_of) const {
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) -> Result<std::vector<UnitNode>> {
        return model.Units(visible);
      });
}

Result<ReorganisationReport> Projections::Reorganisation(
    ReorganisationQuery query, AsOf as_of) const {
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) -> Result<ReorganisationReport> {
        query.now_us = as_of.live()         ? SystemClockMicros()
                       : as_of.time_us != 0 ? as_of.time_us
                                            : model.last_event_us();
        return BuildReorganisationReport(model, query);
      });
}

Result<UnitLineage> Projections::Lineage(const std::string& unit_id,
                                         const ReadScope& visible,
                                         AsOf as_of) const {
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) -> Result<UnitLineage> {
        return BuildUnitLineage(model.authority(), unit_id, model.tree_at_us(),
                                visible);
      });
}

Result<std::vector<UnitMatch>> Projections::SearchUnits(
    const std::string& query, const ReadScope& visible, AsOf as_of) const {
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) -> Result<std::vector<UnitMatch>> {
        return projections::SearchUnits(model.authority(), model.unit_ids(),
                                        query, model.tree_at_us(), visible);
      });
}

Result<std::vector<UserInfo>> Projections::Users(AsOf as_of) const {
  return impl_->WithModel(
      as_of, [&](const ReadModel& model) -> Result<std::vector<UserInfo>> {
        std::int64_t now = as_of.live()         ? SystemClockMicros()
                           : as_of.time_us != 0 ? as_of.time_us
                                                : model.last_event_us();
        return model.Users(now);
      });
}

const ProjectionsOptions& Projections::options() const {
  return impl_->options();
}

Status Projections::Read(
    AsOf as_of,
    const std::function<Status(const ReadModel&, std::int64_t)>& read) const {
  return impl_->WithModel(as_of, [&](const ReadModel& model) {
    return read(model, as_of.live()         ? SystemClockMicros()
                       : as_of.time_us != 0 ? as_of.time_us
                                            : model.last_event_us());
  });
}

}  // namespace exemplar::projections
