// A minimal Server-Sent Events client for tests: a raw socket, a GET, the
// response head, then events read line by line as the server sends them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace exemplar::testing {

// One SSE event, or a comment line (`comment` holds its text, e.g.
// " heartbeat", and the other fields are empty).
struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
  std::optional<std::string> comment;
};

struct SseClientOptions {
  // Extra request headers, e.g. {"Last-Event-ID", "12"}.
  std::vector<std::pair<std::string, std::string>> headers;
  // SO_RCVBUF for the socket; 0 keeps the kernel's. A small one makes a
  // client that does not read back up sooner.
  int receive_buffer_bytes = 0;
  // False leaves the response head unread, for a client that does not read
  // until it calls ReadHead.
  bool read_head = true;
};

class SseClient {
 public:
  // Connects to 127.0.0.1:`port`, sends GET `target` and reads the response
  // head (unless options.read_head is false). Throws std::runtime_error
  // when it cannot connect.
  SseClient(int port, const std::string& target, SseClientOptions options = {});
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  int status() const { return status_; }
  const std::string& content_type() const { return content_type_; }

  // The next event or comment; nullopt when the server closed the stream or
  // nothing arrived within `timeout`.
  std::optional<SseEvent> Next(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next event that is not a comment, as Next.
  std::optional<SseEvent> NextEvent(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads the response head, when the constructor did not.
  void ReadHead();
  // The body of a response that is not a stream (a problem+json), by its
  // Content-Length.
  std::string ReadBody();
  // Sets SO_RCVBUF; a client that connected with a small one reads faster
  // after this.
  void SetReceiveBuffer(int bytes);
  // Hangs up.
  void Close();

 private:
  // One line without its "\n"; nullopt on close or timeout.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);

  int fd_ = -1;
  std::string buffer_;
  int status_ = 0;
  std::string content_type_;
  size_t content_length_ = 0;
};

}  // namespace exemplar::testing
