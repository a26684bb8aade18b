#include "relay/relay.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "engine/workflow/event_data.h"
#include "engine/workflow/event_unit.h"
#include "events/system_events.h"
#include "relay/checkpoint.h"
#include "relay/jetstream.h"
#include "relay/subjects.h"

namespace exemplar::relay {
namespace {

using Clock = std::chrono::steady_clock;

// How long the relay waits for one event before it looks at its other
// duties (checkpoint, lag log, stop).
constexpr std::chrono::milliseconds kPollInterval(50);

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsSubjectToken(const std::string& text, bool allow_dots) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  for (unsigned char c : text) {
    if (c <= ' ' || c >= 0x7F || c == '*' || c == '>') return false;
    if (c == '.' && !allow_dots) return false;
  }
  return text.find("..") == std::string::npos;
}

Status ValidateOptions(const RelayOptions& options) {
  if (options.urls.empty()) {
    return Status::InvalidArgument("at least one NATS URL is needed", "urls");
  }
  if (!IsSubjectToken(options.stream_name, /*allow_dots=*/false)) {
    return Status::InvalidArgument(
        "stream name must be non-empty, without dots, spaces, * or >",
        "stream_name");
  }
  if (!IsSubjectToken(options.subject_prefix, /*allow_dots=*/true)) {
    return Status::InvalidArgument(
        "subject prefix must be subject tokens without spaces, * or >",
        "subject_prefix");
  }
  if (options.replicas < 1 || options.replicas > 5) {
    return Status::InvalidArgument("replicas must be between 1 and 5",
                                   "replicas");
  }
  if (options.max_in_flight == 0) {
    return Status::InvalidArgument("max in flight must be at least 1",
                                   "max_in_flight");
  }
  if (options.min_backoff.count() <= 0 ||
      options.max_backoff < options.min_backoff) {
    return Status::InvalidArgument(
        "back-off must be positive, with max at least min", "backoff");
  }
  return Status::Ok();
}

}  // namespace

class Relay::Impl {
 public:
  Impl(EventStore* store, const Definition& definition, RelayOptions options)
      : store_(store),
        definition_(definition),
        options_(std::move(options)),
        event_units_(*store, definition) {}
  ~Impl() { Stop(); }

  Status Begin();
  void Stop();
  RelayStats stats() const;

 private:
  // One publish awaiting its acknowledgment.
  struct InFlight {
    bool acknowledged = false;
    std::int64_t recorded_at_us = 0;
  };

  void Run();
  // One round: publishes from the checkpoint on until a publish fails or
  // Stop().
  void RelayUntilFailure();
  // Sends one event, to be stored only right after `previous` (0: the
  // first of a round, stored wherever it comes); false when it could not be
  // sent.
  bool Publish(const EventRecord& event, std::uint64_t previous);
  // Called on a NATS thread with each publish's outcome.
  void OnAck(const PublishAck& ack);
  // Blocks until no publish awaits an answer, or `deadline`.
  void WaitForInFlight(Clock::time_point deadline);
  // Forgets what is in flight (answered or not) before a new round.
  void Rewind();
  // Sleeps the back-off (doubling it) unless Stop() comes first.
  void Backoff();
  void SaveCheckpointIfDue(bool now);
  void LogLagIfDue();
  // Creates or checks the stream, and moves the checkpoint to the stream's
  // last stored position: the stream is a gapless prefix of the log (see
  // RelayUntilFailure), so it may be ahead (a relay stopped before storing
  // its checkpoint) or, after a single NATS server crashed and lost
  // messages it had acknowledged but not yet written, behind. Called
  // between rounds, with nothing in flight.
  Status PrepareStream();
  // PrepareStream, with an exception as an error to back off from.
  Status PrepareStreamContained();
  // Folds one event into the unit tree (unit events only).
  void FoldUnit(const EventRecord& event);
  // Folds the unit events after those already folded up to `through`, so
  // the first subjects of a round name the unit paths as they stood. (After
  // a rewind the tree may be ahead of the re-sent events; a unit moved in
  // between then shows under its new parent.)
  Status FoldUnitsThrough(std::uint64_t through);
  bool stopping() const;
  // A quarter of the window is free. Requires mu_.
  bool HasRoom() const {
    return in_flight_.size() <=
           options_.max_in_flight - (options_.max_in_flight + 3) / 4;
  }

  EventStore* const store_;
  const Definition& definition_;
  const RelayOptions options_;
  // Set by Begin(), reset by Stop() under mu_; the relay thread uses it
  // without the lock while it runs.
  std::unique_ptr<JetStream> nats_;
  std::thread thread_;

  // Relay thread only.
  EventUnitResolver event_units_;
  UnitTree units_;
  std::uint64_t units_through_ = 0;  // units_ holds unit events up to here
  bool stream_ready_ = false;
  std::uint64_t saved_checkpoint_ = 0;
  Clock::time_point last_save_;
  Clock::time_point last_log_;
  std::chrono::milliseconds backoff_{0};

  mutable std::mutex mu_;
  std::condition_variable changed_;
  bool stopping_ = false;        // guarded by mu_
  bool publish_failed_ = false;  // guarded by mu_
  // What the relay thread waits for, if anything; acknowledgments wake it
  // only when that has come. A full window wakes it only once a quarter of
  // it is free, so it sends in bursts rather than switching threads for
  // every acknowledgment.
  bool waiting_for_room_ = false;                // guarded by mu_
  bool waiting_for_settle_ = false;              // guarded by mu_
  std::uint64_t acknowledged_through_ = 0;       // guarded by mu_
  std::map<std::uint64_t, InFlight> in_flight_;  // guarded by mu_
  Subscription* subscription_ = nullptr;         // guarded by mu_, for Cancel
  std::uint64_t published_ = 0;                  // guarded by mu_
  std::uint64_t acknowledged_ = 0;               // guarded by mu_
  std::uint64_t duplicates_ = 0;                 // guarded by mu_
  std::uint64_t resends_ = 0;                    // guarded by mu_
  std::string failure_;                          // guarded by mu_
};

Status Relay::Impl::Begin() {
  EXEMPLAR_RETURN_IF_ERROR(ValidateOptions(options_));
  auto checkpoint = LoadCheckpoint(*store_, options_.stream_name);
  if (!checkpoint.ok()) return checkpoint.status();
  acknowledged_through_ = saved_checkpoint_ = *checkpoint;

  auto nats = JetStream::Connect(options_,
                                 [this](const PublishAck& ack) { OnAck(ack); });
  if (!nats.ok()) return nats.status();
  nats_ = std::move(nats).value();
  if (nats_->connected()) {
    Status stream = PrepareStream();
    if (stream.reason() == "stream_incompatible") return stream;
    stream_ready_ = stream.ok();
  }
  last_save_ = last_log_ = Clock::now();
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void Relay::Impl::FoldUnit(const EventRecord& event) {
  // A unit event the tree refuses (a payload that does not decode) leaves
  // the subjects of that unit at its id alone; the relay publishes on.
  if (Status folded = units_.Apply(event); !folded.ok()) {
    spdlog::warn("relay: unit tree: {}", folded.ToString());
  }
}

Status Relay::Impl::FoldUnitsThrough(std::uint64_t through) {
  EventFilter unit_events;
  unit_events.types = UnitTree::EventTypes();
  std::uint64_t from = units_through_ + 1;
  while (from <= through) {
    auto page = store_->ReadAll(from, 1000, unit_events);
    if (!page.ok()) return page.status();
    for (const EventRecord& event : page->events) {
      if (event.position <= through) FoldUnit(event);
    }
    if (page->next_position <= from) break;
    from = page->next_position;
  }
  units_through_ = std::max(units_through_, through);
  return Status::Ok();
}

Status Relay::Impl::PrepareStream() {
  EXEMPLAR_RETURN_IF_ERROR(nats_->EnsureStream(options_));
  auto last = nats_->LastStoredPosition(options_);
  if (!last.ok()) return last.status();
  std::lock_guard<std::mutex> lock(mu_);
  if (*last == 0 || *last == acknowledged_through_) return Status::Ok();
  if (*last < acknowledged_through_) {
    spdlog::warn(
        "relay: stream {} ends at position {} but {} was acknowledged (a NATS "
        "server lost acknowledged messages); re-sending from {}",
        options_.stream_name, *last, acknowledged_through_, *last + 1);
  }
  acknowledged_through_ = *last;
  return Status::Ok();
}

void Relay::Impl::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (subscription_) subscription_->Cancel();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::unique_ptr<JetStream> nats;
  {
    std::lock_guard<std::mutex> lock(mu_);
    nats = std::move(nats_);
  }
  // Destroyed without the lock: a last acknowledgment may still want it.
  nats.reset();
}

bool Relay::Impl::stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

void Relay::Impl::Run() {
  while (!stopping()) {
    if (!stream_ready_) {
      Status stream = PrepareStreamContained();
      if (stream.reason() == "stream_incompatible") {
        spdlog::critical("relay stopped: {}", stream.message());
        std::lock_guard<std::mutex> lock(mu_);
        failure_ = stream.message();
        break;
      }
      if (!stream.ok()) {
        spdlog::debug("relay: {}", stream.message());
        Backoff();
        continue;
      }
      stream_ready_ = true;
    }
    std::uint64_t before = stats().checkpoint;
    try {
      RelayUntilFailure();
    } catch (const std::exception& e) {
      // Handled as a failed publish: settle, back off, re-send from the
      // stream's last message. The relay never ends the process.
      spdlog::error("relay: a round failed: {}", e.what());
    }
    if (stopping()) break;
    // A publish failed: let the others settle, back off, and start a new
    // round after the stream's last message (PrepareStream).
    WaitForInFlight(Clock::now() + options_.ack_timeout +
                    std::chrono::seconds(1));
    if (stats().checkpoint > before) backoff_ = {};
    Rewind();
    stream_ready_ = false;  // check JetStream is back before re-sending
    Backoff();
  }
  WaitForInFlight(Clock::now() + options_.ack_timeout);
  SaveCheckpointIfDue(/*now=*/true);
}

Status Relay::Impl::PrepareStreamContained() {
  try {
    return PrepareStream();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("preparing the stream failed: ") +
                            e.what());
  }
}

void Relay::Impl::RelayUntilFailure() {
  std::uint64_t from;
  {
    std::lock_guard<std::mutex> lock(mu_);
    from = acknowledged_through_ + 1;
  }
  if (Status folded = FoldUnitsThrough(from - 1); !folded.ok()) {
    spdlog::error("relay: {}", folded.ToString());
    return;
  }
  spdlog::info("relay: publishing to stream {} from position {}",
               options_.stream_name, from);
  std::unique_ptr<Subscription> subscription = store_->Subscribe(from);
  auto attach = [this](Subscription* s) {
    std::lock_guard<std::mutex> lock(mu_);
    subscription_ = s;
    if (s && stopping_) s->Cancel();
  };
  attach(subscription.get());
  // Each publish after the round's first names its predecessor, so when
  // one fails JetStream refuses every later one instead of storing it
  // ahead of the re-send: the stream stays the log's gapless prefix.
  std::uint64_t previous = 0;
  while (true) {
    bool window_full;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (in_flight_.size() >= options_.max_in_flight) {
        waiting_for_room_ = true;
        changed_.wait_for(lock, kPollInterval, [this] {
          return stopping_ || publish_failed_ || HasRoom();
        });
        waiting_for_room_ = false;
      }
      if (stopping_ || publish_failed_) break;
      window_full = in_flight_.size() >= options_.max_in_flight;
    }
    SaveCheckpointIfDue(/*now=*/false);
    LogLagIfDue();
    if (window_full) continue;
    auto next = subscription->Next(kPollInterval);
    if (!next.ok() && next.status().code() == StatusCode::kDropped) {
      // The relay fell behind the live buffer: read on from the log.
      attach(nullptr);
      subscription = store_->Subscribe(*next.status().number());
      attach(subscription.get());
      continue;
    }
    if (!next.ok()) {
      if (!stopping()) spdlog::error("relay: {}", next.status().ToString());
      break;
    }
    if (!*next) continue;
    FoldUnit(**next);
    units_through_ = std::max(units_through_, (*next)->position);
    if (!Publish(**next, previous)) break;
    previous = (*next)->position;
  }
  attach(nullptr);
}

bool Relay::Impl::Publish(const EventRecord& event, std::uint64_t previous) {
  Result<std::string> unit = event_units_.UnitOf(event);
  if (!unit.ok()) {
    spdlog::warn("relay: the unit of position {}: {}", event.position,
                 unit.status().ToString());
    return false;
  }
  const std::string subject =
      SubjectFor(options_.subject_prefix, units_, *unit, event);
  const std::string body = EventToJsonWithData(definition_, event).dump();
  {
    // Registered before the send: the acknowledgment may come back first.
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_[event.position] = {false, event.recorded_at_us};
    ++published_;
  }
  Status sent = nats_->PublishAsync(subject, body, event.position, previous,
                                    options_.ack_timeout);
  if (sent.ok()) return true;
  spdlog::debug("relay: cannot publish position {}: {}", event.position,
                sent.message());
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_.erase(event.position);
  publish_failed_ = true;
  return false;
}

void Relay::Impl::OnAck(const PublishAck& ack) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = in_flight_.find(ack.position);
    if (it == in_flight_.end()) return;  // from before a rewind
    if (!ack.ok) {
      if (!publish_failed_) {
        spdlog::warn(
            "relay: publish of position {} failed ({}); re-sending "
            "from position {}",
            ack.position, ack.error, acknowledged_through_ + 1);
      }
      in_flight_.erase(it);
      publish_failed_ = true;
    } else {
      it->second.acknowledged = true;
      ++acknowledged_;
      if (ack.duplicate) ++duplicates_;
      // The checkpoint moves only over an unbroken run of acknowledgments.
      while (!in_flight_.empty() &&
             in_flight_.begin()->first == acknowledged_through_ + 1 &&
             in_flight_.begin()->second.acknowledged) {
        ++acknowledged_through_;
        in_flight_.erase(in_flight_.begin());
      }
    }
    wake = !ack.ok || waiting_for_settle_ || (waiting_for_room_ && HasRoom());
  }
  if (wake) changed_.notify_all();
  if (ack.ok && options_.on_acknowledged)
    options_.on_acknowledged(ack.position);
}

void Relay::Impl::WaitForInFlight(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  waiting_for_settle_ = true;
  changed_.wait_until(lock, deadline, [this] {
    for (const auto& [position, publish] : in_flight_) {
      if (!publish.acknowledged) return false;
    }
    return true;
  });
  waiting_for_settle_ = false;
}

void Relay::Impl::Rewind() {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_.clear();
  publish_failed_ = false;
  ++resends_;
}

void Relay::Impl::Backoff() {
  backoff_ = backoff_.count() == 0
                 ? options_.min_backoff
                 : std::min(backoff_ * 2, options_.max_backoff);
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_for(lock, backoff_, [this] { return stopping_; });
}

void Relay::Impl::SaveCheckpointIfDue(bool now) {
  if (!now && Clock::now() - last_save_ < options_.checkpoint_interval) return;
  std::uint64_t checkpoint = stats().checkpoint;
  if (checkpoint == saved_checkpoint_) return;
  Status saved = SaveCheckpoint(*store_, options_.stream_name, checkpoint);
  if (!saved.ok()) {
    spdlog::error("relay: cannot store checkpoint {}: {}", checkpoint,
                  saved.ToString());
    return;
  }
  saved_checkpoint_ = checkpoint;
  last_save_ = Clock::now();
}

void Relay::Impl::LogLagIfDue() {
  if (Clock::now() - last_log_ < options_.log_interval) return;
  last_log_ = Clock::now();
  RelayStats now = stats();
  if (now.lag_events == 0) return;
  spdlog::info("relay: stream {} checkpoint {} head {} lag {} events {} ms{}",
               options_.stream_name, now.checkpoint, now.head, now.lag_events,
               now.lag_ms, now.connected ? "" : " (disconnected)");
}

RelayStats Relay::Impl::stats() const {
  RelayStats stats;
  std::int64_t oldest_recorded_at_us = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats.checkpoint = acknowledged_through_;
    stats.published = published_;
    stats.acknowledged = acknowledged_;
    stats.duplicates = duplicates_;
    stats.resends = resends_;
    stats.failure = failure_;
    stats.connected = nats_ && nats_->connected();
    if (!in_flight_.empty()) {
      oldest_recorded_at_us = in_flight_.begin()->second.recorded_at_us;
    }
  }
  stats.head = store_->head().position;
  stats.lag_events =
      stats.head > stats.checkpoint ? stats.head - stats.checkpoint : 0;
  if (stats.lag_events > 0 && oldest_recorded_at_us == 0) {
    auto oldest = store_->ReadEvent(stats.checkpoint + 1);
    if (oldest.ok()) oldest_recorded_at_us = oldest->recorded_at_us;
  }
  if (stats.lag_events > 0 && oldest_recorded_at_us > 0) {
    stats.lag_ms =
        std::max<std::int64_t>(0, (NowMicros() - oldest_recorded_at_us) / 1000);
  }
  return stats;
}

// ---------------------------------------------------------------------------

nlohmann::json StatsToJson(const RelayStats& stats) {
  return {
      {"checkpoint", stats.checkpoint}, {"head", stats.head},
      {"lag_events", stats.lag_events}, {"lag_ms", stats.lag_ms},
      {"published", stats.published},   {"acknowledged", stats.acknowledged},
      {"duplicates", stats.duplicates}, {"resends", stats.resends},
      {"connected", stats.connected},   {"failure", stats.failure}};
}

Result<std::unique_ptr<Relay>> Relay::Start(EventStore* store,
                                            const Definition& definition,
                                            RelayOptions options) {
  auto impl = std::make_unique<Impl>(store, definition, std::move(options));
  EXEMPLAR_RETURN_IF_ERROR(impl->Begin());
  return std::unique_ptr<Relay>(new Relay(std::move(impl)));
}

Relay::Relay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Relay::~Relay() { Stop(); }
void Relay::Stop() { impl_->Stop(); }
RelayStats Relay::stats() const { return impl_->stats(); }

}  // namespace exemplar::relay
