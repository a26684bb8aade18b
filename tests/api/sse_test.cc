// The live event stream in process: a real Server and EventStreamService
// over a store the test appends to while clients read.
#include "api/sse.h"

#include <gtest/gtest.h>

#include <thread>

#include "api/server.h"
#include "engine/workflow/exemplar_state.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "events/workflow_event.h"
#include "tests/support/sse_client.h"
#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

using testing::SseClient;

constexpr std::int64_t kSecond = 1000 * 1000;
constexpr std::int64_t kT0 = 1'717'200'000 * kSecond;

class SseServiceTest : public ::testing::Test {
 protected:
  SseServiceTest() {
    store_ = std::move(EventStore::Open(dir_.str()).value());
    definition_ = std::move(LoadDefinition(std::string(EXEMPLAR_SOURCE_DIR) +
                                           "/workflows/exemplar.json")
                                .value());
    SseOptions sse;
    sse.poll_interval = std::chrono::milliseconds(2);
    // A small ring, so that streams switch between their own subscription
    // (history, or behind the ring) and the ring while they read.
    sse.ring_events = 16;
    service_ = std::make_unique<EventStreamService>(*store_, definition_, sse);
    handler_ = std::make_unique<CommandHandler>(store_.get(), &definition_);
    AddSseRoute(router_, *store_, *handler_, *service_);
    ServerOptions server;
    server.port = 0;
    server_ = std::make_unique<Server>(server, router_);
    EXPECT_TRUE(server_->Start().ok());
  }

  ~SseServiceTest() override {
    service_->Shutdown();  // before the server's I/O stops
    server_.reset();
  }

  void Append(const std::string& stream, const std::string& type,
              std::string payload = "p", Actor actor = {}) {
    NewEvent event;
    event.type = type;
    event.payload = std::move(payload);
    event.actor = std::move(actor);
    event.recorded_at_us = kT0 + ++seconds_ * kSecond;
    AppendRequest request;
    request.stream_id = stream;
    request.events.push_back(std::move(event));
    ASSERT_TRUE(store_->Append(std::move(request)).ok());
  }

  template <typename SystemEvent>
  void AppendUnit(const SystemEvent& event) {
    Append("unit-" + event.unit_id, SystemEvent::kType, EncodePayload(event));
  }

  void AppendExemplar(const std::string& id, const std::string& action,
                      const std::string& type,
                      std::map<std::string, FieldValue> fields) {
    WorkflowEvent event{action, definition_.name, definition_.version,
                        std::move(fields)};
    Append(ExemplarStreamId(id), type, EncodePayload(event));
  }

  std::vector<std::uint64_t> ReadIds(SseClient& client, size_t count) {
    std::vector<std::uint64_t> ids;
    while (ids.size() < count) {
      auto event = client.NextEvent();
      if (!event) break;
      ids.push_back(std::stoull(event->id));
    }
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<EventStore> store_;
  Definition definition_;
  Router router_;
  std::unique_ptr<CommandHandler> handler_;
  std::unique_ptr<EventStreamService> service_;
  std::unique_ptr<Server> server_;
  std::int64_t seconds_ = 0;
};

TEST_F(SseServiceTest, HistoryThenLiveEventsArriveInOrderWithNoGapOrDuplicate) {
  for (int i = 0; i < 100; ++i) Append("s-" + std::to_string(i % 5), "tick");
  SseClient client(server_->port(), "/v1/events/stream?from=1");
  ASSERT_EQ(client.status(), 200);
  std::thread writer([this] {
    for (int i = 0; i < 200; ++i) Append("s-" + std::to_string(i % 5), "tick");
  });
  auto ids = ReadIds(client, 300);
  writer.join();
  ASSERT_EQ(ids.size(), 300u);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], i + 1);
}

TEST_F(SseServiceTest, FiltersHoldOnBothSidesOfTheSwitchToTheRing) {
  for (int i = 0; i < 60; ++i) Append(i % 2 ? "odd-" : "even-", "tick");
  SseClient client(server_->port(), "/v1/events/stream?from=1&stream=odd-");
  std::thread writer([this] {
    for (int i = 60; i < 120; ++i) Append(i % 2 ? "odd-" : "even-", "tick");
  });
  auto ids = ReadIds(client, 60);
  writer.join();
  ASSERT_EQ(ids.size(), 60u);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], 2 * i + 2);
}

// kh (province) ─┬─ d1 ── c1 (moved to d2 at event 7)
//                └─ d2
class SseUnitTest : public SseServiceTest {
 protected:
  SseUnitTest() {
    AppendUnit(UnitCreated{"kh", "Khánh Hòa", "province", ""});     // 1
    AppendUnit(UnitCreated{"d1", "Cam Lâm", "district", "kh"});     // 2
    AppendUnit(UnitCreated{"d2", "Diên Khánh", "district", "kh"});  // 3
    AppendUnit(UnitCreated{"c1", "Cam Hải Tây", "commune", "d1"});  // 4
    AppendExemplar("e1", "detect", "exemplar_detected",
                   {{"unit_id", std::string("c1")}});  // 5
    AppendExemplar("e2", "detect", "exemplar_detected",
                   {{"unit_id", std::string("d2")}});  // 6
    AppendUnit(UnitMoved{"c1", "d2"});                 // 7
    AppendExemplar("e1", "assign_mentor", "mentor_assigned",
                   {{"mentor", std::string("u1")}});               // 8
    Append("note-1", "note", "p", Actor{"u9", "reporter", "d1"});  // 9
  }
};

TEST_F(SseUnitTest, UnitFilterFollowsTheSubtreeAsItWasAtEachEvent) {
  SseClient d1(server_->port(), "/v1/events/stream?from=1&unit=d1");
  // d1 itself, c1 created under it, e1 detected in c1 while c1 was in d1,
  // and an event whose actor acted for d1; not e1's events after c1 moved.
  EXPECT_EQ(ReadIds(d1, 4), (std::vector<std::uint64_t>{2, 4, 5, 9}));
  SseClient kh(server_->port(), "/v1/events/stream?from=1&unit=kh");
  EXPECT_EQ(ReadIds(kh, 9),
            (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

// The read scope, unlike the unit filter, follows the tree as it is now,
// history included: c1's past goes with c1, now in d2.
TEST_F(SseUnitTest, TheReadScopeFollowsTheTreeAsItIsNow) {
  // What the route's authorisation does: set the read scope of the
  // request's user (here the `root` parameter) before opening the stream.
  router_.Add(http::verb::get, "/scoped",
              [this](const Request& request, const RouteParams& params) {
                auto what = ParseStreamRequest(request, params, 0);
                what->read_scope =
                    std::vector<std::string>{params.query.at("root")};
                return service_->Open(request, std::move(*what));
              });
  SseClient d2(server_->port(), "/scoped?from=1&root=d2");
  EXPECT_EQ(ReadIds(d2, 6), (std::vector<std::uint64_t>{3, 4, 5, 6, 7, 8}));
  // d1 itself and an event whose actor acted for d1; nothing of c1.
  SseClient d1(server_->port(), "/scoped?from=1&root=d1");
  EXPECT_EQ(ReadIds(d1, 2), (std::vector<std::uint64_t>{2, 9}));
}

}  // namespace
}  // namespace exemplar::api
