// Private to relay/: one NATS connection and its JetStream context, with
// the parts of the nats.c API the relay uses turned into Status values.
//
// Thread safety: every method may be called from any thread; the ack
// callback runs on a NATS library thread.
#pragma once

#include <nats/nats.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "events/status.h"
#include "relay/relay.h"

namespace exemplar::relay {

// The outcome of one asynchronous publish.
struct PublishAck {
  std::uint64_t position = 0;
  bool ok = false;
  bool duplicate = false;  // JetStream already held this message id
  std::string error;       // when !ok: what went wrong
};

class JetStream {
 public:
  using AckCallback = std::function<void(const PublishAck&)>;

  // Connects to `options.urls`. When no server answers, succeeds anyway and
  // keeps connecting in the background with back-off (connected() tells).
  // `on_ack` receives the outcome of every PublishAsync. Errors:
  // kInvalidArgument (a URL, credentials or TLS file the library rejects).
  static Result<std::unique_ptr<JetStream>> Connect(const RelayOptions& options,
                                                    AckCallback on_ack);
  ~JetStream();
  JetStream(const JetStream&) = delete;
  JetStream& operator=(const JetStream&) = delete;

  bool connected() const;

  // Creates the stream of `options` when it does not exist, or checks that
  // the existing one is compatible. Errors: kRejected "stream_incompatible"
  // naming the difference, kUnavailable (no connection, no JetStream, or
  // the server refused to create it; the message says why).
  Status EnsureStream(const RelayOptions& options);

  // The position in the Nats-Msg-Id of the stream's last message; 0 when
  // the stream is empty or its last message carries no position. Errors:
  // kUnavailable.
  Result<std::uint64_t> LastStoredPosition(const RelayOptions& options);

  // Sends one message with `Nats-Msg-Id: <position>` and, unless
  // `previous` is 0, `Nats-Expected-Last-Msg-Id: <previous>`, so JetStream
  // stores it only right after `previous`. Returns at once; the outcome
  // comes to the ack callback within `ack_timeout`. Errors: kUnavailable
  // when it cannot be sent now (disconnected, reconnecting).
  Status PublishAsync(const std::string& subject, const std::string& body,
                      std::uint64_t position, std::uint64_t previous,
                      std::chrono::milliseconds ack_timeout);

 private:
  JetStream(AckCallback on_ack, std::chrono::milliseconds min_backoff,
            std::chrono::milliseconds max_backoff)
      : on_ack_(std::move(on_ack)),
        min_backoff_(min_backoff),
        max_backoff_(max_backoff) {}
  static void OnPublishAck(jsCtx* js, natsMsg* msg, jsPubAck* ack,
                           jsPubAckErr* error, void* closure);
  static std::int64_t ReconnectDelay(natsConnection* nc, int attempts,
                                     void* closure);
  static void OnDisconnected(natsConnection* nc, void* closure);
  static void OnReconnected(natsConnection* nc, void* closure);

  AckCallback on_ack_;
  std::chrono::milliseconds min_backoff_;
  std::chrono::milliseconds max_backoff_;
  natsOptions* options_ = nullptr;
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

}  // namespace exemplar::relay
