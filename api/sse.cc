#include "api/sse.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "api/caller_slots.h"
#include "api/sse_connection.h"
#include "api/sse_units.h"
#include "api/tokens.h"
#include "engine/workflow/event_data.h"
#include "events/clock.h"
#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar::api {
namespace {

using Clock = std::chrono::steady_clock;

// An SSE event that ends the stream, saying where to resume. Its id is the
// last position the stream covered, so EventSource resumes right after it.
Frame FinalFrame(const std::string& event, const std::string& reason,
                 std::uint64_t resume_from) {
  nlohmann::json data = {{"reason", reason}, {"resume_from", resume_from}};
  return std::make_shared<const std::string>(
      "id: " + std::to_string(resume_from - 1) + "\nevent: " + event +
      "\ndata: " + data.dump() + "\n\n");
}

// Ids seen in revocations, the most recent `capacity` of them. Only ids
// that cannot come back are kept (token and grant ids are never reused, a
// deactivated user stays so), so a hit means the authority is gone.
class RevokedIds {
 public:
  void Add(std::string id) {
    if (!ids_.insert(id).second) return;
    order_.push_back(std::move(id));
    if (order_.size() > kCapacity) {
      ids_.erase(order_.front());
      order_.pop_front();
    }
  }
  bool Contains(const std::string& id) const { return ids_.count(id) > 0; }

 private:
  // Far more than can be revoked while a stream opens (the window in which
  // the pump may see a revocation before the stream's own check does).
  static constexpr std::size_t kCapacity = 100000;
  std::set<std::string> ids_;
  std::deque<std::string> order_;
};

bool Passed(std::int64_t deadline_us, std::int64_t now_us) {
  return deadline_us != 0 && now_us >= deadline_us;
}

const Frame& HeartbeatFrame() {
  static const Frame frame =
      std::make_shared<const std::string>(": heartbeat\n\n");
  return frame;
}

}  // namespace

// Moves events to every subscriber's connection, on one thread, every
// poll_interval, and gives each connection one gathered write per turn.
//
// One shared subscription (the tail) reads the log into a ring of the most
// recent events, each formatted once. A subscriber whose next position is
// in the ring reads from it, which costs no copy; one that starts before
// the ring (history) or falls behind it has a Subscription of its own,
// from its next position, until that reaches the ring. Both are in
// position order, so the switch has no gap and no duplicate.
class EventStreamService::Pump {
 public:
  Pump(EventStore& store, const Definition& definition, SseOptions options)
      : store_(store),
        definition_(definition),
        options_(options),
        units_(store, definition),
        ring_next_(store.head().position + 1),
        tail_(store.Subscribe(ring_next_)),
        slots_({options.max_subscribers_per_user,
                options.max_subscribers_per_token, 0}),
        thread_([this] { Run(); }) {}

  ~Pump() { StopThread(); }

  Reply Open(const Request& request, StreamRequest what) {
    auto subscriber = std::make_unique<Subscriber>();
    subscriber->connection =
        std::make_shared<SseConnection>(options_.final_write_timeout);
    subscriber->next_position = what.from_position;
    subscriber->filter =
        EventFilter{std::move(what.types), std::move(what.stream_prefix)};
    subscriber->units = std::move(what.units);
    subscriber->read_scope = std::move(what.read_scope);
    subscriber->authority = std::move(what.authority);
    subscriber->last_output = Clock::now();
    auto connection = subscriber->connection;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (shutting_down_) {
        return Problem(request, http::status::service_unavailable,
                       "shutting_down", "the server is shutting down");
      }
      if (open_ >= options_.max_subscribers) {
        return Problem(request, http::status::service_unavailable,
                       "too_many_subscribers",
                       "the server already serves " +
                           std::to_string(options_.max_subscribers) +
                           " event streams; retry later");
      }
      if (subscriber->authority) {
        auto lease = slots_.TryAcquire(subscriber->authority->user_id,
                                       subscriber->authority->token_id);
        if (!lease) {
          return TooManyRequests(
              request,
              "this user or token already holds its share of event streams "
              "open; close one or retry later");
        }
        subscriber->lease = std::move(*lease);
      }
      joining_.push_back(std::move(subscriber));
      ++open_;
    }
    Response head{http::status::ok, request.version()};
    head.set(http::field::content_type, "text/event-stream");
    head.set(http::field::cache_control, "no-cache");
    head.set("X-Accel-Buffering", "no");  // proxies must not hold events
    head.keep_alive(false);  // the body ends when the connection does
    return Reply(std::move(head), std::move(connection));
  }

  void Shutdown() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (shutting_down_) return;
      shutting_down_ = true;
    }
    wake_.notify_all();
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait(lock, [this] { return open_ == 0; });
    // Let the final events reach the clients, bounded by the final write
    // timeout each connection enforces itself.
    auto deadline = Clock::now() + options_.final_write_timeout;
    while (Clock::now() < deadline &&
           std::any_of(finishing_.begin(), finishing_.end(),
                       [](const auto& c) { return !c->closed(); })) {
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      lock.lock();
    }
    finishing_.clear();
    lock.unlock();
    // The store may close next: the pump must not read it any more.
    StopThread();
  }

  std::size_t open() const {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
  }

 private:
  struct Subscriber {
    std::shared_ptr<SseConnection> connection;
    // Next position to consider, when reading from the ring.
    std::uint64_t next_position = 1;
    // Set while the subscriber reads before the ring; then it owns the
    // position.
    std::unique_ptr<Subscription> subscription;
    EventFilter filter;  // types and stream prefix
    std::vector<std::string> units;
    std::optional<std::vector<std::string>> read_scope;
    std::optional<StreamAuthority> authority;
    // revocations_seen_ when the authority was last checked against them.
    std::uint64_t checked_revocations = 0;
    CallerSlots::Lease lease;  // its user's and token's share
    Clock::time_point last_output;
    std::optional<Clock::time_point> full_since;  // queue at its bound
  };

  // Stops and joins the pump thread. Idempotent.
  void StopThread() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_thread_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Where a new stream for this subscriber would start.
  static std::uint64_t ResumePosition(const Subscriber& subscriber) {
    return subscriber.subscription ? subscriber.subscription->resume_position()
                                   : subscriber.next_position;
  }

  std::uint64_t RingFirst() const { return ring_next_ - ring_.size(); }

  // Appends what the tail has to the ring and trims it to its size.
  void FillRing() {
    while (true) {
      auto next = tail_->Next(std::chrono::milliseconds(0));
      if (!next.ok()) {
        // The pump fell behind the live log or the store hiccupped: read
        // on from where the ring ends, through the store's history.
        spdlog::warn("event stream tail restarts: {}",
                     next.status().ToString());
        tail_ = store_.Subscribe(ring_next_);
        return;
      }
      if (!next->has_value()) return;
      auto event = std::make_shared<const EventRecord>(std::move(**next));
      NoteRevocation(*event);
      ring_.push_back({event, nullptr});
      ring_next_ = event->position + 1;
    }
    while (ring_.size() > std::max<std::size_t>(options_.ring_events, 1)) {
      ring_.pop_front();
    }
  }

  // Remembers what a token, grant or user event takes away.
  void NoteRevocation(const EventRecord& event) {
    Status decoded;
    if (event.type == TokenRevoked::kType) {
      auto revoked = DecodeRecordPayload<TokenRevoked>(event);
      if (revoked.ok()) revoked_tokens_.Add(revoked->token_id);
      decoded = revoked.status();
    } else if (event.type == RoleRevoked::kType) {
      auto revoked = DecodeRecordPayload<RoleRevoked>(event);
      if (revoked.ok()) revoked_grants_.Add(revoked->grant_id);
      decoded = revoked.status();
    } else if (event.type == UserDeactivated::kType) {
      auto deactivated = DecodeRecordPayload<UserDeactivated>(event);
      if (deactivated.ok()) deactivated_users_.Add(deactivated->user_id);
      decoded = deactivated.status();
    } else if (event.type == UnitsReorganised::kType) {
      // Grants on the units it ends end with them.
      auto reorganised = DecodeRecordPayload<UnitsReorganised>(event);
      if (reorganised.ok()) {
        for (const std::string& unit : reorganised->ended) {
          ended_units_.Add(unit);
        }
      }
      decoded = reorganised.status();
    } else {
      return;
    }
    if (!decoded.ok()) {
      spdlog::error("event stream: {}", decoded.ToString());
      return;
    }
    ++revocations_seen_;
  }

  // Why the subscriber's stream may not go on, or nullopt while the
  // authority it was opened under holds.
  std::optional<std::string> LostAuthority(Subscriber& subscriber,
                                           std::int64_t now_us) {
    if (!subscriber.authority) return std::nullopt;
    const StreamAuthority& held = *subscriber.authority;
    if (Passed(held.token_expires_at_us, now_us)) return "token_expired";
    if (Passed(held.grants_valid_until_us, now_us)) return "grant_expired";
    // A new subscriber starts at 0, so it is checked against every
    // revocation the pump saw, including one that passed while it opened.
    if (subscriber.checked_revocations == revocations_seen_) {
      return std::nullopt;
    }
    subscriber.checked_revocations = revocations_seen_;
    if (deactivated_users_.Contains(held.user_id)) return "user_deactivated";
    if (revoked_tokens_.Contains(held.token_id)) return "token_revoked";
    for (const std::string& grant : held.grant_ids) {
      if (revoked_grants_.Contains(grant)) return "grant_revoked";
    }
    for (const std::string& unit : held.grant_units) {
      if (ended_units_.Contains(unit)) return "grant_ended";
    }
    return std::nullopt;
  }

  void Run() {
    pthread_setname_np(pthread_self(), "sse-pump");  // for top and perf
    std::vector<std::unique_ptr<Subscriber>> active;
    bool shutdown_served = false;  // every stream got its final event
    while (true) {
      bool shutting_down;
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, options_.poll_interval, [&] {
          return stop_thread_ || (shutting_down_ && !shutdown_served);
        });
        if (stop_thread_) return;
        for (auto& joining : joining_) active.push_back(std::move(joining));
        joining_.clear();
        shutting_down = shutting_down_;
      }
      FillRingContained();
      auto now = Clock::now();
      const std::int64_t now_us = SystemClockMicros();
      std::size_t ended = std::erase_if(active, [&](const auto& subscriber) {
        return !Contained([&] {
          return shutting_down ? End(*subscriber, "shutdown", "server_stopping",
                                     ResumePosition(*subscriber))
                               : Serve(*subscriber, now, now_us);
        });
      });
      shutdown_served = shutting_down;
      if (ended > 0) {
        std::lock_guard<std::mutex> lock(mu_);
        open_ -= ended;
        if (open_ == 0) wake_.notify_all();
      }
    }
  }

  // Runs `serve` (one subscriber's turn, true while its stream goes on); an
  // exception ends that stream (its connection closes) and is logged, and
  // the pump serves the others on.
  template <typename Turn>
  static bool Contained(Turn serve) {
    try {
      return serve();
    } catch (const std::exception& e) {
      spdlog::error("event stream ended by a failure: {}", e.what());
      return false;
    }
  }

  // FillRing; on an exception the ring keeps what it had and the next turn
  // reads on from there.
  void FillRingContained() {
    try {
      FillRing();
    } catch (const std::exception& e) {
      spdlog::error("event stream pump: reading the log failed: {}", e.what());
    }
  }

  // Moves what fits of the subscriber's events to its connection. Returns
  // false when the stream has ended.
  bool Serve(Subscriber& subscriber, Clock::time_point now,
             std::int64_t now_us) {
    SseConnection& connection = *subscriber.connection;
    if (connection.closed()) return false;
    if (auto lost = LostAuthority(subscriber, now_us)) {
      return End(subscriber, "revoked", *lost, ResumePosition(subscriber));
    }
    std::size_t queued = connection.queued_bytes();
    if (queued >= options_.max_queued_bytes) {
      if (!subscriber.full_since) subscriber.full_since = now;
      if (now - *subscriber.full_since < options_.stall_timeout) return true;
      return End(subscriber, "dropped", "slow_consumer",
                 ResumePosition(subscriber));
    }
    subscriber.full_since.reset();
    // Everything of this turn goes out in one write.
    std::vector<Frame> frames;
    Status read = ReadOwn(subscriber, queued, frames);
    if (read.ok()) read = ReadRing(subscriber, queued, frames);
    if (!read.ok()) {
      connection.Send(std::move(frames));  // what it got before the end
      return EndOnError(subscriber, read);
    }
    if (!frames.empty()) {
      subscriber.last_output = now;
    } else if (now - subscriber.last_output >= options_.heartbeat_interval) {
      frames.push_back(HeartbeatFrame());
      subscriber.last_output = now;
    }
    if (!frames.empty()) connection.Send(std::move(frames));
    return true;
  }

  // Reads from the subscriber's own Subscription while it is before the
  // ring, or gives it one when it fell behind the ring.
  Status ReadOwn(Subscriber& subscriber, std::size_t& queued,
                 std::vector<Frame>& frames) {
    if (!subscriber.subscription && subscriber.next_position >= RingFirst()) {
      return Status::Ok();
    }
    if (!subscriber.subscription) {
      subscriber.subscription =
          store_.Subscribe(subscriber.next_position, subscriber.filter);
    }
    // Bounds one subscriber's turn when filters skip much of the log.
    constexpr int kMaxEventsPerTurn = 10000;
    for (int examined = 0;
         examined < kMaxEventsPerTurn && queued < options_.max_queued_bytes;
         ++examined) {
      if (subscriber.subscription->resume_position() >= RingFirst()) {
        subscriber.next_position = subscriber.subscription->resume_position();
        subscriber.subscription.reset();  // the ring takes over from here
        return Status::Ok();
      }
      auto next = subscriber.subscription->Next(std::chrono::milliseconds(0));
      if (!next.ok()) return next.status();
      if (!next->has_value()) break;
      auto wanted = Wanted(subscriber, **next);
      if (!wanted.ok()) return wanted.status();
      if (!*wanted) continue;
      frames.push_back(FormatFrame(**next));
      queued += frames.back()->size();
    }
    return Status::Ok();
  }

  Status ReadRing(Subscriber& subscriber, std::size_t& queued,
                  std::vector<Frame>& frames) {
    if (subscriber.subscription) return Status::Ok();
    while (subscriber.next_position < ring_next_ &&
           queued < options_.max_queued_bytes) {
      RingEntry& entry = ring_[subscriber.next_position - RingFirst()];
      ++subscriber.next_position;
      if (!subscriber.filter.Matches(*entry.event)) continue;
      auto wanted = Wanted(subscriber, *entry.event);
      if (!wanted.ok()) return wanted.status();
      if (!*wanted) continue;
      if (!entry.frame) entry.frame = FormatFrame(*entry.event);
      frames.push_back(entry.frame);
      queued += entry.frame->size();
    }
    return Status::Ok();
  }

  Result<bool> Wanted(const Subscriber& subscriber, const EventRecord& event) {
    if (!subscriber.units.empty()) {
      auto within = units_.WithinAny(event, subscriber.units);
      if (!within.ok() || !*within) return within;
    }
    if (subscriber.read_scope) {
      // Judged on the tree as it is now: the log as far as the ring holds.
      return units_.WithinAnyNow(event, *subscriber.read_scope, ring_next_ - 1);
    }
    return true;
  }

  bool EndOnError(Subscriber& subscriber, const Status& status) {
    if (status.code() == StatusCode::kDropped) {
      return End(subscriber, "dropped", "slow_consumer",
                 status.number().value_or(ResumePosition(subscriber)));
    }
    if (status.code() == StatusCode::kUnavailable) {
      return End(subscriber, "shutdown", "store_closed",
                 ResumePosition(subscriber));
    }
    spdlog::error("event stream ended: {}", status.ToString());
    return End(subscriber, "dropped", "server_error",
               ResumePosition(subscriber));
  }

  // Sends the final event and lets the connection close once it is
  // written. Returns false (the stream has ended).
  bool End(Subscriber& subscriber, const std::string& event,
           const std::string& reason, std::uint64_t resume_from) {
    subscriber.connection->Finish(FinalFrame(event, reason, resume_from));
    if (event == "shutdown") {
      std::lock_guard<std::mutex> lock(mu_);
      finishing_.push_back(subscriber.connection);
    }
    return false;
  }

  // The event as an SSE frame.
  Frame FormatFrame(const EventRecord& event) const {
    return std::make_shared<const std::string>(
        "id: " + std::to_string(event.position) + "\nevent: " + event.type +
        "\ndata: " + EventToJsonWithData(definition_, event).dump() + "\n\n");
  }

  EventStore& store_;
  const Definition& definition_;
  const SseOptions options_;
  // The rest of the pump's state is touched by the pump thread only.
  EventUnits units_;
  struct RingEntry {
    std::shared_ptr<const EventRecord> event;
    // Formatted when a subscriber first wants it, once for all of them: a
    // server with no subscriber formats nothing.
    Frame frame;
  };
  std::deque<RingEntry> ring_;          // RingFirst() .. ring_next_ - 1
  std::uint64_t ring_next_;             // the position after the ring
  std::unique_ptr<Subscription> tail_;  // feeds the ring
  // What the log took away since the pump started; revocations_seen_
  // counts the events that did.
  RevokedIds revoked_tokens_;
  RevokedIds revoked_grants_;
  RevokedIds ended_units_;  // by a reorganisation
  RevokedIds deactivated_users_;
  std::uint64_t revocations_seen_ = 0;
  CallerSlots slots_;  // any thread: it locks itself

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::unique_ptr<Subscriber>> joining_;       // guarded by mu_
  std::vector<std::shared_ptr<SseConnection>> finishing_;  // guarded by mu_
  std::size_t open_ = 0;                                   // guarded by mu_
  bool shutting_down_ = false;                             // guarded by mu_
  bool stop_thread_ = false;                               // guarded by mu_

  std::thread thread_;  // last: starts once everything above exists
};

EventStreamService::EventStreamService(EventStore& store,
                                       const Definition& definition,
                                       SseOptions options)
    : pump_(std::make_unique<Pump>(store, definition, options)) {}

EventStreamService::~EventStreamService() { Shutdown(); }

Reply EventStreamService::Open(const Request& request, StreamRequest what) {
  return pump_->Open(request, std::move(what));
}

void EventStreamService::Shutdown() { pump_->Shutdown(); }

std::size_t EventStreamService::subscriber_count() const {
  return pump_->open();
}

}  // namespace exemplar::api
