// The HTTP server: as many I/O threads as cores, each running an io_context
// of its own, a listener that hands connections to them in turn, and a
// session per connection (Beast's shared_from_this style; a connection's
// handlers all run on its thread, so it needs no strand). This departs from
// "one io_context run by every thread": with two threads sharing one, their
// scheduler's lock cost two futex calls per request. Quick routes and
// commands are answered on the I/O threads (see router.h); handlers that
// may block run on a separate pool.
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
  // A streamed upload's body (Router::AddUpload) may take this long in
  // all, each piece of it read_timeout. Default 10 min.
  std::chrono::seconds upload_timeout{600};
  // Time a keep-alive connection may sit idle. Default 60 s.
  std::chrono::seconds idle_timeout{60};
  // Open connections beyond this are answered 503 too_many_connections
  // with Retry-After: 1 and closed. Default 10,000.
  int max_connections = 10000;
  // I/O threads. Default 0: one per core.
  int io_threads = 0;
  // Threads that run handlers that may block (reports, bounded waits, time
  // travel, token changes). Default 64.
  int handler_threads = 64;
  // The reverse proxy's address: X-Forwarded-For and X-Forwarded-Proto are
  // believed from it alone (api/forwarded.h). Default: none.
  std::string trusted_proxy;
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

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace exemplar::api
