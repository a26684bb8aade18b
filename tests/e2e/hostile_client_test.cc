// A hostile client against the real binary: bytes no browser sends, bodies
// built to exhaust a stack, numbers built to wrap, framing built to smuggle
// a request past a proxy, and more connections than the server may hold.
// Each case checks the answer, that the server still serves others, and
// that a refusal left the log's head where it was.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/api_test_world.h"
#include "tests/support/sse_client.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::ApiWorld;
using testing::DetectFields;
using testing::HttpReply;
using testing::kTestAdminToken;
using testing::ServerProcessOptions;

const std::string kAdmin =
    std::string("Authorization: Bearer ") + kTestAdminToken + "\r\n";

// Counts how many HTTP responses `bytes` holds.
int Responses(const std::string& bytes) {
  int count = 0;
  for (size_t at = bytes.find("HTTP/1.1 "); at != std::string::npos;
       at = bytes.find("HTTP/1.1 ", at + 1)) {
    ++count;
  }
  return count;
}

// A connected socket that sends nothing; closed on destruction.
class IdleSocket {
 public:
  explicit IdleSocket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address),
                           sizeof address) == 0;
    timeval timeout{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~IdleSocket() { ::close(fd_); }
  IdleSocket(const IdleSocket&) = delete;
  IdleSocket& operator=(const IdleSocket&) = delete;

  bool connected() const { return connected_; }
  void Send(const std::string& bytes) {
    ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }
  // The first bytes to arrive within 3 s ("" when none).
  std::string ReadOnce() {
    char buffer[4096];
    ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    return got > 0 ? std::string(buffer, got) : std::string();
  }
  // What arrives until the server closes or 3 s pass without a byte.
  std::string ReadAll() {
    std::string answer;
    char buffer[4096];
    for (ssize_t got; (got = ::recv(fd_, buffer, sizeof buffer, 0)) > 0;) {
      answer.append(buffer, got);
    }
    return answer;
  }

 private:
  int fd_;
  bool connected_ = false;
};

class HostileClientTest : public ::testing::Test {
 protected:
  // The server answers another client, and the log's head is still `head`.
  void ExpectServingAt(std::uint64_t head) {
    ASSERT_TRUE(world_.server().Running()) << world_.server().Output();
    HttpReply ready = world_.server().Request(verb::get, "/readyz");
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(world_.Head(), head) << "a refusal moved the log's head";
  }

  HttpReply GetAsAdmin(const std::string& target) {
    return world_.server().Request(verb::get, target);
  }

  ApiWorld world_;
};

TEST_F(HostileClientTest, ARawByteInTheTargetIs400AndStopsNothing) {
  const std::uint64_t head = world_.Head();
  for (std::string target :
       {"/\xff", "/v1/exemplars/\xc3\x28", "/v1/exemplars?q=\xff\xfe"}) {
    std::string reply = world_.server().SendRaw(
        "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
        kAdmin + "\r\n");
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
    EXPECT_NE(reply.find("malformed_path"), std::string::npos) << reply;
    ExpectServingAt(head);
  }
}

TEST_F(HostileClientTest, PercentEncodedBytesThatAreNotUtf8Are400) {
  const std::uint64_t head = world_.Head();
  HttpReply view = GetAsAdmin("/v1/exemplars/%FF");
  EXPECT_EQ(view.status, 400) << view.body;
  EXPECT_EQ(json::parse(view.body)["type"], "malformed_path");
  HttpReply command = world_.As("approver", "/v1/exemplars/%C3%28/approve", {});
  EXPECT_EQ(command.status, 400) << command.body;
  HttpReply query = GetAsAdmin("/v1/exemplars?q=%FF");
  EXPECT_EQ(query.status, 400) << query.body;
  EXPECT_EQ(json::parse(query.body)["type"], "malformed_query");
  ExpectServingAt(head);
}

TEST_F(HostileClientTest, HeadersThatAreNotUtf8AreNeverEchoedRaw) {
  const std::uint64_t head = world_.Head();
  HttpReply reply =
      world_.As("reporter", "/v1/exemplars", DetectFields(),
                {{"X-Acting-Role", "\xff\xfe"}, {"X-Acting-Unit", "c1\xc0"}});
  EXPECT_GE(reply.status, 400) << reply.body;
  EXPECT_LT(reply.status, 500) << reply.body;
  EXPECT_TRUE(json::accept(reply.body)) << reply.body;
  ExpectServingAt(head);
}

TEST_F(HostileClientTest, DeepNestingIsMalformedJsonBeforeAnythingWalksIt) {
  const std::uint64_t head = world_.Head();
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  json rest = DetectFields();
  rest.erase("name");
  std::string body = R"({"name":)" + deep + "," + rest.dump().substr(1);
  HttpReply reply = world_.server().RequestWith(
      verb::post, "/v1/exemplars",
      {{"Authorization", "Bearer " + world_.token("reporter")}}, body);
  EXPECT_EQ(reply.status, 400) << reply.body.substr(0, 300);
  json problem = json::parse(reply.body);
  EXPECT_EQ(problem["type"], "malformed_json");
  EXPECT_NE(problem["detail"].get<std::string>().find("64"), std::string::npos);
  ExpectServingAt(head);

  // Nesting within the limit reaches the workflow, which names the field.
  json fields = DetectFields();
  fields["name"] = json::parse(std::string(10, '[') + std::string(10, ']'));
  HttpReply workflow = world_.As("reporter", "/v1/exemplars", fields);
  EXPECT_EQ(workflow.status, 422) << workflow.body;
  EXPECT_EQ(json::parse(workflow.body)["field"], "name");
  ExpectServingAt(head);
}

TEST_F(HostileClientTest, NumbersThatWouldWrapAre400) {
  const std::uint64_t head = world_.Head();
  for (const char* target : {
           "/v1/reports/quotas?year=4294969321",
           "/v1/reports/deadlines?year=2025&quarter=4294967297",
           "/v1/reports/deadlines?year=2025&quarter=5",
           "/v1/ledger?after=18446744073709551615",
           "/v1/ledger?after=99999999999999999999999",
           "/v1/exemplars?as_of_position=18446744073709551615",
           "/v1/exemplars?limit=-1",
           "/v1/events?from=18446744073709551615",
       }) {
    HttpReply reply = GetAsAdmin(target);
    EXPECT_EQ(reply.status, 400) << target << " " << reply.body;
    EXPECT_EQ(json::parse(reply.body)["type"], "validation_failed") << target;
  }
  testing::SseClient stream(
      world_.server().port(), "/v1/events/stream",
      {{{"Authorization", std::string("Bearer ") + kTestAdminToken},
        {"Last-Event-ID", "18446744073709551615"}}});
  EXPECT_EQ(stream.status(), 400);
  EXPECT_NE(stream.ReadBody().find("Last-Event-ID"), std::string::npos);
  ExpectServingAt(head);
}

TEST_F(HostileClientTest, OnlyAPlainChunkedTransferEncodingIsAccepted) {
  const std::uint64_t head = world_.Head();
  const std::string smuggled =
      "GET /v1/smuggled HTTP/1.1\r\nHost: x\r\n" + kAdmin + "\r\n";
  for (const std::string& framing :
       {std::string("Transfer-Encoding: chunked, identity\r\n"),
        std::string("Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n"),
        std::string("Transfer-Encoding: chunked\r\nTransfer-Encoding: "
                    "chunked\r\n"),
        std::string("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")}) {
    std::string reply =
        world_.server().SendRaw("POST /v1/exemplars HTTP/1.1\r\nHost: x\r\n" +
                                kAdmin + "Content-Type: application/json\r\n" +
                                framing + "\r\n0\r\n\r\n" + smuggled);
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << framing << reply;
    EXPECT_EQ(Responses(reply), 1) << "a second request was read: " << reply;
    EXPECT_EQ(reply.find("/v1/smuggled"), std::string::npos) << reply;
  }
  // A plain chunked body and the unrelated TE request header still work.
  std::string chunked = world_.server().SendRaw(
      "GET /readyz HTTP/1.1\r\nHost: x\r\nTE: trailers\r\nConnection: "
      "close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_TRUE(chunked.starts_with("HTTP/1.1 200")) << chunked;
  ExpectServingAt(head);
}

// A body over the limit is refused from its Content-Length. A client that
// sends it anyway still reads the answer: the server reads and drops what
// comes before it closes, since closing with unread bytes would reset the
// connection under the client's write. 16 MiB is more than the kernel's
// buffers hold, so without that the client's write would fail.
TEST_F(HostileClientTest, ABodySentPastItsRefusalStillGetsTheAnswer) {
  const std::uint64_t head = world_.Head();
  HttpReply refused = world_.server().RequestWith(
      verb::post, "/v1/exemplars", {}, std::string(16 << 20, 'x'),
      "application/json");
  EXPECT_EQ(refused.status, 413);
  EXPECT_NE(refused.body.find("body_too_large"), std::string::npos)
      << refused.body;
  ExpectServingAt(head);
}

TEST_F(HostileClientTest, AnIdempotencyKeyNeverCrossesUsers) {
  // With the pair written "user:key", user "idem" with key "x:k1" and user
  // "idem:x" with key "k1" would be one stored key.
  world_.Person("idem", "reporter", "c1");
  world_.Person("idem:x", "reporter", "c1");
  json first = DetectFields();
  first["name"] = "Hộ ông Trần Văn Một";
  HttpReply original =
      world_.As("idem", "/v1/exemplars", first, {{"Idempotency-Key", "x:k1"}});
  ASSERT_EQ(original.status, 201) << original.body;
  const std::uint64_t head = world_.Head();
  json second = DetectFields();
  second["name"] = "Hộ bà Lê Thị Hai";
  HttpReply other =
      world_.As("idem:x", "/v1/exemplars", second, {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(other.status, 201) << other.body;
  EXPECT_FALSE(other.headers.count("Idempotent-Replayed"));
  EXPECT_NE(json::parse(other.body)["stream_id"],
            json::parse(original.body)["stream_id"]);
  EXPECT_EQ(world_.Head(), head + 1);
}

TEST(HostileConnectionsTest, PastMaxConnectionsAClientGets503WithRetryAfter) {
  ServerProcessOptions options;
  options.args = {"--max-connections", "3"};
  testing::TempDir dir;
  testing::ServerProcess server(dir.str() + "/data", options);
  // Three connections the server has surely accepted: each got an answer
  // and stays open.
  std::vector<std::unique_ptr<IdleSocket>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<IdleSocket>(server.port()));
    held.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(held.back()->ReadOnce().starts_with("HTTP/1.1 200"));
  }
  IdleSocket fourth(server.port());
  std::string refused = fourth.ReadAll();
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("too_many_connections"), std::string::npos);
  held.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server.Request(verb::get, "/readyz").status, 200);
}

TEST(HostileConnectionsTest, RunningOutOfDescriptorsNeitherSpinsNorStops) {
  ServerProcessOptions options;
  options.max_open_files = 128;
  testing::TempDir dir;
  testing::ServerProcess server(dir.str() + "/data", options);
  std::vector<std::unique_ptr<IdleSocket>> held;
  for (int i = 0; i < 200; ++i) {
    held.push_back(std::make_unique<IdleSocket>(server.port()));
    ASSERT_TRUE(held.back()->connected());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const double before = server.CpuSeconds();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double busy = server.CpuSeconds() - before;
  // A loop retrying accept() at once burns a core; backing off costs a
  // little. (0.5 s of CPU in 2 s is far from either.)
  EXPECT_LT(busy, 0.5) << "the accept loop spins";
  std::string log = server.Output();
  size_t warned = log.find("cannot accept connections");
  EXPECT_NE(warned, std::string::npos) << log.substr(0, 2000);
  EXPECT_EQ(log.find("cannot accept connections", warned + 1),
            std::string::npos)
      << "logged more than once";
  held.clear();
  // Once descriptors are free again the server accepts within its back-off.
  HttpReply ready = server.Request(verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_TRUE(server.Running());
}

}  // namespace
}  // namespace exemplar
