#include <gtest/gtest.h>

#include <thread>

#include "engine/event_store.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

class SubscriptionTest : public ::testing::Test {
 protected:
  void SetUp() override { Open({}); }

  void Open(StoreOptions options) {
    store_.reset();
    store_ = EventStore::Open(dir_.str(), std::move(options)).value();
  }

  void AppendOne(const std::string& stream, const std::string& type) {
    AppendRequest request;
    request.stream_id = stream;
    NewEvent event;
    event.type = type;
    event.payload = "p";
    request.events.push_back(event);
    ASSERT_TRUE(store_->Append(std::move(request)).ok());
  }

  // Pulls until `count` events arrived or `patience` passed. The patience
  // is generous because the writers sync every append: on a loaded machine
  // 3,000 fsyncs took longer than 10 s. It costs nothing when all arrive.
  std::vector<EventRecord> Take(Subscription& subscription, size_t count,
                                std::chrono::milliseconds patience = 60s) {
    std::vector<EventRecord> events;
    auto deadline = std::chrono::steady_clock::now() + patience;
    while (events.size() < count &&
           std::chrono::steady_clock::now() < deadline) {
      auto next = subscription.Next(100ms);
      if (!next.ok()) {
        ADD_FAILURE() << next.status().ToString();
        break;
      }
      if (next->has_value()) events.push_back(std::move(**next));
    }
    return events;
  }

  TempDir dir_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(SubscriptionTest, CatchUpToLiveUnderConcurrentAppendsSeesEachOnce) {
  for (int i = 0; i < 1500; ++i) AppendOne("s-" + std::to_string(i % 5), "t");
  constexpr size_t kTotal = 4500;
  std::thread writer([&] {
    for (int i = 0; i < 3000; ++i) AppendOne("w-" + std::to_string(i % 3), "t");
  });
  auto subscription = store_->Subscribe(1);
  auto events = Take(*subscription, kTotal);
  writer.join();
  ASSERT_EQ(events.size(), kTotal);
  for (size_t i = 0; i < kTotal; ++i) {
    ASSERT_EQ(events[i].position, i + 1);
  }
  auto extra = subscription->Next(50ms);
  ASSERT_TRUE(extra.ok());
  EXPECT_FALSE(extra->has_value());
  EXPECT_EQ(subscription->resume_position(), kTotal + 1);
}

TEST_F(SubscriptionTest, ManySubscribersStartingMidStreamEachSeeTheirSuffix) {
  for (int i = 0; i < 100; ++i) AppendOne("s", "t");
  std::vector<std::thread> readers;
  std::vector<std::vector<EventRecord>> seen(8);
  std::thread writer([&] {
    for (int i = 0; i < 400; ++i) AppendOne("s", "t");
  });
  for (int r = 0; r < 8; ++r) {
    readers.emplace_back([&, r] {
      auto subscription = store_->Subscribe(1 + r * 50);
      seen[r] = Take(*subscription, 500 - r * 50);
    });
  }
  writer.join();
  for (auto& reader : readers) reader.join();
  for (int r = 0; r < 8; ++r) {
    ASSERT_EQ(seen[r].size(), 500u - r * 50) << r;
    for (size_t i = 0; i < seen[r].size(); ++i) {
      ASSERT_EQ(seen[r][i].position, 1 + r * 50 + i);
    }
  }
}

TEST_F(SubscriptionTest, FilterByTypeAndStreamPrefixAcrossHistoryAndLive) {
  AppendOne("exemplar-1", "detected");
  AppendOne("unit-1", "unit_created");
  AppendOne("exemplar-2", "nominated");
  EventFilter filter;
  filter.stream_prefix = "exemplar-";
  filter.types = {"detected", "approved"};
  auto subscription = store_->Subscribe(1, filter);
  auto history = Take(*subscription, 1);
  AppendOne("exemplar-3", "approved");
  AppendOne("unit-2", "approved");
  AppendOne("exemplar-3", "honoured");
  auto live = Take(*subscription, 1);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].position, 1u);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].position, 4u);
  auto none = subscription->Next(50ms);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(SubscriptionTest,
       SlowSubscriberIsDroppedWithResumePointAndWriterGoesOn) {
  StoreOptions options;
  options.subscriber_buffer_events = 50;
  Open(options);
  for (int i = 0; i < 10; ++i) AppendOne("s", "t");
  auto slow = store_->Subscribe(1);
  ASSERT_EQ(Take(*slow, 10).size(), 10u);
  auto caught_up = slow->Next(10ms);  // switches to live
  ASSERT_TRUE(caught_up.ok());
  ASSERT_FALSE(caught_up->has_value());
  // The subscriber is live now and stops reading while 200 events arrive.
  for (int i = 0; i < 200; ++i) AppendOne("s", "t");
  EXPECT_EQ(store_->head().position, 210u);
  auto next = slow->Next(100ms);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kDropped);
  EXPECT_EQ(next.status().number(), std::optional<std::uint64_t>(11));

  auto resumed = store_->Subscribe(*next.status().number());
  auto rest = Take(*resumed, 200);
  ASSERT_EQ(rest.size(), 200u);
  EXPECT_EQ(rest.front().position, 11u);
  EXPECT_EQ(rest.back().position, 210u);
}

TEST_F(SubscriptionTest, CancelWakesAWaitingConsumer) {
  auto subscription = store_->Subscribe(1);
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    subscription->Cancel();
  });
  auto start = std::chrono::steady_clock::now();
  Status status = Status::Ok();
  while (status.ok() && std::chrono::steady_clock::now() - start < 10s) {
    auto next = subscription->Next(5s);
    if (!next.ok()) status = next.status();
  }
  canceller.join();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
}

TEST_F(SubscriptionTest, ClosingTheStoreEndsLiveSubscriptions) {
  AppendOne("s", "t");
  auto subscription = store_->Subscribe(1);
  ASSERT_EQ(Take(*subscription, 1).size(), 1u);
  ASSERT_TRUE(subscription->Next(10ms).ok());  // now live
  store_->Close();
  auto next = subscription->Next(1s);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace exemplar
