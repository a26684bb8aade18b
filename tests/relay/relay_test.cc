#include "relay/relay.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "engine/event_store.h"
#include "engine/workflow/sample_fields.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "events/workflow_event.h"
#include "relay/checkpoint.h"
#include "tests/relay/nats_fixture.h"
#include "tests/support/server_process.h"

namespace exemplar::relay {
namespace {

using exemplar::testing::ChildProcess;
using exemplar::testing::JetStreamReader;
using exemplar::testing::NatsServer;
using exemplar::testing::StoredMessage;
using exemplar::testing::TempDir;
using std::chrono::milliseconds;

constexpr char kStream[] = "EXEMPLAR";

bool WaitFor(const std::function<bool()>& condition,
             milliseconds timeout = milliseconds(20000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

NewEvent CreateUnit(const UnitCreated& unit) {
  NewEvent event;
  event.type = UnitCreated::kType;
  event.payload = EncodePayload(unit);
  event.actor = {"admin", "admin",
                 unit.parent_id.empty() ? unit.unit_id : unit.parent_id};
  return event;
}

NewEvent Action(const std::string& unit, const std::string& type) {
  NewEvent event;
  event.type = type;
  event.payload = "payload";
  event.actor = {"user-1", "officer", unit};
  return event;
}

void AppendOne(EventStore& store, const std::string& stream, NewEvent event) {
  AppendRequest request;
  request.stream_id = stream;
  request.events.push_back(std::move(event));
  ASSERT_TRUE(store.Append(std::move(request)).ok());
}

// Appends `count` events in appends of up to 100.
void AppendMany(EventStore& store, int count) {
  for (int done = 0; done < count;) {
    AppendRequest request;
    request.stream_id = "other-" + std::to_string(done);
    for (int i = 0; i < 100 && done < count; ++i, ++done) {
      request.events.push_back(Action("hn", "exemplar_detected"));
    }
    ASSERT_TRUE(store.Append(std::move(request)).ok());
  }
}

// Stream sequence i holds log position i, exactly once, for 1..head.
void ExpectEveryPositionOnceInOrder(const std::vector<StoredMessage>& messages,
                                    std::uint64_t head) {
  ASSERT_EQ(messages.size(), head);
  for (std::uint64_t i = 0; i < head; ++i) {
    ASSERT_EQ(messages[i].msg_id, std::to_string(i + 1))
        << "stream sequence " << messages[i].sequence;
    ASSERT_EQ(nlohmann::json::parse(messages[i].body)["position"], i + 1);
  }
}

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (NatsServer::Binary().empty()) {
      GTEST_SKIP() << "nats-server is not installed (apt-get install "
                      "nats-server): relay tests skipped";
    }
    nats_ = std::make_unique<NatsServer>();
    auto store = EventStore::Open((data_.path() / "store").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto definition =
        LoadDefinition(EXEMPLAR_SOURCE_DIR "/workflows/exemplar.json");
    ASSERT_TRUE(definition.ok()) << definition.status().ToString();
    definition_ = std::move(*definition);
  }

  RelayOptions Options() const {
    RelayOptions options;
    options.urls = {nats_->url()};
    options.min_backoff = milliseconds(20);
    options.max_backoff = milliseconds(200);
    options.ack_timeout = milliseconds(1000);
    return options;
  }

  // Waits until the relay's checkpoint reaches the store's head.
  bool CaughtUp(const Relay& relay) {
    return WaitFor([&] {
      RelayStats stats = relay.stats();
      return stats.checkpoint == store_->head().position;
    });
  }

  TempDir data_;
  std::unique_ptr<NatsServer> nats_;
  std::unique_ptr<EventStore> store_;
  std::optional<Definition> definition_;
};

TEST_F(RelayTest, EveryEventReachesTheStreamOnceInOrderOnItsSubject) {
  AppendOne(*store_, "unit-vn", CreateUnit({"vn", "Việt Nam", "central", ""}));
  AppendOne(*store_, "unit-hn", CreateUnit({"hn", "Hà Nội", "province", "vn"}));
  AppendMany(*store_, 300);
  AppendOne(*store_, "exemplar-x", Action("", "odd.type"));

  auto relay = Relay::Start(store_.get(), *definition_, Options());
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();
  // Events appended while the relay runs follow the same path.
  AppendMany(*store_, 200);
  ASSERT_TRUE(CaughtUp(**relay));
  RelayStats stats = (*relay)->stats();
  EXPECT_EQ(stats.lag_events, 0u);
  EXPECT_EQ(stats.lag_ms, 0);
  EXPECT_TRUE(stats.connected);
  EXPECT_EQ(StatsToJson(stats)["lag_events"], 0);
  (*relay)->Stop();

  const std::uint64_t head = store_->head().position;
  JetStreamReader reader(nats_->url());
  auto messages = reader.ReadAll(kStream);
  ExpectEveryPositionOnceInOrder(messages, head);
  EXPECT_EQ(messages[0].subject, "exemplar.vn.unit_created");
  EXPECT_EQ(messages[2].subject, "exemplar.vn.hn.exemplar_detected");
  EXPECT_EQ(messages[302].subject, "exemplar._.odd%2Etype");

  auto event = store_->ReadEvent(3);
  ASSERT_TRUE(event.ok());
  auto body = nlohmann::json::parse(messages[2].body);
  EXPECT_EQ(body["hash"], ToHex(event->hash));
  EXPECT_EQ(body["stream_id"], event->stream_id);

  auto checkpoint = LoadCheckpoint(*store_, kStream);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(*checkpoint, head);
}

// An exemplar's events are published under its unit, whoever acted: the
// province's approval of a district's exemplar is the district's.
TEST_F(RelayTest, AnExemplarsEventsGoUnderItsUnitWhoeverActed) {
  AppendOne(*store_, "unit-vn", CreateUnit({"vn", "Việt Nam", "central", ""}));
  AppendOne(*store_, "unit-hn", CreateUnit({"hn", "Hà Nội", "province", "vn"}));
  AppendOne(*store_, "unit-bd",
            CreateUnit({"bd", "Ba Đình", "district", "hn"}));
  WorkflowEvent creation;
  creation.definition_name = definition_->name;
  creation.definition_version = definition_->version;
  for (const ActionSpec& action : definition_->actions) {
    if (action.creates) creation.action = action.name;
  }
  creation.fields[definition_->subject.unit_field] = std::string("bd");
  NewEvent detected = Action("bd", "exemplar_detected");
  detected.payload = EncodePayload(creation);
  AppendOne(*store_, "exemplar-lan", std::move(detected));
  AppendOne(*store_, "exemplar-lan", Action("hn", "exemplar_approved"));

  auto relay = Relay::Start(store_.get(), *definition_, Options());
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();
  ASSERT_TRUE(CaughtUp(**relay));
  (*relay)->Stop();
  auto messages = JetStreamReader(nats_->url()).ReadAll(kStream);
  ASSERT_EQ(messages.size(), 5u);
  EXPECT_EQ(messages[3].subject, "exemplar.vn.hn.bd.exemplar_detected");
  EXPECT_EQ(messages[4].subject, "exemplar.vn.hn.bd.exemplar_approved");
}

// A consumer reads what happened from the body: the fields as `data`, text
// byte for byte, beside the stored bytes; a payload nobody can read is null.
TEST_F(RelayTest, EachBodyCarriesTheEventsFieldsAsData) {
  AppendOne(*store_, "unit-vn", CreateUnit({"vn", "Việt Nam", "central", ""}));
  const ActionSpec& detect = definition_->actions.front();
  SampleContext context;
  context.unit_id = "vn";
  context.overrides = {{"name", "Hộ bà Nguyễn Thị Lan — Đắk Lắk"}};
  auto fields = SampleEventFields(*definition_, detect, context);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  NewEvent detected = Action("vn", detect.event);
  detected.payload = EncodePayload(WorkflowEvent{
      detect.name, definition_->name, definition_->version, *fields});
  AppendOne(*store_, "exemplar-x", detected);
  AppendOne(*store_, "exemplar-y", Action("vn", "exemplar_detected"));

  auto relay = Relay::Start(store_.get(), *definition_, Options());
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();
  ASSERT_TRUE(CaughtUp(**relay));
  (*relay)->Stop();
  auto messages = JetStreamReader(nats_->url()).ReadAll(kStream);
  ASSERT_EQ(messages.size(), 3u);
  auto unit = nlohmann::json::parse(messages[0].body);
  EXPECT_EQ(unit["data"]["name"].get<std::string>(), "Việt Nam");
  EXPECT_EQ(unit["data"]["level"], "central");
  auto action = nlohmann::json::parse(messages[1].body);
  EXPECT_EQ(action["data"]["action"], detect.name);
  EXPECT_EQ(action["data"]["fields"]["name"].get<std::string>(),
            "Hộ bà Nguyễn Thị Lan — Đắk Lắk");
  EXPECT_FALSE(action["payload_base64"].get<std::string>().empty());
  EXPECT_TRUE(nlohmann::json::parse(messages[2].body)["data"].is_null());
}

TEST_F(RelayTest, ResumesFromItsCheckpointWithoutPublishingTwice) {
  AppendOne(*store_, "unit-vn", CreateUnit({"vn", "Việt Nam", "central", ""}));
  AppendOne(*store_, "unit-hn", CreateUnit({"hn", "Hà Nội", "province", "vn"}));
  AppendMany(*store_, 98);
  {
    auto relay = Relay::Start(store_.get(), *definition_, Options());
    ASSERT_TRUE(relay.ok()) << relay.status().ToString();
    ASSERT_TRUE(CaughtUp(**relay));
  }
  AppendMany(*store_, 50);
  auto relay = Relay::Start(store_.get(), *definition_, Options());
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();
  ASSERT_TRUE(CaughtUp(**relay));
  EXPECT_EQ((*relay)->stats().published, 50u);
  (*relay)->Stop();
  JetStreamReader reader(nats_->url());
  auto messages = reader.ReadAll(kStream);
  ExpectEveryPositionOnceInOrder(messages, 150);
  EXPECT_EQ(messages[149].subject, "exemplar.vn.hn.exemplar_detected")
      << "the unit tree is folded again after a restart";
}

TEST_F(RelayTest, RefusesAStreamThatHoldsOtherSubjects) {
  JetStreamReader reader(nats_->url());
  ASSERT_TRUE(reader.CreateStream(kStream, "other.>"));
  auto relay = Relay::Start(store_.get(), *definition_, Options());
  ASSERT_FALSE(relay.ok());
  EXPECT_EQ(relay.status().reason(), "stream_incompatible");
  EXPECT_NE(relay.status().message().find("other.>"), std::string::npos)
      << relay.status().message();
}

TEST_F(RelayTest, RefusesAStreamWithAShorterDuplicateWindow) {
  JetStreamReader reader(nats_->url());
  ASSERT_TRUE(reader.CreateStream(kStream, "exemplar.>"));  // 2 minutes
  RelayOptions options = Options();
  options.dedupe_window = std::chrono::minutes(10);
  auto relay = Relay::Start(store_.get(), *definition_, options);
  ASSERT_FALSE(relay.ok());
  EXPECT_EQ(relay.status().reason(), "stream_incompatible");
  EXPECT_NE(relay.status().message().find("duplicates"), std::string::npos)
      << relay.status().message();
}

TEST_F(RelayTest, CatchesUpWithNoLossAfterNatsRestartsWhileAppendsGoOn) {
  auto relay = Relay::Start(store_.get(), *definition_, Options());
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();

  std::atomic<bool> appending{true};
  std::atomic<int> failed_appends{0};
  std::thread appender([&] {
    for (int i = 0; appending; ++i) {
      AppendRequest request;
      request.stream_id = "exemplar-" + std::to_string(i % 50);
      request.events = {Action("hn", "exemplar_detected")};
      if (!store_->Append(std::move(request)).ok()) ++failed_appends;
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  });
  ASSERT_TRUE(WaitFor([&] { return (*relay)->stats().checkpoint >= 300; }));
  nats_->Stop(SIGKILL);
  const std::uint64_t head_at_stop = store_->head().position;
  ASSERT_TRUE(WaitFor([&] { return !(*relay)->stats().connected; }));
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_GT((*relay)->stats().lag_events, 0u);
  nats_->Restart();
  std::this_thread::sleep_for(milliseconds(300));
  appending = false;
  appender.join();

  EXPECT_EQ(failed_appends, 0) << "the store kept accepting appends";
  EXPECT_GT(store_->head().position, head_at_stop + 100)
      << "appends went on while NATS was down";
  ASSERT_TRUE(CaughtUp(**relay));
  (*relay)->Stop();
  JetStreamReader reader(nats_->url());
  ExpectEveryPositionOnceInOrder(reader.ReadAll(kStream),
                                 store_->head().position);
}

TEST_F(RelayTest, StartsWhileNatsIsDownAndDeliversOnceItIsUp) {
  nats_->Stop();
  AppendMany(*store_, 100);
  auto relay = Relay::Start(store_.get(), *definition_, Options());
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();
  AppendMany(*store_, 100);
  EXPECT_FALSE((*relay)->stats().connected);
  EXPECT_EQ((*relay)->stats().lag_events, 200u);
  nats_->Restart();
  ASSERT_TRUE(CaughtUp(**relay));
  (*relay)->Stop();
  JetStreamReader reader(nats_->url());
  ExpectEveryPositionOnceInOrder(reader.ReadAll(kStream), 200);
}

// The relay runs inside `exemplar serve`: SIGKILL the server while its relay
// publishes a backlog, start it again, and the stream holds every event once.
TEST_F(RelayTest, AfterSigkillMidBurstARestartLeavesEveryEventOnce) {
  constexpr int kEvents = 5000;
  AppendMany(*store_, kEvents);
  store_.reset();
  const std::vector<std::string> serve = {EXEMPLAR_BINARY,
                                          "serve",
                                          "--data",
                                          (data_.path() / "store").string(),
                                          "--port",
                                          "0",
                                          "--relay-url",
                                          nats_->url(),
                                          "--relay-max-in-flight",
                                          "200"};
  const std::string log = (data_.path() / "serve.log").string();
  JetStreamReader reader(nats_->url());

  ChildProcess server(serve, log);
  ASSERT_TRUE(WaitFor([&] { return reader.MessageCount(kStream) >= 500; }));
  server.Stop(SIGKILL);
  const std::uint64_t before_restart = reader.MessageCount(kStream);
  EXPECT_LT(before_restart, kEvents) << "killed before the burst ended";

  ChildProcess restarted(serve, log);
  // The first start recorded the workflow definition after the burst.
  constexpr int kLogged = kEvents + 1;
  EXPECT_TRUE(WaitFor([&] { return reader.MessageCount(kStream) >= kLogged; }));
  restarted.Stop(SIGTERM);
  ExpectEveryPositionOnceInOrder(reader.ReadAll(kStream), kLogged);
}

// /readyz and /metrics of a server running the relay show its progress.
TEST_F(RelayTest, ReadinessAndMetricsShowTheRelaysProgress) {
  store_.reset();
  testing::ServerProcessOptions options;
  options.args = {"--relay-url", nats_->url()};
  testing::ServerProcess server((data_.path() / "store").string(), options);
  nlohmann::json ready;
  ASSERT_TRUE(WaitFor([&] {
    ready = nlohmann::json::parse(
        server.Request(boost::beast::http::verb::get, "/readyz").body);
    return ready.contains("relay") &&
           ready["relay"]["checkpoint"] == ready["head_position"];
  })) << ready.dump();
  EXPECT_EQ(ready["relay"]["lag_events"], 0);
  EXPECT_EQ(ready["relay"]["connected"], true);
  std::string metrics =
      server.Request(boost::beast::http::verb::get, "/metrics").body;
  EXPECT_NE(metrics.find("exemplar_relay_lag_events 0"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("exemplar_relay_connected 1"), std::string::npos);
}

}  // namespace
}  // namespace exemplar::relay
