#include "engine/subscription_hub.h"

#include <algorithm>

namespace exemplar {

void SubscriptionHub::Publish(const std::vector<SharedEvent>& events) {
  if (events.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  published_ = events.back()->position;
  for (const auto& sink : sinks_) {
    bool delivered = false;
    {
      std::lock_guard<std::mutex> sink_lock(sink->mu);
      if (sink->overflowed || sink->closed) continue;
      for (const auto& event : events) {
        if (!sink->filter.Matches(*event)) continue;
        if (sink->buffer.size() >= sink->capacity) {
          sink->overflowed = true;
          sink->buffer.clear();
          sink->buffer.shrink_to_fit();
          break;
        }
        sink->buffer.push_back(event);
      }
      delivered = true;
    }
    if (delivered) sink->ready.notify_one();
  }
}

std::uint64_t SubscriptionHub::Register(std::shared_ptr<LiveSink> sink) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) {
    std::lock_guard<std::mutex> sink_lock(sink->mu);
    sink->closed = true;
  }
  sinks_.push_back(std::move(sink));
  return published_;
}

void SubscriptionHub::Unregister(const LiveSink* sink) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sinks_, [sink](const auto& s) { return s.get() == sink; });
}

void SubscriptionHub::CloseAll() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  for (const auto& sink : sinks_) {
    {
      std::lock_guard<std::mutex> sink_lock(sink->mu);
      sink->closed = true;
    }
    sink->ready.notify_all();
  }
}

size_t SubscriptionHub::subscriber_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sinks_.size();
}

HubSubscription::HubSubscription(const EventStore* store, SubscriptionHub* hub,
                                 std::uint64_t from_position,
                                 EventFilter filter, size_t buffer_capacity)
    : store_(store),
      hub_(hub),
      filter_(filter),
      sink_(std::make_shared<LiveSink>(std::move(filter), buffer_capacity)),
      scan_position_(std::max<std::uint64_t>(from_position, 1)) {}

HubSubscription::~HubSubscription() {
  if (live_) hub_->Unregister(sink_.get());
}

std::uint64_t HubSubscription::resume_position() const {
  return history_.empty() ? scan_position_ : history_.front().position;
}

void HubSubscription::Cancel() {
  {
    std::lock_guard<std::mutex> lock(sink_->mu);
    sink_->closed = true;
  }
  sink_->ready.notify_all();
}

Result<bool> HubSubscription::ReadHistoryPage() {
  constexpr size_t kPageEvents = 512;
  auto page = store_->ReadAll(scan_position_, kPageEvents, filter_);
  if (!page.ok()) return page.status();
  bool advanced = page->next_position > scan_position_;
  scan_position_ = page->next_position;
  for (auto& event : page->events) history_.push_back(std::move(event));
  return advanced;
}

Result<std::optional<EventRecord>> HubSubscription::Next(
    std::chrono::milliseconds timeout) {
  {
    std::lock_guard<std::mutex> lock(sink_->mu);
    if (sink_->closed) return Status::Unavailable("subscription closed");
  }
  while (history_.empty()) {
    if (live_ && scan_position_ > live_from_) return NextLive(timeout);
    auto advanced = ReadHistoryPage();
    if (!advanced.ok()) return advanced.status();
    if (!*advanced && !live_) {
      // History is exhausted for now: from here on the hub delivers. Events
      // committed up to the registration point are read from the store.
      live_from_ = hub_->Register(sink_);
      live_ = true;
    }
  }
  EventRecord event = std::move(history_.front());
  history_.pop_front();
  return std::optional<EventRecord>(std::move(event));
}

Result<std::optional<EventRecord>> HubSubscription::NextLive(
    std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(sink_->mu);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (sink_->closed) return Status::Unavailable("subscription closed");
    if (sink_->overflowed) {
      return Status::Dropped("subscriber fell too far behind", scan_position_);
    }
    while (!sink_->buffer.empty()) {
      SharedEvent event = std::move(sink_->buffer.front());
      sink_->buffer.pop_front();
      if (event->position < scan_position_) continue;  // read as history
      scan_position_ = event->position + 1;
      return std::optional<EventRecord>(*event);
    }
    // Polling (a zero timeout) must not cost a futex call that only times
    // out.
    if (timeout.count() <= 0) return std::optional<EventRecord>();
    if (sink_->ready.wait_until(lock, deadline) == std::cv_status::timeout &&
        sink_->buffer.empty() && !sink_->closed && !sink_->overflowed) {
      return std::optional<EventRecord>();
    }
  }
}

}  // namespace exemplar
