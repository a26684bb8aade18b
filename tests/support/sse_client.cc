#include "tests/support/sse_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace exemplar::testing {

SseClient::SseClient(int port, const std::string& target,
                     SseClientOptions options) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (options.receive_buffer_bytes > 0) {
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer_bytes,
               sizeof options.receive_buffer_bytes);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) !=
      0) {
    close(fd_);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  std::string request = "GET " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Accept: text/event-stream\r\n";
  for (const auto& [name, value] : options.headers) {
    request += name + ": " + value + "\r\n";
  }
  request += "\r\n";
  if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
    throw std::runtime_error("cannot send the request");
  }
  if (options.read_head) ReadHead();
}

SseClient::~SseClient() { Close(); }

void SseClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void SseClient::ReadHead() {
  auto status_line = ReadLine(std::chrono::seconds(10));
  if (!status_line || status_line->size() < 12) return;
  status_ = std::stoi(status_line->substr(9, 3));
  while (auto line = ReadLine(std::chrono::seconds(10))) {
    if (line->empty() || *line == "\r") break;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    size_t colon = line->find(": ");
    if (colon == std::string::npos) continue;
    std::string name;
    for (char c : line->substr(0, colon)) name += std::tolower(c);
    std::string value = line->substr(colon + 2);
    if (name == "content-type") content_type_ = value;
    if (name == "content-length") content_length_ = std::stoul(value);
  }
}

std::optional<std::string> SseClient::ReadLine(
    std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    size_t newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (fd_ < 0) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd waiting{fd_, POLLIN, 0};
    if (left.count() <= 0 ||
        poll(&waiting, 1, static_cast<int>(left.count())) <= 0) {
      return std::nullopt;
    }
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

std::optional<SseEvent> SseClient::Next(std::chrono::milliseconds timeout) {
  SseEvent event;
  bool any = false;
  while (auto line = ReadLine(timeout)) {
    if (line->empty()) {
      if (any) return event;
      continue;
    }
    if (line->front() == ':') {
      event.comment = line->substr(1);
      ReadLine(timeout);  // the blank line after it
      return event;
    }
    any = true;
    size_t colon = line->find(':');
    std::string field = line->substr(0, colon);
    std::string value =
        colon == std::string::npos ? "" : line->substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (field == "id") event.id = value;
    if (field == "event") event.event = value;
    if (field == "data") event.data += value;
  }
  return std::nullopt;
}

std::optional<SseEvent> SseClient::NextEvent(
    std::chrono::milliseconds timeout) {
  while (auto event = Next(timeout)) {
    if (!event->comment) return event;
  }
  return std::nullopt;
}

std::string SseClient::ReadBody() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (buffer_.size() < content_length_ && fd_ >= 0 &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd waiting{fd_, POLLIN, 0};
    if (poll(&waiting, 1, 100) <= 0) continue;
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
  std::string body = buffer_.substr(0, content_length_);
  buffer_.erase(0, body.size());
  return body;
}

void SseClient::SetReceiveBuffer(int bytes) {
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

}  // namespace exemplar::testing
