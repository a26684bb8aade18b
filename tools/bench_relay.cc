// `exemplar bench relay`: the NATS JetStream relay's throughput (a backlog
// of events from the log to JetStream acknowledgment, events/s) and its
// end-to-end lag at a steady append rate (from the moment the store
// sequenced an event to JetStream's acknowledgment of it, p50/p99/max).
//
// Each run uses a fresh store and a stream of its own (deleted at the end)
// on the NATS server given by --url.
#include "tools/bench_relay.h"

#include <nats/nats.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "engine/event_store.h"
#include "relay/relay.h"
#include "tools/bench_support.h"

namespace exemplar::tools {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

relay::RelayOptions RelayOptionsFor(const BenchRelayOptions& options,
                                    const std::string& name) {
  relay::RelayOptions relay;
  relay.urls = {options.url};
  relay.stream_name = name;
  relay.subject_prefix = name;
  relay.max_in_flight = options.max_in_flight;
  return relay;
}

// Deletes the bench's stream so runs leave nothing behind.
void DeleteStream(const std::string& url, const std::string& name) {
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  if (natsConnection_ConnectTo(&connection, url.c_str()) == NATS_OK &&
      natsConnection_JetStream(&js, connection, nullptr) == NATS_OK) {
    js_DeleteStream(js, name.c_str(), nullptr, nullptr);
  }
  if (js) jsCtx_Destroy(js);
  if (connection) natsConnection_Destroy(connection);
}

bool WaitForCheckpoint(const relay::Relay& relay, std::uint64_t position) {
  auto deadline = Clock::now() + std::chrono::minutes(5);
  while (relay.stats().checkpoint < position) {
    if (Clock::now() > deadline || !relay.stats().failure.empty()) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Relays a backlog of options.events; prints events/s and the relay's CPU
// time per event (this process; the NATS server's is not counted).
Status RunThroughput(const BenchRelayOptions& options, const std::string& path,
                     const std::string& name) {
  auto store = EventStore::Open(path);
  if (!store.ok()) return store.status();
  auto definition = LoadDefinition(EXEMPLAR_DEFAULT_WORKFLOW);
  if (!definition.ok()) return definition.status();
  const std::string payload(options.payload_bytes, 'x');
  for (int done = 0; done < options.events;) {
    AppendRequest request;
    request.stream_id = "exemplar-" + std::to_string(done);
    for (int i = 0; i < 1000 && done < options.events; ++i, ++done) {
      request.events.push_back(BenchEvent(payload, 1));
    }
    auto appended = (*store)->Append(std::move(request));
    if (!appended.ok()) return appended.status();
  }
  auto start = Clock::now();
  double cpu_start = ProcessCpuSeconds();
  auto relay = relay::Relay::Start(store->get(), *definition,
                                   RelayOptionsFor(options, name));
  if (!relay.ok()) return relay.status();
  if (!WaitForCheckpoint(**relay, options.events)) {
    return Status::Unavailable("the relay did not catch up");
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double cpu_us = (ProcessCpuSeconds() - cpu_start) * 1e6 / options.events;
  std::printf(
      "throughput  %9.0f events/s   (%d events, %.2f s, %zu in flight, "
      "relay CPU %.1f us/event)\n",
      options.events / seconds, options.events, seconds, options.max_in_flight,
      cpu_us);
  return Status::Ok();
}

// Appends at options.rate for options.seconds while the relay runs; prints
// the lag from sequencing to JetStream acknowledgment.
Status RunLag(const BenchRelayOptions& options, const std::string& path,
              const std::string& name) {
  auto store = EventStore::Open(path);
  if (!store.ok()) return store.status();
  auto definition = LoadDefinition(EXEMPLAR_DEFAULT_WORKFLOW);
  if (!definition.ok()) return definition.status();
  const std::uint64_t total =
      static_cast<std::uint64_t>(options.rate) * options.seconds;
  // Wall-clock microseconds of each position's first acknowledgment.
  std::vector<std::atomic<std::int64_t>> acked_at(total + 1);
  relay::RelayOptions relay_options = RelayOptionsFor(options, name);
  relay_options.on_acknowledged = [&acked_at](std::uint64_t position) {
    if (position >= acked_at.size()) return;
    std::int64_t none = 0;
    acked_at[position].compare_exchange_strong(none, NowMicros());
  };
  auto relay = relay::Relay::Start(store->get(), *definition, relay_options);
  if (!relay.ok()) return relay.status();

  // Event i is due at start + i / rate; appenders take the next one due.
  const std::string payload(options.payload_bytes, 'x');
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> failed{false};
  auto start = Clock::now();
  std::vector<std::thread> appenders;
  for (int a = 0; a < options.appenders; ++a) {
    appenders.emplace_back([&] {
      for (std::uint64_t i = next++; i < total; i = next++) {
        std::this_thread::sleep_until(
            start + std::chrono::microseconds(i * 1000000 / options.rate));
        AppendRequest request;
        request.stream_id = "exemplar-" + std::to_string(i % 1000);
        request.events.push_back(BenchEvent(payload, 1));
        if (!(*store)->Append(std::move(request)).ok()) failed = true;
      }
    });
  }
  for (auto& thread : appenders) thread.join();
  double append_seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) return Status::Internal("an append failed during the bench");
  if (!WaitForCheckpoint(**relay, total)) {
    return Status::Unavailable("the relay did not catch up");
  }
  (*relay)->Stop();

  std::vector<double> lags_ms;
  for (std::uint64_t position = 1; position <= total; ++position) {
    auto event = (*store)->ReadEvent(position);
    if (!event.ok()) return event.status();
    lags_ms.push_back((acked_at[position] - event->recorded_at_us) / 1000.0);
  }
  const Spread lag = SpreadOf(&lags_ms);
  std::printf(
      "lag at %5.0f events/s   p50 %6.1f ms   p99 %6.1f ms   max %6.1f ms   "
      "(%llu events, %d appenders)\n",
      total / append_seconds, lag.p50, lag.p99, lag.max,
      static_cast<unsigned long long>(total), options.appenders);
  return Status::Ok();
}

}  // namespace

int RunBenchRelay(const BenchRelayOptions& options) {
  const std::string tag = std::to_string(getpid());
  const std::filesystem::path root =
      ScratchFolder(options.scratch_dir, "exemplar-bench");
  std::printf("bench relay: %s, %zu-byte payloads, scratch %s\n",
              options.url.c_str(), options.payload_bytes, root.c_str());
  const std::string throughput_stream = "BENCH_THROUGHPUT_" + tag;
  const std::string lag_stream = "BENCH_LAG_" + tag;
  Status status =
      RunThroughput(options, (root / "throughput").string(), throughput_stream);
  if (status.ok()) {
    status = RunLag(options, (root / "lag").string(), lag_stream);
  }
  DeleteStream(options.url, throughput_stream);
  DeleteStream(options.url, lag_stream);
  return FinishBench(root, status);
}

void AddBenchRelayCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BenchRelayOptions>();
  CLI::App* relay = AddBenchCommand(
      app, "relay", "NATS JetStream relay throughput and end-to-end lag");
  relay->add_option("--url", options->url, "NATS server with JetStream")
      ->capture_default_str();
  relay->add_option("--events", options->events, "Backlog to relay")
      ->capture_default_str();
  relay
      ->add_option("--payload", options->payload_bytes,
                   "Payload bytes per event")
      ->capture_default_str();
  relay->add_option("--rate", options->rate, "Events/s in the lag run")
      ->capture_default_str();
  relay->add_option("--seconds", options->seconds, "Length of the lag run")
      ->capture_default_str();
  relay
      ->add_option("--appenders", options->appenders,
                   "Appending threads in the lag run")
      ->capture_default_str();
  relay
      ->add_option("--max-in-flight", options->max_in_flight,
                   "Most unacknowledged publishes")
      ->capture_default_str();
  AddScratchOption(relay, &options->scratch_dir);
  commands.push_back({relay, [options] { return RunBenchRelay(*options); }});
}

}  // namespace exemplar::tools
