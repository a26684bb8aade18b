// GET /v1/events/stream against the real binary. A first start creates the
// admin (kTestAdminToken); the test's events are then written directly into
// the data folder while the server is stopped, so their positions are known.
// The in-process tests in tests/api cover the switch from history to live
// events.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "engine/event_store.h"
#include "tests/support/server_process.h"
#include "tests/support/sse_client.h"

namespace exemplar {
namespace {

using testing::kTestAdminToken;
using testing::ServerProcess;
using testing::ServerProcessOptions;
using testing::SseClient;
using testing::SseClientOptions;
using testing::SseEvent;
using testing::TempDir;

// Starts and stops the server once on the empty `data_dir`, so that it holds
// the admin and its token; returns the head position after that.
std::uint64_t Bootstrap(const std::string& data_dir) {
  { ServerProcess first_start(data_dir); }
  auto store = EventStore::Open(data_dir);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? (*store)->head().position : 0;
}

ServerProcessOptions WithArgs(std::vector<std::string> args) {
  ServerProcessOptions options;
  options.args = std::move(args);
  return options;
}

// As the admin.
SseClientOptions Authorized(SseClientOptions options = {}) {
  options.headers.emplace_back("Authorization",
                               std::string("Bearer ") + kTestAdminToken);
  return options;
}

std::string From(std::uint64_t position) {
  return "/v1/events/stream?from=" + std::to_string(position);
}

// Appends `count` events to the store in `data_dir`: types alternate
// "a_happened" / "b_happened", streams "order-0".."order-2" and "invoice-0".
void AppendOffline(const std::string& data_dir, int count) {
  auto store = EventStore::Open(data_dir);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (int i = 0; i < count; ++i) {
    AppendRequest request;
    request.stream_id =
        i % 4 == 3 ? "invoice-0" : "order-" + std::to_string(i % 4);
    NewEvent event;
    event.type = i % 2 ? "b_happened" : "a_happened";
    event.payload = "payload";
    request.events.push_back(std::move(event));
    ASSERT_TRUE((*store)->Append(std::move(request)).ok());
  }
}

// Appends `count` events of `payload_bytes` to stream "bulk", many per
// append so that few fsyncs are needed.
void AppendBulkOffline(const std::string& data_dir, int count,
                       size_t payload_bytes) {
  auto store = EventStore::Open(data_dir);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  constexpr int kPerAppend = 500;
  for (int done = 0; done < count; done += kPerAppend) {
    AppendRequest request;
    request.stream_id = "bulk";
    for (int i = done; i < std::min(count, done + kPerAppend); ++i) {
      NewEvent event;
      event.type = "bulk_written";
      event.payload = std::string(payload_bytes, 'x');
      request.events.push_back(std::move(event));
    }
    ASSERT_TRUE((*store)->Append(std::move(request)).ok());
  }
}

SseClientOptions ResumingAfter(std::uint64_t position) {
  SseClientOptions options;
  options.headers = {{"Last-Event-ID", std::to_string(position)}};
  return Authorized(options);
}

std::uint64_t Id(const SseEvent& event) { return std::stoull(event.id); }

TEST(SseTest, ResumingWithLastEventIdAfterADisconnectDeliversEveryEventOnce) {
  TempDir dir;
  const std::string data = dir.str() + "/data";
  const std::uint64_t base = Bootstrap(data);
  AppendOffline(data, 50);
  std::multiset<std::uint64_t> seen;
  std::uint64_t last_seen = base;
  {
    ServerProcess server(data);
    SseClient first(server.port(), From(base + 1), Authorized());
    ASSERT_EQ(first.status(), 200);
    EXPECT_EQ(first.content_type(), "text/event-stream");
    for (int i = 0; i < 20; ++i) {
      auto event = first.NextEvent();
      ASSERT_TRUE(event);
      seen.insert(last_seen = Id(*event));
    }
    first.Close();  // disconnects mid-history

    SseClient second(server.port(), "/v1/events/stream",
                     ResumingAfter(last_seen));
    while (last_seen < base + 50) {
      auto event = second.NextEvent();
      ASSERT_TRUE(event);
      seen.insert(last_seen = Id(*event));
    }
    // The server stops: the stream ends with where to resume.
    std::thread stop([&server] { server.Terminate(); });
    auto final_event = second.NextEvent();
    second.Close();
    stop.join();
    ASSERT_TRUE(final_event);
    EXPECT_EQ(final_event->event, "shutdown");
    EXPECT_EQ(nlohmann::json::parse(final_event->data)["resume_from"],
              base + 51);
  }
  AppendOffline(data, 30);  // written while no server ran
  ServerProcess server(data);
  SseClient third(server.port(), "/v1/events/stream", ResumingAfter(last_seen));
  while (last_seen < base + 80) {
    auto event = third.NextEvent();
    ASSERT_TRUE(event);
    seen.insert(last_seen = Id(*event));
  }
  ASSERT_EQ(seen.size(), 80u);
  for (std::uint64_t position = base + 1; position <= base + 80; ++position) {
    EXPECT_EQ(seen.count(position), 1u) << position;
  }
}

TEST(SseTest, EachEventCarriesItsPositionTypeAndTheJsonOfTheEventsRoute) {
  TempDir dir;
  const std::uint64_t base = Bootstrap(dir.str());
  AppendOffline(dir.str(), 3);
  ServerProcess server(dir.str());
  auto page = nlohmann::json::parse(
      server
          .Request(boost::beast::http::verb::get,
                   "/v1/events?limit=1&from=" + std::to_string(base + 2))
          .body);
  SseClient client(server.port(), From(base + 2), Authorized());
  auto event = client.NextEvent();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->id, std::to_string(base + 2));
  EXPECT_EQ(event->event, "b_happened");
  EXPECT_EQ(nlohmann::json::parse(event->data), page["events"][0]);
  // A payload no codec reads is `data: null`, and the stream goes on.
  EXPECT_TRUE(nlohmann::json::parse(event->data)["data"].is_null());
  auto next = client.NextEvent();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->id, std::to_string(base + 3));
}

TEST(SseTest, FiltersByTypeAndStreamPrefix) {
  TempDir dir;
  const std::uint64_t base = Bootstrap(dir.str());
  AppendOffline(dir.str(), 12);
  ServerProcess server(dir.str());
  SseClient client(server.port(),
                   From(base + 1) + "&types=b_happened&stream=order-",
                   Authorized());
  // Positions base+1..base+12 hold i = 0..11: b_happened at odd i,
  // invoice-0 at i % 4 == 3, so the odd i with i % 4 == 1 remain.
  for (std::uint64_t expected : {2, 6, 10}) {
    auto event = client.NextEvent();
    ASSERT_TRUE(event);
    EXPECT_EQ(Id(*event), base + expected);
    auto json = nlohmann::json::parse(event->data);
    EXPECT_EQ(json["type"], "b_happened");
    EXPECT_EQ(json["stream_id"].get<std::string>().rfind("order-", 0), 0u);
  }
}

TEST(SseTest, WithoutAStartPositionOnlyNewEventsComeAndHeartbeatsKeepItAlive) {
  TempDir dir;
  Bootstrap(dir.str());
  AppendOffline(dir.str(), 5);
  ServerProcess server(dir.str(), WithArgs({"--sse-heartbeat-ms", "100"}));
  SseClient client(server.port(), "/v1/events/stream", Authorized());
  auto first = client.Next();
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->comment) << "event " << first->id;
  EXPECT_EQ(*first->comment, " heartbeat");
  auto second = client.Next();
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->comment);
}

TEST(SseTest, AClientThatDoesNotReadIsDroppedWithWhereToResume) {
  TempDir dir;
  constexpr int kEvents = 5000;
  const std::uint64_t base = Bootstrap(dir.str());
  AppendBulkOffline(dir.str(), kEvents, 2048);  // ~14 MB of frames
  ServerProcess server(dir.str(),
                       WithArgs({"--sse-queue-bytes", "65536", "--sse-stall-ms",
                                 "100", "--sse-final-write-ms", "30000"}));
  SseClientOptions not_reading = Authorized();
  not_reading.receive_buffer_bytes = 4096;
  not_reading.read_head = false;
  SseClient client(server.port(), From(base + 1), not_reading);
  // Not reading: the socket buffers and then the write queue fill up, and
  // the queue stays full past the stall timeout.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  client.SetReceiveBuffer(1 << 20);  // now read at full speed
  client.ReadHead();
  ASSERT_EQ(client.status(), 200);
  std::uint64_t last_id = base;
  std::optional<SseEvent> final_event;
  while (auto event = client.NextEvent()) {
    if (event->event == "dropped") {
      final_event = event;
      break;
    }
    EXPECT_EQ(Id(*event), last_id + 1);
    last_id = Id(*event);
  }
  ASSERT_TRUE(final_event) << "no dropped event after " << last_id;
  EXPECT_LT(last_id, base + kEvents);
  auto data = nlohmann::json::parse(final_event->data);
  EXPECT_EQ(data["reason"], "slow_consumer");
  EXPECT_EQ(data["resume_from"], last_id + 1);
  EXPECT_EQ(final_event->id, std::to_string(last_id));
  EXPECT_FALSE(client.Next(std::chrono::seconds(5)));  // closed
}

TEST(SseTest, SubscribersBeyondTheLimitGet503AndABadLastEventIdGets400) {
  TempDir dir;
  ServerProcess server(dir.str(), WithArgs({"--sse-max-subscribers", "1"}));
  SseClient first(server.port(), "/v1/events/stream", Authorized());
  ASSERT_EQ(first.status(), 200);
  SseClient second(server.port(), "/v1/events/stream", Authorized());
  EXPECT_EQ(second.status(), 503);
  EXPECT_EQ(second.content_type(), "application/problem+json");
  EXPECT_NE(second.ReadBody().find("too_many_subscribers"), std::string::npos);
  first.Close();

  SseClientOptions bad_id;
  bad_id.headers = {{"Last-Event-ID", "x"}};
  SseClient malformed(server.port(), "/v1/events/stream", Authorized(bad_id));
  EXPECT_EQ(malformed.status(), 400);
  EXPECT_NE(malformed.ReadBody().find("Last-Event-ID"), std::string::npos);

  SseClient anonymous(server.port(), "/v1/events/stream");
  EXPECT_EQ(anonymous.status(), 401);
  EXPECT_NE(anonymous.ReadBody().find("unauthenticated"), std::string::npos);
}

TEST(SseTest, SigtermEndsOpenStreamsWithAShutdownEventAndExitsZero) {
  TempDir dir;
  const std::uint64_t base = Bootstrap(dir.str());
  AppendOffline(dir.str(), 3);
  ServerProcess server(dir.str());
  SseClient client(server.port(), From(base + 1), Authorized());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.NextEvent());
  int status = 0;
  std::thread stop([&] { status = server.Terminate(); });
  auto final_event = client.NextEvent();
  bool closed = !client.Next(std::chrono::seconds(5));
  client.Close();
  stop.join();
  ASSERT_TRUE(final_event);
  EXPECT_EQ(final_event->event, "shutdown");
  EXPECT_EQ(final_event->id, std::to_string(base + 3));
  EXPECT_EQ(nlohmann::json::parse(final_event->data)["resume_from"], base + 4);
  EXPECT_TRUE(closed);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace exemplar
