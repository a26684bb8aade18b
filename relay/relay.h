// The NATS JetStream relay: publishes every event of the log, in position
// order, to a JetStream stream, so that many independent consumers far from
// this machine can read the log and replay it from any point.
//
// It runs inside the process that owns the store (RocksDB admits one
// process per database) and tails the log through EventStore::Subscribe,
// which never slows the writer: the relay is never in the command path, and
// the store keeps accepting appends while NATS is down.
//
// Each event goes to `<subject_prefix>.<unit path>.<event type>`, the path
// of the event's unit (engine/workflow/event_unit.h; see subjects.h) with the
// event's JSON as GET /v1/events shows it, its fields decoded as `data`
// (engine/workflow/event_data.h), as the body and its position as the
// `Nats-Msg-Id`, so the stream's duplicate window drops
// re-sends. Publishes are asynchronous with at most `max_in_flight`
// unacknowledged, and each names its predecessor
// (`Nats-Expected-Last-Msg-Id`), so JetStream never stores one after a gap:
// the stream is always a gapless prefix of the log. The checkpoint
// (checkpoint.h) advances only over positions JetStream acknowledged
// without a gap. On a failed publish or a lost connection the relay waits
// for the publishes in flight to settle, backs off, and re-sends from the
// stream's last stored position (the checkpoint when the stream is empty).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "events/status.h"

namespace exemplar::relay {

struct RelayOptions {
  // NATS server URLs (nats://host:port or tls://host:port); several name
  // the members of a cluster, tried in turn. Default: one local server.
  std::vector<std::string> urls = {"nats://127.0.0.1:4222"};
  // A NATS credentials file (user JWT and NKey seed). Default: none.
  std::string credentials_file;
  // An authentication token. Default: none. Never logged.
  std::string token;
  // Require TLS. Default off (on anyway for tls:// URLs).
  bool tls = false;
  // PEM CA bundle to verify the servers with. Default: the system's.
  std::string tls_ca_file;
  // PEM client certificate and key, for servers that verify clients.
  // Default: none.
  std::string tls_cert_file;
  std::string tls_key_file;

  // The JetStream stream; created when absent. Default "EXEMPLAR".
  std::string stream_name = "EXEMPLAR";
  // First subject token(s); the stream holds `<subject_prefix>.>`.
  // Default "exemplar".
  std::string subject_prefix = "exemplar";
  // Copies of the stream in a cluster (1, 3 or 5). Default 1.
  int replicas = 1;
  // The stream's duplicate window: a re-sent position within it is dropped.
  // An existing stream with a shorter window is refused. Default 2 minutes.
  std::chrono::milliseconds dedupe_window = std::chrono::minutes(2);

  // Most publishes awaiting their acknowledgment. Default 1,000.
  size_t max_in_flight = 1000;
  // A publish not acknowledged within this is failed and re-sent. Default
  // 5 s.
  std::chrono::milliseconds ack_timeout = std::chrono::seconds(5);
  // Back-off between reconnection attempts and after a failed publish:
  // doubles from min to max. Defaults 100 ms and 5 s.
  std::chrono::milliseconds min_backoff = std::chrono::milliseconds(100);
  std::chrono::milliseconds max_backoff = std::chrono::seconds(5);
  // Least time between two checkpoint writes (each is one synced RocksDB
  // write). Default 100 ms.
  std::chrono::milliseconds checkpoint_interval =
      std::chrono::milliseconds(100);
  // How often the relay logs its lag while it is behind. Default 10 s.
  std::chrono::milliseconds log_interval = std::chrono::seconds(10);

  // Called with each position JetStream acknowledged (duplicates included),
  // on a NATS library thread; must be quick. For benchmarks. Default none.
  std::function<void(std::uint64_t position)> on_acknowledged;
};

// A snapshot of the relay's progress, for metrics and /readyz.
struct RelayStats {
  std::uint64_t checkpoint = 0;  // every event up to here is in JetStream
  std::uint64_t head = 0;        // the store's last position
  // Events appended but not yet acknowledged: head - checkpoint.
  std::uint64_t lag_events = 0;
  // Age of the oldest event not yet acknowledged (now minus its
  // recorded_at), in milliseconds; 0 when caught up.
  std::int64_t lag_ms = 0;
  std::uint64_t published = 0;     // publishes sent, re-sends included
  std::uint64_t acknowledged = 0;  // acknowledgments received
  std::uint64_t duplicates = 0;    // acknowledgments of dropped re-sends
  std::uint64_t resends = 0;       // times the relay went back to its
                                   // checkpoint after a failure
  bool connected = false;          // to a NATS server, right now
  // Set when the relay stopped for good (the stream became incompatible):
  // what is wrong. Empty while it runs.
  std::string failure;
};

// `stats` as a JSON object with the field names above, for /readyz detail
// and metrics endpoints (the lead wires it in; see the README).
nlohmann::json StatsToJson(const RelayStats& stats);

class Relay {
 public:
  // Checks `options`, connects, creates or checks the stream, and starts
  // relaying from the stored checkpoint on a thread of its own. `store`
  // and `definition` (which says where an exemplar's unit is and decodes
  // each event's `data`) must outlive the relay.
  //
  // Errors: kInvalidArgument (options), kRejected with reason
  // "stream_incompatible" (the stream exists with other subjects, storage,
  // replicas or a shorter duplicate window; the message says which),
  // kUnavailable (JetStream refused to create the stream), kIoError or
  // kCorruption (the checkpoint). When no server can be reached, Start
  // succeeds and the relay keeps trying with back-off; it checks the stream
  // on its first connection and, if it is incompatible then, stops with a
  // critical log and `stats().failure` set.
  static Result<std::unique_ptr<Relay>> Start(EventStore* store,
                                              const Definition& definition,
                                              RelayOptions options);

  // Stop()s.
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // Stops publishing, waits up to ack_timeout for the publishes in flight,
  // stores the checkpoint and disconnects. Call before closing the store.
  // Idempotent.
  void Stop();

  // The relay's progress now. Thread safety: any thread.
  RelayStats stats() const;

 private:
  class Impl;
  explicit Relay(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace exemplar::relay
