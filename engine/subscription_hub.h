// The in-process fan-out of committed events to live subscribers. Private to
// engine/: users see only Subscription (subscription.h).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/event_store.h"

namespace exemplar {

using SharedEvent = std::shared_ptr<const EventRecord>;

// One live subscriber's bounded buffer, filled by the sequencer.
struct LiveSink {
  LiveSink(EventFilter filter, size_t capacity)
      : filter(std::move(filter)), capacity(capacity) {}

  const EventFilter filter;
  const size_t capacity;

  std::mutex mu;
  std::condition_variable ready;
  std::deque<SharedEvent> buffer;  // guarded by mu
  bool overflowed = false;         // guarded by mu; buffer was discarded
  bool closed = false;             // guarded by mu; store closing
};

class SubscriptionHub {
 public:
  // Hands committed events, in position order, to every sink whose filter
  // matches. Never blocks on a consumer: a full sink is marked overflowed
  // and its buffer freed. Called by the sequencer only.
  void Publish(const std::vector<SharedEvent>& events);

  // Adds a sink. Every event published after this call reaches it; returns
  // the position of the last event published before, which the caller must
  // read from the store instead.
  std::uint64_t Register(std::shared_ptr<LiveSink> sink);
  void Unregister(const LiveSink* sink);

  // Marks every sink closed and wakes its consumer.
  void CloseAll();

  size_t subscriber_count() const;

 private:
  mutable std::mutex mu_;
  std::uint64_t published_ = 0;                   // guarded by mu_
  std::vector<std::shared_ptr<LiveSink>> sinks_;  // guarded by mu_
  bool closed_ = false;                           // guarded by mu_
};

// A Subscription that reads history from the store, then switches to a live
// sink without gap or duplicate: it registers only when history is exhausted,
// reads whatever was committed up to the registration point, and skips live
// events it has already delivered.
class HubSubscription : public Subscription {
 public:
  HubSubscription(const EventStore* store, SubscriptionHub* hub,
                  std::uint64_t from_position, EventFilter filter,
                  size_t buffer_capacity);
  ~HubSubscription() override;

  Result<std::optional<EventRecord>> Next(
      std::chrono::milliseconds timeout) override;
  std::uint64_t resume_position() const override;
  void Cancel() override;

 private:
  // Reads the next page of history into history_; false when none is left.
  Result<bool> ReadHistoryPage();
  Result<std::optional<EventRecord>> NextLive(
      std::chrono::milliseconds timeout);

  const EventStore* store_;
  SubscriptionHub* hub_;
  const EventFilter filter_;
  std::shared_ptr<LiveSink> sink_;
  bool live_ = false;
  // Registration point: history must be read up to and including it.
  std::uint64_t live_from_ = 0;
  // Next position to scan; everything below was delivered or filtered out,
  // except what waits in history_.
  std::uint64_t scan_position_;
  std::deque<EventRecord> history_;
};

}  // namespace exemplar
