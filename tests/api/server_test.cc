#include "api/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

#include "api/router.h"

namespace exemplar::api {
namespace {

// Sends one request on a new connection and returns what comes back within
// two seconds (empty when nothing does).
std::string AskOnNewConnection(std::uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) ==
          0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      answer.append(buffer, got);
    }
  }
  ::close(fd);
  return answer;
}

TEST(ServerTest, EveryIoThreadServesTheConnectionsDealtToIt) {
  Router router;
  router.Add(
      http::verb::get, "/ping",
      [](const Request& request, const RouteParams&) -> Reply {
        Response response(http::status::ok, request.version());
        response.body() = "pong";
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        return response;
      },
      Access::kPublic);
  ServerOptions options;
  options.port = 0;
  options.io_threads = 3;
  Server server(options, router);
  ASSERT_TRUE(server.Start().ok());
  // Connections go to the I/O threads in turn, so six cover each twice,
  // including threads that had no connection before.
  for (int i = 0; i < 6; ++i) {
    std::string answer = AskOnNewConnection(
        server.port(),
        "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << "connection " << i;
    EXPECT_TRUE(answer.ends_with("pong")) << "connection " << i;
  }
}

}  // namespace
}  // namespace exemplar::api
