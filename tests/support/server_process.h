// Starts the real `exemplar serve` binary on a free port with a temp data
// folder, and speaks HTTP to it. For end-to-end tests.
#pragma once

#include <boost/beast/http.hpp>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace exemplar::testing {

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

class ServerProcess {
 public:
  // Starts the server on `data_dir` and waits until it listens.
  // `extra_args` go to `exemplar serve` after the data dir and port.
  explicit ServerProcess(const std::string& data_dir,
                         const std::vector<std::string>& extra_args = {});
  // Sends SIGTERM and waits for exit.
  ~ServerProcess();

  // One request on a fresh connection.
  HttpReply Request(boost::beast::http::verb method, const std::string& target,
                    const std::string& body = {},
                    const std::string& content_type = "application/json");
  // Raw bytes on a fresh connection; returns what the server sent back.
  std::string SendRaw(const std::string& bytes);

  // SIGTERM, then the exit status as waitpid reports it.
  int Terminate();
  int port() const { return port_; }

 private:
  int pid_ = -1;
  int port_ = 0;
};

}  // namespace exemplar::testing
