// Test fixtures for the relay: a real nats-server child process with
// JetStream, restartable on the same port and store folder, and a reader
// that lists what a JetStream stream holds.
#pragma once

#include <nats/nats.h>
#include <signal.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace exemplar::testing {

// A child process started with fork/exec; its output goes to `log_path`.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const std::vector<std::string>& argv,
               const std::string& log_path);
  // Sends SIGKILL if it still runs, and reaps it.
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;

  // Sends `signal` and waits for the exit; returns waitpid's status.
  int Stop(int signal);
  bool running() const { return pid_ > 0; }

 private:
  int pid_ = -1;
};

// nats-server -js on a free loopback port with a temp store folder.
class NatsServer {
 public:
  // The binary's path, or "" when nats-server is not installed.
  static std::string Binary();

  // Starts the server and waits until it accepts connections.
  NatsServer();

  // Stops the server with `signal` (it keeps its port and store folder).
  void Stop(int signal = SIGTERM);
  // Starts it again after Stop().
  void Restart();

  std::string url() const;

 private:
  void Launch();
  TempDir dir_;
  int port_ = 0;
  ChildProcess process_;
};

// One message as the stream holds it.
struct StoredMessage {
  std::uint64_t sequence = 0;
  std::string subject;
  std::string msg_id;  // the Nats-Msg-Id header
  std::string body;
};

// A plain NATS client for checking what the relay produced.
class JetStreamReader {
 public:
  explicit JetStreamReader(const std::string& url);
  ~JetStreamReader();

  // Messages in `stream` now; 0 when the stream does not exist (yet) or the
  // server does not answer.
  std::uint64_t MessageCount(const std::string& stream);

  // Every message of `stream`, in stream order.
  std::vector<StoredMessage> ReadAll(const std::string& stream);

  // Creates `stream` on `subject` with file storage; true on success.
  bool CreateStream(const std::string& stream, const std::string& subject);

 private:
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

}  // namespace exemplar::testing
