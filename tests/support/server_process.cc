#include "tests/support/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <cstdio>
#include <regex>
#include <stdexcept>
#include <thread>

namespace exemplar::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

ServerProcess::ServerProcess(const std::string& data_dir,
                             const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {EXEMPLAR_BINARY, "serve",  "--data",
                                   data_dir,        "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    execv(EXEMPLAR_BINARY, argv.data());
    _exit(127);
  }
  close(fds[1]);
  // The server logs "serving http://127.0.0.1:PORT" once it listens.
  FILE* out = fdopen(fds[0], "r");
  char line[4096];
  std::regex listening("serving http://[^:]+:([0-9]+)");
  while (fgets(line, sizeof line, out)) {
    std::cmatch match;
    if (std::regex_search(line, match, listening)) {
      port_ = std::stoi(match[1].str());
      break;
    }
  }
  // Keep draining the server's output so it never blocks on a full pipe.
  std::thread([out] {
    char sink[4096];
    while (fgets(sink, sizeof sink, out)) {
    }
    fclose(out);
  }).detach();
  if (port_ == 0) throw std::runtime_error("server did not start");
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Terminate();
}

int ServerProcess::Terminate() {
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

HttpReply ServerProcess::Request(http::verb method, const std::string& target,
                                 const std::string& body,
                                 const std::string& content_type) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!body.empty()) {
    request.set(http::field::content_type, content_type);
    request.body() = body;
  }
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return {static_cast<int>(response.result_int()),
          std::string(response[http::field::content_type]), response.body()};
}

std::string ServerProcess::SendRaw(const std::string& bytes) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  beast::error_code error;
  asio::write(socket, asio::buffer(bytes), error);  // the server may close
  error = {};
  std::string reply;
  char chunk[4096];
  while (!error) {
    size_t n = socket.read_some(asio::buffer(chunk), error);
    reply.append(chunk, n);
  }
  return reply;
}

}  // namespace exemplar::testing
