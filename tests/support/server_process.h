// Starts the real `exemplar serve` binary on a free port with a temp data
// folder, and speaks HTTP to it. For end-to-end tests.
#pragma once

#include <boost/beast/http.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace exemplar::testing {

// The admin token every ServerProcess starts with (EXEMPLAR_ADMIN_TOKEN).
inline constexpr char kTestAdminToken[] = "test-admin-token-0123456789abcdef";

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;  // names as sent
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ServerProcessOptions {
  // Extra environment variables for the server ("NAME", "value").
  Headers env;
  // Extra command-line arguments after `serve --data DIR --port 0`.
  std::vector<std::string> args;
  // RLIMIT_NOFILE for the server; 0 keeps the test's own.
  int max_open_files = 0;
};

class ServerProcess {
 public:
  // Starts the server on `data_dir` and waits until it listens.
  // The server runs with EXEMPLAR_ADMIN_TOKEN=kTestAdminToken.
  explicit ServerProcess(const std::string& data_dir,
                         const ServerProcessOptions& options = {});
  // Sends SIGTERM and waits for exit.
  ~ServerProcess();

  // One request on a fresh connection, as the admin (Bearer
  // kTestAdminToken).
  HttpReply Request(boost::beast::http::verb method, const std::string& target,
                    const std::string& body = {},
                    const std::string& content_type = "application/json");
  // One request with exactly these headers besides Host, Content-Type (when
  // there is a body) and Content-Length: no Authorization unless given.
  HttpReply RequestWith(boost::beast::http::verb method,
                        const std::string& target, const Headers& headers,
                        const std::string& body = {},
                        const std::string& content_type = "application/json");
  // Raw bytes on a fresh connection; returns what the server sent back.
  std::string SendRaw(const std::string& bytes);

  // SIGTERM, then the exit status as waitpid reports it.
  int Terminate();
  int port() const { return port_; }
  int pid() const { return pid_; }
  // True while the process has not exited (it may be a zombie not reaped).
  bool Running() const;
  // CPU time the server has used so far (user + system), in seconds.
  double CpuSeconds() const;
  // Everything the server has written to stdout and stderr so far.
  std::string Output() const;

 private:
  struct Log;
  int pid_ = -1;
  int port_ = 0;
  std::shared_ptr<Log> log_;
};

}  // namespace exemplar::testing
