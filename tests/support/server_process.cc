#include "tests/support/server_process.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace exemplar::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct ServerProcess::Log {
  mutable std::mutex mutex;
  std::string text;
};

ServerProcess::ServerProcess(const std::string& data_dir,
                             const ServerProcessOptions& options) {
  std::vector<std::string> args = {EXEMPLAR_BINARY, "serve",  "--data",
                                   data_dir,        "--port", "0"};
  args.insert(args.end(), options.args.begin(), options.args.end());
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    if (options.max_open_files > 0) {
      rlimit limit{static_cast<rlim_t>(options.max_open_files),
                   static_cast<rlim_t>(options.max_open_files)};
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    setenv("EXEMPLAR_ADMIN_TOKEN", kTestAdminToken, 1);
    for (const auto& [name, value] : options.env) {
      setenv(name.c_str(), value.c_str(), 1);
    }
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(EXEMPLAR_BINARY, argv.data());
    _exit(127);
  }
  close(fds[1]);
  // The server logs "serving http://127.0.0.1:PORT" once it listens.
  log_ = std::make_shared<Log>();
  FILE* out = fdopen(fds[0], "r");
  char line[4096];
  std::regex listening("serving http://[^:]+:([0-9]+)");
  while (fgets(line, sizeof line, out)) {
    {
      std::lock_guard<std::mutex> lock(log_->mutex);
      log_->text += line;
    }
    std::cmatch match;
    if (std::regex_search(line, match, listening)) {
      port_ = std::stoi(match[1].str());
      break;
    }
  }
  // Keep draining the server's output so it never blocks on a full pipe.
  std::thread([out, log = log_] {
    char text[4096];
    while (fgets(text, sizeof text, out)) {
      std::lock_guard<std::mutex> lock(log->mutex);
      log->text += text;
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

bool ServerProcess::Running() const {
  if (pid_ <= 0) return false;
  // Read, not reaped, so Terminate still gets the exit status.
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)),
                   std::istreambuf_iterator<char>());
  std::size_t name_end = text.rfind(')');
  return name_end != std::string::npos && name_end + 2 < text.size() &&
         text[name_end + 2] != 'Z';
}

double ServerProcess::CpuSeconds() const {
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)),
                   std::istreambuf_iterator<char>());
  // Fields after the command name, which ends with the last ')': state is
  // field 3, utime and stime fields 14 and 15.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string ServerProcess::Output() const {
  std::lock_guard<std::mutex> lock(log_->mutex);
  return log_->text;
}

HttpReply ServerProcess::Request(http::verb method, const std::string& target,
                                 const std::string& body,
                                 const std::string& content_type) {
  return RequestWith(
      method, target,
      {{"Authorization", std::string("Bearer ") + kTestAdminToken}}, body,
      content_type);
}

HttpReply ServerProcess::RequestWith(http::verb method,
                                     const std::string& target,
                                     const Headers& headers,
                                     const std::string& body,
                                     const std::string& content_type) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
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
  HttpReply reply{static_cast<int>(response.result_int()),
                  std::string(response[http::field::content_type]),
                  response.body(),
                  {}};
  for (const auto& field : response) {
    reply.headers[std::string(field.name_string())] =
        std::string(field.value());
  }
  return reply;
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
