#include "api/sse.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/query.h"
#include "api/sse_connection.h"
#include "api/sse_units.h"
#include "events/event_json.h"

namespace exemplar::api {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

// An SSE event that ends the stream, saying where to resume. Its id is the
// last position the stream covered, so EventSource resumes right after it.
Frame FinalFrame(const std::string& event, const std::string& reason,
                 std::uint64_t resume_from) {
  nlohmann::json data = {{"reason", reason}, {"resume_from", resume_from}};
  return std::make_shared<const std::string>(
      "id: " + std::to_string(resume_from - 1) + "\nevent: " + event +
      "\ndata: " + data.dump() + "\n\n");
}

const Frame& HeartbeatFrame() {
  static const Frame frame =
      std::make_shared<const std::string>(": heartbeat\n\n");
  return frame;
}

}  // namespace

Result<StreamRequest> ParseStreamRequest(const Request& request,
                                         const RouteParams& params,
                                         std::uint64_t head) {
  StreamRequest what;
  if (auto header = request.find("Last-Event-ID"); header != request.end()) {
    std::string_view text(header->value().data(), header->value().size());
    std::uint64_t last_seen = 0;
    auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), last_seen);
    if (error != std::errc() || end != text.data() + text.size()) {
      return Status::InvalidArgument(
          "Last-Event-ID must be the position of an event", "Last-Event-ID");
    }
    what.from_position = last_seen + 1;
  } else {
    auto from = QueryNumber(params, "from", head + 1);
    if (!from.ok()) return from.status();
    what.from_position = std::max<std::uint64_t>(*from, 1);
  }
  if (auto it = params.query.find("types"); it != params.query.end()) {
    what.types = SplitComma(it->second);
  }
  if (auto it = params.query.find("stream"); it != params.query.end()) {
    what.stream_prefix = it->second;
  }
  if (auto it = params.query.find("unit"); it != params.query.end()) {
    if (it->second.empty()) {
      return Status::InvalidArgument("unit must name a unit", "unit");
    }
    what.units = {it->second};
  }
  return what;
}

// Moves events from each subscriber's Subscription to its connection, on
// one thread, every poll_interval: frames are formatted once and shared,
// and each connection gets one gathered write per turn.
class EventStreamService::Pump {
 public:
  Pump(EventStore& store, const Definition& definition, SseOptions options)
      : store_(store),
        options_(options),
        units_(store, definition),
        frame_cache_(std::max<std::size_t>(options.frame_cache_events, 1)),
        thread_([this] { Run(); }) {}

  ~Pump() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_thread_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  Reply Open(const Request& request, StreamRequest what) {
    auto subscriber = std::make_unique<Subscriber>();
    subscriber->connection =
        std::make_shared<SseConnection>(options_.final_write_timeout);
    subscriber->units = std::move(what.units);
    subscriber->read_scope = std::move(what.read_scope);
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
      subscriber->subscription = store_.Subscribe(
          what.from_position,
          EventFilter{std::move(what.types), std::move(what.stream_prefix)});
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
  }

  std::size_t open() const {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
  }

 private:
  struct Subscriber {
    std::shared_ptr<SseConnection> connection;
    std::unique_ptr<Subscription> subscription;
    std::vector<std::string> units;
    std::optional<std::vector<std::string>> read_scope;
    Clock::time_point last_output;
    std::optional<Clock::time_point> full_since;  // queue at its bound
  };

  void Run() {
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
      auto now = Clock::now();
      std::size_t ended = std::erase_if(active, [&](const auto& subscriber) {
        return shutting_down ? !End(*subscriber, "shutdown", "server_stopping",
                                    subscriber->subscription->resume_position())
                             : !Serve(*subscriber, now);
      });
      shutdown_served = shutting_down;
      if (ended > 0) {
        std::lock_guard<std::mutex> lock(mu_);
        open_ -= ended;
        if (open_ == 0) wake_.notify_all();
      }
    }
  }

  // Moves what fits of the subscriber's events to its connection. Returns
  // false when the stream has ended.
  bool Serve(Subscriber& subscriber, Clock::time_point now) {
    SseConnection& connection = *subscriber.connection;
    if (connection.closed()) return false;
    std::size_t queued = connection.queued_bytes();
    if (queued >= options_.max_queued_bytes) {
      if (!subscriber.full_since) subscriber.full_since = now;
      if (now - *subscriber.full_since < options_.stall_timeout) return true;
      return End(subscriber, "dropped", "slow_consumer",
                 subscriber.subscription->resume_position());
    }
    subscriber.full_since.reset();
    // Bounds one subscriber's turn when filters skip much of the log.
    constexpr int kMaxEventsPerTurn = 10000;
    for (int examined = 0;
         examined < kMaxEventsPerTurn && queued < options_.max_queued_bytes;
         ++examined) {
      auto next = subscriber.subscription->Next(std::chrono::milliseconds(0));
      if (!next.ok()) return EndOnError(subscriber, next.status());
      if (!next->has_value()) break;
      auto wanted = Wanted(subscriber, **next);
      if (!wanted.ok()) return EndOnError(subscriber, wanted.status());
      if (!*wanted) continue;
      Frame frame = FrameFor(**next);
      queued += frame->size();
      connection.Send(std::move(frame));
      subscriber.last_output = now;
    }
    if (now - subscriber.last_output >= options_.heartbeat_interval) {
      connection.Send(HeartbeatFrame());
      subscriber.last_output = now;
    }
    return true;
  }

  Result<bool> Wanted(const Subscriber& subscriber, const EventRecord& event) {
    if (!subscriber.units.empty()) {
      auto within = units_.WithinAny(event, subscriber.units);
      if (!within.ok() || !*within) return within;
    }
    if (subscriber.read_scope) {
      return units_.WithinAny(event, *subscriber.read_scope);
    }
    return true;
  }

  bool EndOnError(Subscriber& subscriber, const Status& status) {
    if (status.code() == StatusCode::kDropped) {
      return End(
          subscriber, "dropped", "slow_consumer",
          status.number().value_or(subscriber.subscription->resume_position()));
    }
    if (status.code() == StatusCode::kUnavailable) {
      return End(subscriber, "shutdown", "store_closed",
                 subscriber.subscription->resume_position());
    }
    spdlog::error("event stream ended: {}", status.ToString());
    return End(subscriber, "dropped", "server_error",
               subscriber.subscription->resume_position());
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

  // The event as an SSE frame, formatted once for every subscriber.
  Frame FrameFor(const EventRecord& event) {
    auto& slot = frame_cache_[event.position % frame_cache_.size()];
    if (slot.first != event.position || !slot.second) {
      slot = {event.position, std::make_shared<const std::string>(
                                  "id: " + std::to_string(event.position) +
                                  "\nevent: " + event.type + "\ndata: " +
                                  EventToJson(event).dump() + "\n\n")};
    }
    return slot.second;
  }

  EventStore& store_;
  const SseOptions options_;
  // The rest of the pump's state is touched by the pump thread only.
  EventUnits units_;
  std::vector<std::pair<std::uint64_t, Frame>> frame_cache_;

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

void AddSseRoute(Router& router, EventStore& store,
                 EventStreamService& service) {
  router.Add(http::verb::get, "/v1/events/stream",
             [&store, &service](const Request& request,
                                const RouteParams& params) -> Reply {
               auto what =
                   ParseStreamRequest(request, params, store.head().position);
               if (!what.ok()) return ProblemFromStatus(request, what.status());
               // Authorisation: check the request's user here and set
               // what->read_scope to the subtrees they may read.
               return service.Open(request, std::move(*what));
             });
}

}  // namespace exemplar::api
