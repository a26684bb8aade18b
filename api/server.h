// The HTTP server: one io_context run by as many threads as cores, a
// listener, and a session per connection (Beast's strand + shared_from_this
// style). Handlers run on a separate pool, because an append blocks until its
// group commit is durable and many must wait at once for batching to work.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/router.h"
#include "events/status.h"

namespace exemplar::api {

struct ServerOptions {
  // Address to bind. Default 127.0.0.1 (loopback only).
  std::string bind_address = "127.0.0.1";
  // TCP port; 0 picks a free one (see Server::port()). Default 8080.
  std::uint16_t port = 8080;
  // Largest request header block, in bytes. Default 8 KiB.
  std::uint32_t header_limit_bytes = 8 * 1024;
  // Largest request body, in bytes. Default 1 MiB.
  std::uint64_t body_limit_bytes = 1024 * 1024;
  // Time allowed to receive one whole request once it starts (defeats slow
  // senders). Default 10 s.
  std::chrono::seconds read_timeout{10};
  // Time a keep-alive connection may sit idle. Default 60 s.
  std::chrono::seconds idle_timeout{60};
  // Open connections beyond this are refused with 503. Default 10,000.
  int max_connections = 10000;
  // I/O threads. Default 0: one per core.
  int io_threads = 0;
  // Threads that run handlers. Default 64, so that that many commands can
  // wait on one group commit together.
  int handler_threads = 64;
};

class Metrics;

class Server {
 public:
  // `router` and `metrics` (optional: counts every answered request) must
  // outlive the server.
  Server(ServerOptions options, const Router& router,
         Metrics* metrics = nullptr);
  ~Server();

  // Binds and starts accepting. Errors: kIoError when the address is taken.
  Status Start();
  // Blocks until Stop() is called and in-flight requests are answered.
  void Wait();
  // Stops accepting, lets in-flight requests finish, then ends Wait().
  // Safe from any thread, including a signal-handling one.
  void Stop();

  std::uint16_t port() const;
  int open_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace exemplar::api
