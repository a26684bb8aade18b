#include "engine/event_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "engine/audit/verify.h"
#include "tests/support/raw_db.h"
#include "tests/support/sync_gate.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

using testing::SyncGate;
using testing::TempDir;

NewEvent MakeEvent(std::string type, std::string payload) {
  NewEvent event;
  event.type = std::move(type);
  event.payload = std::move(payload);
  event.actor = {"user-1", "reporter", "unit-xa-1"};
  event.reason = "lý do: phát hiện";
  event.request_id = "req-1";
  event.recorded_at_us = 1'750'000'000'000'000;
  return event;
}

AppendRequest MakeRequest(std::string stream, ExpectedVersion expected,
                          std::vector<NewEvent> events,
                          std::string idempotency_key = {}) {
  AppendRequest request;
  request.stream_id = std::move(stream);
  request.expected_version = expected;
  request.events = std::move(events);
  request.idempotency_key = std::move(idempotency_key);
  return request;
}

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen(StoreOptions options = {}) {
    store_.reset();
    auto opened = EventStore::Open(dir_.str(), std::move(options));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  // Opens the store through gate_, so that a test may hold the log's sync.
  void ReopenThroughGate() {
    StoreOptions options;
    options.env = gate_.env();
    Reopen(options);
  }

  // Appends `request` and returns once gate_ holds its batch's sync.
  void AppendAndHoldItsSync(AppendRequest request, AppendCallback done) {
    gate_.Hold();
    store_->AppendAsync(std::move(request), std::move(done));
    gate_.WaitUntilHeld();
  }

  AppendResult MustAppend(AppendRequest request) {
    auto result = store_->Append(std::move(request));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : AppendResult{};
  }

  TempDir dir_;
  SyncGate gate_;  // for stores opened with gate_.env(); outlives them
  std::unique_ptr<EventStore> store_;
};

TEST_F(EventStoreTest, AppendThenReadRoundTripsEveryEnvelopeField) {
  NewEvent event = MakeEvent("exemplar_detected", "Nguyễn Thị Hoa \x01\xff");
  event.on_behalf_of = "user-2";
  event.correlation_id = "corr";
  event.causation_id = "cause";
  AppendResult result = MustAppend(
      MakeRequest("exemplar-1", ExpectedVersion::NoStream(), {event}, "key-1"));
  EXPECT_EQ(result.first_position, 1u);
  EXPECT_EQ(result.last_position, 1u);
  EXPECT_EQ(result.stream_version, 0u);

  auto read = store_->ReadEvent(1);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->stream_id, "exemplar-1");
  EXPECT_EQ(read->stream_version, 0u);
  EXPECT_EQ(read->type, "exemplar_detected");
  EXPECT_EQ(read->payload, event.payload);
  EXPECT_EQ(read->actor, event.actor);
  EXPECT_EQ(read->reason, event.reason);
  EXPECT_EQ(read->on_behalf_of, "user-2");
  EXPECT_EQ(read->correlation_id, "corr");
  EXPECT_EQ(read->causation_id, "cause");
  EXPECT_EQ(read->request_id, "req-1");
  EXPECT_EQ(read->idempotency_key, "key-1");
  EXPECT_EQ(read->recorded_at_us, event.recorded_at_us);
  EXPECT_EQ(read->prev_hash, Hash256{});
  EXPECT_EQ(store_->head().position, 1u);
  EXPECT_EQ(store_->head().hash, read->hash);
}

TEST_F(EventStoreTest, StoreStampsTimeWhenEventCarriesNone) {
  StoreOptions options;
  options.clock = [] { return std::int64_t{42}; };
  Reopen(options);
  NewEvent event = MakeEvent("t", "p");
  event.recorded_at_us = 0;
  MustAppend(MakeRequest("s", ExpectedVersion::Any(), {event}));
  EXPECT_EQ(store_->ReadEvent(1)->recorded_at_us, 42);
}

TEST_F(EventStoreTest, ExpectedVersionNoStream) {
  MustAppend(
      MakeRequest("s", ExpectedVersion::NoStream(), {MakeEvent("t", "a")}));
  auto again = store_->Append(
      MakeRequest("s", ExpectedVersion::NoStream(), {MakeEvent("t", "b")}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kVersionConflict);
  EXPECT_EQ(again.status().number(), std::optional<std::uint64_t>(0));
  EXPECT_EQ(store_->head().position, 1u);
}

TEST_F(EventStoreTest, ExpectedVersionStreamExists) {
  auto missing = store_->Append(
      MakeRequest("s", ExpectedVersion::StreamExists(), {MakeEvent("t", "a")}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kVersionConflict);
  EXPECT_FALSE(missing.status().number().has_value());
  MustAppend(MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "a")}));
  MustAppend(
      MakeRequest("s", ExpectedVersion::StreamExists(), {MakeEvent("t", "b")}));
  EXPECT_EQ(*store_->StreamVersion("s").value(), 1u);
}

TEST_F(EventStoreTest, ExpectedVersionExact) {
  MustAppend(MakeRequest("s", ExpectedVersion::Any(),
                         {MakeEvent("t", "a"), MakeEvent("t", "b")}));
  auto stale = store_->Append(
      MakeRequest("s", ExpectedVersion::Exact(0), {MakeEvent("t", "c")}));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  EXPECT_EQ(stale.status().number(), std::optional<std::uint64_t>(1));
  auto ahead = store_->Append(
      MakeRequest("s", ExpectedVersion::Exact(5), {MakeEvent("t", "c")}));
  EXPECT_EQ(ahead.status().code(), StatusCode::kVersionConflict);
  auto on_missing = store_->Append(
      MakeRequest("other", ExpectedVersion::Exact(0), {MakeEvent("t", "c")}));
  EXPECT_EQ(on_missing.status().code(), StatusCode::kVersionConflict);
  AppendResult ok = MustAppend(
      MakeRequest("s", ExpectedVersion::Exact(1), {MakeEvent("t", "c")}));
  EXPECT_EQ(ok.stream_version, 2u);
  EXPECT_EQ(ok.first_position, 3u);
}

TEST_F(EventStoreTest, ExpectedVersionAnyAppendsToNewAndExistingStreams) {
  MustAppend(MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "a")}));
  AppendResult second = MustAppend(
      MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "b")}));
  EXPECT_EQ(second.stream_version, 1u);
}

TEST_F(EventStoreTest, MultiEventAppendIsAtomic) {
  std::vector<NewEvent> events;
  for (int i = 0; i < 5; ++i)
    events.push_back(MakeEvent("t", std::to_string(i)));
  AppendResult result =
      MustAppend(MakeRequest("s", ExpectedVersion::NoStream(), events));
  EXPECT_EQ(result.first_position, 1u);
  EXPECT_EQ(result.last_position, 5u);
  EXPECT_EQ(result.stream_version, 4u);

  // A rejected multi-event append writes none of its events.
  events.push_back(MakeEvent("t", std::string(2 << 20, 'x')));
  auto too_big =
      store_->Append(MakeRequest("s", ExpectedVersion::Any(), events));
  EXPECT_EQ(too_big.status().code(), StatusCode::kInvalidArgument);
  auto conflict = store_->Append(
      MakeRequest("s", ExpectedVersion::Exact(0), {MakeEvent("t", "x")}));
  EXPECT_FALSE(conflict.ok());
  EXPECT_EQ(store_->head().position, 5u);
  EXPECT_EQ(store_->ReadStream("s", 0, Direction::kForward, 100)->size(), 5u);
}

TEST_F(EventStoreTest, IdempotentRetryReturnsFirstResultAndWritesNothing) {
  auto request = MakeRequest("s", ExpectedVersion::NoStream(),
                             {MakeEvent("t", "a"), MakeEvent("t", "b")}, "k1");
  AppendResult first = MustAppend(request);
  AppendResult retry = MustAppend(request);
  EXPECT_TRUE(retry.deduplicated);
  EXPECT_FALSE(first.deduplicated);
  EXPECT_EQ(retry.first_position, first.first_position);
  EXPECT_EQ(retry.last_position, first.last_position);
  EXPECT_EQ(retry.stream_version, first.stream_version);
  EXPECT_EQ(store_->head().position, 2u);
}

TEST_F(EventStoreTest, IdempotencySurvivesReopen) {
  auto request = MakeRequest("s", ExpectedVersion::NoStream(),
                             {MakeEvent("t", "a")}, "k1");
  AppendResult first = MustAppend(request);
  Reopen();
  AppendResult retry = MustAppend(request);
  EXPECT_TRUE(retry.deduplicated);
  EXPECT_EQ(retry.first_position, first.first_position);
  EXPECT_EQ(store_->head().position, 1u);
}

TEST_F(EventStoreTest, IdempotencyKeyReusedWithOtherContentIsAnError) {
  MustAppend(
      MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "a")}, "k"));
  auto reused = store_->Append(
      MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "b")}, "k"));
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.status().code(), StatusCode::kIdempotencyReused);
  auto other_stream = store_->Append(
      MakeRequest("s2", ExpectedVersion::Any(), {MakeEvent("t", "a")}, "k"));
  EXPECT_EQ(other_stream.status().code(), StatusCode::kIdempotencyReused);
  EXPECT_EQ(store_->head().position, 1u);
}

TEST_F(EventStoreTest, LimitsAreEnforcedWithTheOffendingField) {
  StoreOptions options;
  options.max_payload_bytes = 10;
  options.max_events_per_append = 2;
  options.max_stream_id_length = 8;
  Reopen(options);
  auto check = [&](AppendRequest request, const std::string& field) {
    auto result = store_->Append(std::move(request));
    ASSERT_FALSE(result.ok()) << field;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().field(), field);
  };
  auto any = ExpectedVersion::Any();
  check(MakeRequest("s", any, {MakeEvent("t", std::string(11, 'x'))}),
        "payload");
  check(MakeRequest(
            "s", any,
            {MakeEvent("t", "a"), MakeEvent("t", "b"), MakeEvent("t", "c")}),
        "events");
  check(MakeRequest("s", any, {}), "events");
  check(MakeRequest("123456789", any, {MakeEvent("t", "a")}), "stream_id");
  check(MakeRequest("", any, {MakeEvent("t", "a")}), "stream_id");
  check(MakeRequest("a b", any, {MakeEvent("t", "a")}), "stream_id");
  check(MakeRequest("a\xc3\xa1", any, {MakeEvent("t", "a")}), "stream_id");
  check(MakeRequest("s", any, {MakeEvent("", "a")}), "type");
  check(MakeRequest("s", any, {MakeEvent("t", "a")}, std::string(201, 'k')),
        "idempotency_key");
  MustAppend(
      MakeRequest("12345678", any, {MakeEvent("t", std::string(10, 'x'))}));
  EXPECT_EQ(store_->head().position, 1u);
}

TEST_F(EventStoreTest, ReadStreamForwardAndBackwardFromVersion) {
  for (int i = 0; i < 5; ++i) {
    MustAppend(MakeRequest("a", ExpectedVersion::Any(),
                           {MakeEvent("t", "a" + std::to_string(i))}));
    MustAppend(MakeRequest("b", ExpectedVersion::Any(),
                           {MakeEvent("t", "b" + std::to_string(i))}));
  }
  auto forward = store_->ReadStream("a", 2, Direction::kForward, 2).value();
  ASSERT_EQ(forward.size(), 2u);
  EXPECT_EQ(forward[0].payload, "a2");
  EXPECT_EQ(forward[1].payload, "a3");
  auto backward = store_->ReadStream("a", 3, Direction::kBackward, 10).value();
  ASSERT_EQ(backward.size(), 4u);
  EXPECT_EQ(backward[0].payload, "a3");
  EXPECT_EQ(backward[3].payload, "a0");
  auto from_end =
      store_->ReadStream("b", UINT64_MAX, Direction::kBackward, 1).value();
  ASSERT_EQ(from_end.size(), 1u);
  EXPECT_EQ(from_end[0].payload, "b4");
  EXPECT_TRUE(store_->ReadStream("none", 0, Direction::kForward, 10)->empty());
  // A stream whose id is a prefix of another's is not mixed with it.
  MustAppend(MakeRequest("a1", ExpectedVersion::Any(), {MakeEvent("t", "x")}));
  EXPECT_EQ(store_->ReadStream("a", 0, Direction::kForward, 100)->size(), 5u);
}

TEST_F(EventStoreTest, ReadStreamsWithPrefixReadsThoseStreamsInLogOrder) {
  MustAppend(
      MakeRequest("token-b", ExpectedVersion::Any(), {MakeEvent("t", "b0")}));
  MustAppend(
      MakeRequest("exemplar-1", ExpectedVersion::Any(), {MakeEvent("t", "x")}));
  MustAppend(MakeRequest("token-a", ExpectedVersion::Any(),
                         {MakeEvent("t", "a0"), MakeEvent("t", "a1")}));
  MustAppend(
      MakeRequest("token-b", ExpectedVersion::Any(), {MakeEvent("t", "b1")}));
  MustAppend(MakeRequest("tokens", ExpectedVersion::Any(),
                         {MakeEvent("t", "not a token stream")}));
  auto events = store_->ReadStreamsWithPrefix("token-");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  std::vector<std::string> payloads;
  for (const EventRecord& event : *events) payloads.push_back(event.payload);
  EXPECT_EQ(payloads, (std::vector<std::string>{"b0", "a0", "a1", "b1"}));
  auto none = store_->ReadStreamsWithPrefix("campaign-");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(EventStoreTest, ReadAllFiltersByTypeAndStreamPrefix) {
  MustAppend(
      MakeRequest("exemplar-1", ExpectedVersion::Any(),
                  {MakeEvent("detected", "1"), MakeEvent("nominated", "2")}));
  MustAppend(MakeRequest("unit-1", ExpectedVersion::Any(),
                         {MakeEvent("unit_created", "3")}));
  MustAppend(MakeRequest("exemplar-2", ExpectedVersion::Any(),
                         {MakeEvent("detected", "4")}));

  auto all = store_->ReadAll(1, 100).value();
  EXPECT_EQ(all.events.size(), 4u);
  EXPECT_EQ(all.next_position, 5u);

  EventFilter by_type;
  by_type.types = {"detected"};
  auto detected = store_->ReadAll(1, 100, by_type).value();
  ASSERT_EQ(detected.events.size(), 2u);
  EXPECT_EQ(detected.events[0].position, 1u);
  EXPECT_EQ(detected.events[1].position, 4u);

  EventFilter by_prefix;
  by_prefix.stream_prefix = "exemplar-";
  auto exemplars = store_->ReadAll(2, 100, by_prefix).value();
  ASSERT_EQ(exemplars.events.size(), 2u);
  EXPECT_EQ(exemplars.events[0].position, 2u);

  auto paged = store_->ReadAll(1, 1, by_type, 2).value();
  EXPECT_EQ(paged.events.size(), 1u);
  EXPECT_EQ(paged.next_position, 2u);
  auto bounded_scan = store_->ReadAll(2, 10, by_type, 2).value();
  EXPECT_TRUE(bounded_scan.events.empty());
  EXPECT_EQ(bounded_scan.next_position, 4u);
}

TEST_F(EventStoreTest, HeadAndChainSurviveReopen) {
  MustAppend(MakeRequest("s", ExpectedVersion::Any(),
                         {MakeEvent("t", "a"), MakeEvent("t", "b")}));
  Head before = store_->head();
  Reopen();
  EXPECT_EQ(store_->head().position, before.position);
  EXPECT_EQ(store_->head().hash, before.hash);
  AppendResult next = MustAppend(
      MakeRequest("s", ExpectedVersion::Exact(1), {MakeEvent("t", "c")}));
  EXPECT_EQ(next.first_position, 3u);
  EXPECT_EQ(store_->ReadEvent(3)->prev_hash, before.hash);
  EXPECT_TRUE(audit::VerifyStore(*store_, std::nullopt).status().ok());
}

TEST_F(EventStoreTest, ThirtyTwoThreadsOnOverlappingStreamsStayGapless) {
  constexpr int kThreads = 32;
  constexpr int kAppendsPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> conflicts{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        std::string stream = "stream-" + std::to_string((t + i) % 7);
        auto result = store_->Append(MakeRequest(
            stream, ExpectedVersion::Any(),
            {MakeEvent("t", std::to_string(t) + ":" + std::to_string(i))}));
        if (!result.ok()) conflicts++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(conflicts.load(), 0);

  constexpr std::uint64_t kTotal = kThreads * kAppendsPerThread;
  auto all = store_->ReadAll(1, kTotal + 10).value();
  ASSERT_EQ(all.events.size(), kTotal);
  std::map<std::string, std::vector<std::uint64_t>> versions;
  std::set<std::string> payloads;
  for (std::uint64_t i = 0; i < kTotal; ++i) {
    EXPECT_EQ(all.events[i].position, i + 1);
    versions[all.events[i].stream_id].push_back(all.events[i].stream_version);
    payloads.insert(all.events[i].payload);
  }
  EXPECT_EQ(payloads.size(), kTotal);
  for (const auto& [stream, list] : versions) {
    for (size_t v = 0; v < list.size(); ++v) EXPECT_EQ(list[v], v) << stream;
  }
  EXPECT_TRUE(audit::VerifyStore(*store_, std::nullopt).status().ok());
}

TEST_F(EventStoreTest, ConcurrentExactVersionWritersExactlyOneWinsEachVersion) {
  MustAppend(
      MakeRequest("s", ExpectedVersion::NoStream(), {MakeEvent("t", "0")}));
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto result = store_->Append(
          MakeRequest("s", ExpectedVersion::Exact(0), {MakeEvent("t", "x")}));
      if (result.ok()) wins++;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(store_->head().position, 2u);
}

// Overwrites the stored bytes of one event behind the store's back.
void FlipStoredByte(const std::string& path, std::uint64_t position,
                    size_t offset) {
  testing::RawDb raw(path);
  std::string value = raw.Get(position);
  value[offset % value.size()] ^= 0x01;
  raw.Put(position, value);
}

TEST_F(EventStoreTest, FlippedByteIsReportedAtItsPositionByReadAndVerify) {
  for (int i = 0; i < 5; ++i) {
    MustAppend(MakeRequest("s", ExpectedVersion::Any(),
                           {MakeEvent("t", "payload " + std::to_string(i))}));
  }
  for (size_t offset : {0, 9, 30, 60, 1000}) {
    TempDir copy;
    store_->Close();
    std::filesystem::copy(
        dir_.path(), copy.path(),
        std::filesystem::copy_options::recursive |
            std::filesystem::copy_options::overwrite_existing);
    Reopen();
    FlipStoredByte(copy.str(), 3, offset);
    auto corrupted = EventStore::Open(copy.str());
    ASSERT_TRUE(corrupted.ok()) << corrupted.status().ToString();
    auto read = (*corrupted)->ReadEvent(3);
    ASSERT_FALSE(read.ok()) << "offset " << offset;
    EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(read.status().number(), std::optional<std::uint64_t>(3));
    Status chain = audit::VerifyStore(**corrupted, std::nullopt).status();
    EXPECT_EQ(chain.code(), StatusCode::kCorruption);
    EXPECT_EQ(chain.number(), std::optional<std::uint64_t>(3));
    auto all = (*corrupted)->ReadAll(1, 10);
    EXPECT_EQ(all.status().number(), std::optional<std::uint64_t>(3));
  }
}

TEST_F(EventStoreTest, StreamLookupsAgreeBeforeAndAfterAFlush) {
  for (int i = 0; i < 5; ++i) {
    MustAppend(MakeRequest("a", ExpectedVersion::Any(),
                           {MakeEvent("t", "a" + std::to_string(i))}));
  }
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round == 0 ? "in the memtable" : "in table files");
    EXPECT_EQ(store_->ReadStream("a", 0, Direction::kForward, 10)->size(), 5u);
    EXPECT_EQ(store_->ReadStream("a", 4, Direction::kForward, 10)->size(), 1u);
    EXPECT_TRUE(store_->ReadStream("a", 5, Direction::kForward, 10)->empty());
    EXPECT_TRUE(store_->ReadStream("b", 0, Direction::kForward, 10)->empty());
    EXPECT_EQ(store_->StreamVersion("a").value(), std::optional<uint64_t>(4));
    EXPECT_FALSE(store_->StreamVersion("b").value().has_value());
    Reopen();  // Close flushes the memtables
  }
  auto next = store_->Append(
      MakeRequest("a", ExpectedVersion::Exact(4), {MakeEvent("t", "a5")}));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->stream_version, 5u);
}

TEST_F(EventStoreTest, AppendAsyncAnswersARefusalAtOnceAndAnAppendOnceDurable) {
  std::optional<Status> refused;
  store_->AppendAsync(
      MakeRequest("bad id!", ExpectedVersion::Any(), {MakeEvent("t", "x")}),
      [&](Result<AppendResult> result) { refused = result.status(); });
  ASSERT_TRUE(refused.has_value());  // before AppendAsync returned
  EXPECT_EQ(refused->code(), StatusCode::kInvalidArgument);

  auto live = store_->Subscribe(store_->head().position + 1);
  struct Heard {
    std::thread::id thread;
    Result<AppendResult> result = Status::Internal("not called");
    std::uint64_t seen_by_subscriber = 0;
  };
  std::promise<Heard> heard;
  store_->AppendAsync(
      MakeRequest("s", ExpectedVersion::NoStream(), {MakeEvent("t", "x")}),
      [&](Result<AppendResult> result) {
        Heard what{std::this_thread::get_id(), result};
        // A writer hears of its append only once subscribers can see it.
        auto seen = live->Next(std::chrono::milliseconds(0));
        if (seen.ok() && seen->has_value()) {
          what.seen_by_subscriber = (*seen)->position;
        }
        heard.set_value(std::move(what));
      });
  Heard what = heard.get_future().get();
  EXPECT_NE(what.thread, std::this_thread::get_id());
  ASSERT_TRUE(what.result.ok()) << what.result.status().ToString();
  std::uint64_t position = what.result->last_position;
  EXPECT_EQ(what.seen_by_subscriber, position);
  EXPECT_EQ(store_->ReadEvent(position)->payload, "x");
}

// AppendAsync answers, in the order they come.
class Answers {
 public:
  AppendCallback For(std::string name) {
    return [this, name](Result<AppendResult> result) {
      std::lock_guard<std::mutex> lock(mu_);
      order_.push_back(name);
      results_.emplace(name, std::move(result));
      arrived_.notify_all();
    };
  }
  void WaitFor(size_t count) {
    std::unique_lock<std::mutex> lock(mu_);
    arrived_.wait(lock, [&] { return order_.size() >= count; });
  }
  std::vector<std::string> order() {
    std::lock_guard<std::mutex> lock(mu_);
    return order_;
  }
  Result<AppendResult> operator[](const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    return results_.at(name);
  }

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  std::vector<std::string> order_;
  std::map<std::string, Result<AppendResult>> results_;
};

// Requests that arrive while a batch is being synced are decided against
// it (versions, idempotency keys) and answered only once it is durable, in
// log order.
TEST_F(EventStoreTest, RequestsArrivingDuringASyncAreDecidedAgainstItsEvents) {
  ReopenThroughGate();
  Answers answers;
  AppendRequest first = MakeRequest("s", ExpectedVersion::NoStream(),
                                    {MakeEvent("t", "a")}, "key-a");
  AppendAndHoldItsSync(first, answers.For("a"));
  store_->AppendAsync(
      MakeRequest("s", ExpectedVersion::Exact(0), {MakeEvent("t", "b")}),
      answers.For("b"));
  store_->AppendAsync(first, answers.For("retry of a"));
  store_->AppendAsync(
      MakeRequest("s", ExpectedVersion::NoStream(), {MakeEvent("t", "c")}),
      answers.For("c"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(answers.order().empty()) << "answered before anything is durable";
  EXPECT_EQ(store_->head().position, 0u);

  gate_.Release(/*fail=*/false);
  answers.WaitFor(4);
  EXPECT_EQ(answers.order(),
            (std::vector<std::string>{"a", "b", "retry of a", "c"}));
  ASSERT_TRUE(answers["a"].ok()) << answers["a"].status().ToString();
  EXPECT_EQ(answers["a"]->last_position, 1u);
  ASSERT_TRUE(answers["b"].ok()) << answers["b"].status().ToString();
  EXPECT_EQ(answers["b"]->last_position, 2u);
  EXPECT_EQ(answers["b"]->stream_version, 1u);
  ASSERT_TRUE(answers["retry of a"].ok());
  EXPECT_TRUE(answers["retry of a"]->deduplicated);
  EXPECT_EQ(answers["retry of a"]->last_position, 1u);
  EXPECT_EQ(answers["c"].status().code(), StatusCode::kVersionConflict);
  EXPECT_EQ(store_->head().position, 2u);
  EXPECT_TRUE(audit::VerifyStore(*store_, std::nullopt).status().ok());
}

// A failed sync is answered with its error, moves no head, reaches no
// subscriber, and leaves a log that verifies; what came after it is never
// written.
TEST_F(EventStoreTest, AFailedSyncFailsItsBatchAndEverythingBehindIt) {
  ReopenThroughGate();
  MustAppend(
      MakeRequest("before", ExpectedVersion::Any(), {MakeEvent("t", "x")}));
  auto live = store_->Subscribe(2);
  Answers answers;
  AppendRequest first = MakeRequest("s", ExpectedVersion::NoStream(),
                                    {MakeEvent("t", "a")}, "key-a");
  AppendAndHoldItsSync(first, answers.For("a"));
  store_->AppendAsync(
      MakeRequest("t", ExpectedVersion::NoStream(), {MakeEvent("t", "b")}),
      answers.For("b"));
  store_->AppendAsync(first, answers.For("retry of a"));
  gate_.Release(/*fail=*/true);
  answers.WaitFor(3);
  for (const char* name : {"a", "b", "retry of a"}) {
    EXPECT_EQ(answers[name].status().code(), StatusCode::kIoError) << name;
  }
  EXPECT_EQ(store_->head().position, 1u);
  auto heard = live->Next(std::chrono::milliseconds(100));
  ASSERT_TRUE(heard.ok());
  EXPECT_FALSE(heard->has_value()) << "a subscriber heard of a failed append";

  // RocksDB takes no more writes after a failed sync, and neither does the
  // store, until it is opened again.
  auto after = store_->Append(
      MakeRequest("u", ExpectedVersion::Any(), {MakeEvent("t", "c")}));
  EXPECT_EQ(after.status().code(), StatusCode::kIoError);
  live.reset();
  Reopen();
  EXPECT_TRUE(audit::VerifyStore(*store_, std::nullopt).status().ok());
  // The failed batch may have reached the disk whole; what was staged behind
  // it never did.
  EXPECT_LE(store_->head().position, 2u);
  auto behind = store_->ReadStream("t", 0, Direction::kForward, 10);
  ASSERT_TRUE(behind.ok());
  EXPECT_TRUE(behind->empty());
}

// The timing hook covers the synced write: a sync held for 100 ms is
// reported as at least that long, with the batch's events.
TEST_F(EventStoreTest, TheSyncedBatchHookReportsEventsAndTheWritesDuration) {
  std::mutex mu;
  std::vector<SyncedBatch> reported;
  StoreOptions options;
  options.env = gate_.env();
  options.on_batch_synced = [&](const SyncedBatch& batch) {
    std::lock_guard<std::mutex> lock(mu);
    reported.push_back(batch);
  };
  Reopen(options);
  std::promise<void> answered;
  AppendAndHoldItsSync(
      MakeRequest("s", ExpectedVersion::Any(),
                  {MakeEvent("t", "a"), MakeEvent("t", "b")}),
      [&answered](Result<AppendResult>) { answered.set_value(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  gate_.Release(/*fail=*/false);
  answered.get_future().wait();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].events, 2u);
  EXPECT_GE(reported[0].write_time, std::chrono::milliseconds(100));
  EXPECT_LT(reported[0].write_time, std::chrono::seconds(60));
}

TEST_F(EventStoreTest, AnExceptionInTheSequencerStopsTheStoreNotTheProcess) {
  StoreOptions options;
  std::atomic<bool> fail{false};
  options.on_batch_synced = [&fail](const SyncedBatch&) {
    if (fail) throw std::runtime_error("injected failure");
  };
  Reopen(options);
  MustAppend(MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "a")}));
  fail = true;
  auto failed = store_->Append(
      MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "b")}));
  EXPECT_EQ(failed.status().code(), StatusCode::kIoError);
  EXPECT_NE(failed.status().message().find("injected failure"),
            std::string::npos)
      << failed.status().message();
  // Every later append is refused until the store is opened again; reads
  // still work.
  fail = false;
  auto after = store_->Append(
      MakeRequest("u", ExpectedVersion::Any(), {MakeEvent("t", "c")}));
  EXPECT_EQ(after.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(store_->ReadStream("s", 0, Direction::kForward, 10).ok());
  Reopen();
  EXPECT_TRUE(audit::VerifyStore(*store_, std::nullopt).status().ok());
  MustAppend(MakeRequest("u", ExpectedVersion::Any(), {MakeEvent("t", "d")}));
}

TEST_F(EventStoreTest, AppendAfterCloseIsUnavailable) {
  store_->Close();
  auto result = store_->Append(
      MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "a")}));
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
}

TEST_F(EventStoreTest, AStoreInAnotherRecordFormatIsRefusedByName) {
  MustAppend(MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "x")}));
  store_->Close();
  std::string format;
  {
    testing::RawDb raw(dir_.str());
    format = raw.Find(layout::kMetaFamily, layout::kFormatKey).value_or("");
    EXPECT_EQ(layout::ReadBigEndian64(format), layout::kStoreFormat);
    // A store written before the format was recorded has no format key.
    raw.DeleteIn(layout::kMetaFamily, layout::kFormatKey);
  }
  for (bool read_only : {false, true}) {
    StoreOptions options;
    options.read_only = read_only;
    auto refused = EventStore::Open(dir_.str(), options);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(refused.status().message().find("record format 1"),
              std::string::npos)
        << refused.status().ToString();
  }
  {
    testing::RawDb raw(dir_.str());
    raw.PutIn(layout::kMetaFamily, layout::kFormatKey, format);
  }
  auto reopened = EventStore::Open(dir_.str());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->head().position, 1u);
  EXPECT_EQ((*reopened)->format(), layout::kStoreFormat);
}

// A store made before personal values were sealed (format 2) still opens,
// and says which format it is, so that the server can warn.
TEST_F(EventStoreTest, AStoreOfTheFormatBeforeSealingOpensAndSaysSo) {
  MustAppend(MakeRequest("s", ExpectedVersion::Any(), {MakeEvent("t", "x")}));
  store_->Close();
  {
    testing::RawDb raw(dir_.str());
    raw.PutIn(layout::kMetaFamily, layout::kFormatKey, layout::BigEndian64(2));
  }
  for (bool read_only : {false, true}) {
    StoreOptions options;
    options.read_only = read_only;
    auto opened = EventStore::Open(dir_.str(), options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ((*opened)->format(), 2u);
    EXPECT_EQ((*opened)->head().position, 1u);
  }
}

TEST_F(EventStoreTest, SecondWriterIsToldAnotherProcessHoldsTheStore) {
  auto second = EventStore::Open(dir_.str());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(
                "is in use by another process (a running server?)"),
            std::string::npos)
      << second.status().ToString();
  StoreOptions follower;
  follower.read_only = true;
  EXPECT_TRUE(EventStore::Open(dir_.str(), follower).ok());
}

TEST(EventStoreOpenTest, ExistingStoreIsRequiredWhenNotCreating) {
  TempDir dir;
  for (bool read_only : {false, true}) {
    StoreOptions options;
    options.create_if_missing = false;
    options.read_only = read_only;
    auto opened = EventStore::Open(dir.str(), options);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(opened.status().message(), "no store in " + dir.str());
  }
}

}  // namespace
}  // namespace exemplar
