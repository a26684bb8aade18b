// `exemplar bench sse`: live delivery latency of GET /v1/events/stream.
// One process runs the server (store, EventStreamService, HTTP server) and
// `subscribers` raw-socket clients on their own I/O thread; `appenders`
// threads append a paced load of `rate` events/s. For each event every
// client receives, the latency is the time from the append's ack (durable)
// to the moment the client read the frame's `id:` line.
#include "tools/bench_sse.h"

#include <sys/resource.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/server.h"
#include "api/sse.h"
#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "tools/bench_support.h"

namespace exemplar::tools {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             Clock::now().time_since_epoch())
      .count();
}

long RssMiB() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

// Raises the open-file limit to what the connections need (each is two
// descriptors in this process: client and server end).
Status RaiseFileLimit(rlim_t needed) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur >= needed) return Status::Ok();
  if (limit.rlim_max < needed) {
    return Status::Unavailable(
        "the open-file hard limit is " + std::to_string(limit.rlim_max) +
        ", the bench needs " + std::to_string(needed) +
        "; raise it (ulimit -Hn) or use fewer --subscribers");
  }
  limit.rlim_cur = needed;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Status::Unavailable("setrlimit(RLIMIT_NOFILE) failed");
  }
  return Status::Ok();
}

// Delivery latencies in 100 us buckets up to 10 s; one writer thread.
class LatencyHistogram {
 public:
  void Add(std::int64_t micros) {
    size_t bucket =
        static_cast<size_t>(std::max<std::int64_t>(micros, 0) / kBucketMicros);
    ++counts_[std::min(bucket, counts_.size() - 1)];
    ++total_;
  }
  // Upper edge of the bucket holding the given fraction, in ms.
  double PercentileMs(double fraction) const {
    std::uint64_t rank = static_cast<std::uint64_t>(fraction * total_);
    std::uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen > rank) return (i + 1) * kBucketMicros / 1000.0;
    }
    return counts_.size() * kBucketMicros / 1000.0;
  }
  std::uint64_t total() const { return total_; }

 private:
  static constexpr std::int64_t kBucketMicros = 100;
  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(100000);
  std::uint64_t total_ = 0;
};

// The clients: raw sockets read on one I/O thread, parsing only `id:` lines.
class Subscribers {
 public:
  Subscribers(int count, std::uint16_t port,
              const std::vector<std::atomic<std::int64_t>>& acked_at)
      : acked_at_(acked_at), connections_(count) {
    tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
    const std::string request =
        "GET /v1/events/stream HTTP/1.1\r\nHost: bench\r\n\r\n";
    for (auto& connection : connections_) {
      connection.socket = std::make_unique<tcp::socket>(io_);
      connection.socket->connect(server);
      asio::write(*connection.socket, asio::buffer(request));
      Read(connection);
    }
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "bench-clients");
      io_.run();
    });
  }

  ~Subscribers() { Stop(); }

  // Stops reading; the figures below are final after this.
  void Stop() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // Connections that received every position up to `last` in order.
  int CompleteUpTo(std::uint64_t last) const {
    int complete = 0;
    for (const auto& connection : connections_) {
      if (connection.last_id.load() >= last && !connection.out_of_order) {
        ++complete;
      }
    }
    return complete;
  }
  int HeadsReceived() const { return heads_.load(); }
  // Read only after Stop().
  const LatencyHistogram& latencies() const { return latencies_; }
  std::uint64_t early() const { return early_; }

 private:
  struct Connection {
    std::unique_ptr<tcp::socket> socket;
    std::array<char, 64 * 1024> buffer;
    std::string partial;  // an unfinished line
    bool head_seen = false;
    std::atomic<std::uint64_t> last_id{0};
    std::atomic<bool> out_of_order{false};
  };

  void Read(Connection& connection) {
    connection.socket->async_read_some(
        asio::buffer(connection.buffer),
        [this, &connection](boost::system::error_code error, size_t bytes) {
          if (error) return;
          Parse(connection, std::string_view(connection.buffer.data(), bytes));
          Read(connection);
        });
  }

  void Parse(Connection& connection, std::string_view data) {
    std::int64_t now = NowMicros();
    std::string_view text = data;
    if (!connection.partial.empty()) {
      connection.partial.append(data);
      text = connection.partial;
    }
    size_t start = 0;
    while (true) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) break;
      std::string_view line = text.substr(start, end - start);
      start = end + 1;
      if (!connection.head_seen) {
        if (line == "\r") {
          connection.head_seen = true;
          ++heads_;
        }
        continue;
      }
      if (line.rfind("id: ", 0) != 0) continue;
      std::uint64_t id = std::stoull(std::string(line.substr(4)));
      // The final shutdown event repeats the last position: not an event.
      if (id <= connection.last_id) continue;
      if (id != connection.last_id + 1) connection.out_of_order = true;
      connection.last_id = id;
      std::int64_t acked = id < acked_at_.size() ? acked_at_[id].load() : 0;
      if (acked == 0) ++early_;  // read before its appender saw the ack
      latencies_.Add(acked == 0 ? 0 : now - acked);
    }
    connection.partial = std::string(text.substr(start));
  }

  const std::vector<std::atomic<std::int64_t>>& acked_at_;
  asio::io_context io_;
  std::vector<Connection> connections_;
  std::atomic<int> heads_{0};
  LatencyHistogram latencies_;  // I/O thread only
  std::uint64_t early_ = 0;     // I/O thread only
  std::thread thread_;
};

// Appends `total` events paced at `rate`/s from `appenders` threads and
// stamps each position's ack time.
void RunLoad(EventStore& store, const BenchSseOptions& options, int total,
             std::vector<std::atomic<std::int64_t>>& acked_at) {
  std::string payload(options.payload_bytes, 'x');
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < options.appenders; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < total; i += options.appenders) {
        std::this_thread::sleep_until(
            start + std::chrono::microseconds(1000000LL * i / options.rate));
        AppendRequest request;
        request.stream_id = "exemplar-" + std::to_string(i % 1000);
        NewEvent event;
        event.type = "bench_recorded";
        event.payload = payload;
        event.actor = {"u1", "reporter", "c1"};
        request.events.push_back(std::move(event));
        auto appended = store.Append(std::move(request));
        if (appended.ok() && appended->first_position < acked_at.size()) {
          acked_at[appended->first_position] = NowMicros();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

}  // namespace

int RunBenchSse(const BenchSseOptions& options) {
  namespace fs = std::filesystem;
  if (Status raised = RaiseFileLimit(2 * options.subscribers + 256);
      !raised.ok()) {
    std::fprintf(stderr, "%s\n", raised.message().c_str());
    return 1;
  }
  const fs::path root =
      ScratchFolder(options.scratch_dir, "exemplar-bench-sse");
  auto store = EventStore::Open(root.string());
  auto definition = LoadDefinition(EXEMPLAR_DEFAULT_WORKFLOW);
  if (!store.ok() || !definition.ok()) {
    std::fprintf(stderr, "cannot open the store or the definition\n");
    return 1;
  }
  const int total = options.rate * options.seconds;
  std::printf(
      "bench sse: %d subscribers, %d events/s for %d s (%d events), "
      "%zu-byte payloads\n",
      options.subscribers, options.rate, options.seconds, total,
      options.payload_bytes);
  long rss_idle = RssMiB();
  {
    api::SseOptions sse;
    sse.max_subscribers = options.subscribers;
    sse.poll_interval = std::chrono::milliseconds(options.poll_ms);
    api::EventStreamService service(**store, *definition, sse);
    api::Router router;
    CommandHandler handler(store->get(), &*definition);
    api::AddSseRoute(router, **store, handler, service);
    api::ServerOptions server_options;
    server_options.port = 0;
    api::Server server(server_options, router);
    if (Status started = server.Start(); !started.ok()) {
      std::fprintf(stderr, "%s\n", started.ToString().c_str());
      return 1;
    }
    std::vector<std::atomic<std::int64_t>> acked_at(total + 1);
    Subscribers subscribers(options.subscribers, server.port(), acked_at);
    while (subscribers.HeadsReceived() < options.subscribers) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    long rss_connected = RssMiB();
    double cpu_before = ProcessCpuSeconds();
    auto load_start = Clock::now();
    RunLoad(**store, options, total, acked_at);
    double load_seconds =
        std::chrono::duration<double>(Clock::now() - load_start).count();
    auto deadline = Clock::now() + std::chrono::seconds(30);
    while (subscribers.CompleteUpTo(total) < options.subscribers &&
           Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    double cpu_seconds = ProcessCpuSeconds() - cpu_before;
    int complete = subscribers.CompleteUpTo(total);
    service.Shutdown();
    server.Stop();
    server.Wait();
    subscribers.Stop();
    const LatencyHistogram& latencies = subscribers.latencies();
    std::printf("appended  %d events in %.2f s (%.0f events/s)\n", total,
                load_seconds, total / load_seconds);
    std::printf(
        "delivered %llu frames; %d of %d subscribers got every event "
        "in order\n",
        static_cast<unsigned long long>(latencies.total()), complete,
        options.subscribers);
    std::printf(
        "latency   p50 %.1f ms   p99 %.1f ms   p999 %.1f ms   "
        "(append ack -> client read; %llu read before the ack)\n",
        latencies.PercentileMs(0.50), latencies.PercentileMs(0.99),
        latencies.PercentileMs(0.999),
        static_cast<unsigned long long>(subscribers.early()));
    std::printf(
        "memory    RSS %ld MiB idle, %ld MiB with the subscribers "
        "connected, peak %ld MiB (server and clients in one "
        "process)\n",
        rss_idle, rss_connected, PeakRssMiB());
    std::printf("cpu       %.1f core-seconds during the load and drain\n",
                cpu_seconds);
    fs::remove_all(root);
    return complete == options.subscribers ? 0 : 1;
  }
}

void AddBenchSseCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BenchSseOptions>();
  CLI::App* sse = AddBenchCommand(
      app, "sse", "Live event stream delivery latency under load");
  sse->add_option("--subscribers", options->subscribers,
                  "Concurrent SSE connections")
      ->capture_default_str();
  sse->add_option("--rate", options->rate, "Events appended per second")
      ->capture_default_str();
  sse->add_option("--seconds", options->seconds, "Length of the load")
      ->capture_default_str();
  sse->add_option("--appenders", options->appenders,
                  "Threads sharing the paced load")
      ->capture_default_str();
  sse->add_option("--payload", options->payload_bytes,
                  "Payload bytes per event")
      ->capture_default_str();
  sse->add_option("--poll-ms", options->poll_ms,
                  "How often the server moves events to clients, in ms")
      ->capture_default_str();
  AddScratchOption(sse, &options->scratch_dir);
  commands.push_back({sse, [options] { return RunBenchSse(*options); }});
}

}  // namespace exemplar::tools
