#include "tests/support/fuzz_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "engine/workflow/definition.h"
#include "engine/workflow/tokens.h"
#include "events/clock.h"

namespace exemplar::testing {
namespace {

// Users of the fuzzing organisation: (user, role, unit).
struct Member {
  const char* user;
  const char* role;
  const char* unit;
};
constexpr Member kMembers[] = {
    {"reporter", "reporter", "fz-c1"},   {"mentor", "mentor", "fz-c1"},
    {"nominator", "nominator", "fz-c1"}, {"appraiser", "appraiser", "fz-d1"},
    {"approver", "approver", "fz-d1"},   {"auditor", "auditor", "vn"},
};

std::string Request(const std::string& method, const std::string& target,
                    const std::string& token, const std::string& body = "") {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: fuzz\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty()) {
    request += "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n";
  }
  return request + "\r\n" + body;
}

}  // namespace

std::string FuzzToken(const std::string& user) {
  return "fuzz-token-" + user + "-0123456789";
}

FuzzServer::FuzzServer() {
  auto definition = LoadDefinition(std::string(EXEMPLAR_SOURCE_DIR) +
                                   "/workflows/exemplar.json");
  if (!definition.ok()) throw std::runtime_error(definition.status().message());
  definition_ = std::make_unique<Definition>(std::move(*definition));
  api::ServiceOptions options;
  options.data_dir = dir_.str() + "/data";
  options.admin_secret = FuzzToken("admin");
  options.server.port = 0;
  options.server.read_timeout = std::chrono::seconds(1);
  options.server.idle_timeout = std::chrono::seconds(1);
  options.server.handler_threads = 4;
  options.queries.max_wait = std::chrono::milliseconds(50);
  auto service = api::Service::Open(*definition_, std::move(options));
  if (!service.ok()) throw std::runtime_error(service.status().message());
  service_ = std::move(*service);
  if (Status started = service_->Start(); !started.ok()) {
    throw std::runtime_error(started.message());
  }
  SetUpOrganisation();
}

FuzzServer::~FuzzServer() { service_->Stop(); }

std::string FuzzServer::Post(const std::string& target,
                             const std::string& json_body) {
  std::string answer =
      Send(Request("POST", target, FuzzToken("admin"), json_body), 2000);
  if (!answer.starts_with("HTTP/1.1 2")) {
    throw std::runtime_error("setting up the fuzzing organisation: " + target +
                             ": " + answer);
  }
  return answer;
}

void FuzzServer::SetUpOrganisation() {
  Post("/v1/units", R"({"unit_id":"fz-p","name":"Tỉnh Khánh Hòa",)"
                    R"("level":"province","parent_id":"vn"})");
  Post("/v1/units", R"({"unit_id":"fz-d1","name":"Huyện Cam Lâm",)"
                    R"("level":"district","parent_id":"fz-p"})");
  Post("/v1/units", R"({"unit_id":"fz-c1","name":"Xã Cam Hải Tây",)"
                    R"("level":"commune","parent_id":"fz-d1"})");
  for (const Member& member : kMembers) {
    const std::string user = member.user;
    Post("/v1/users", nlohmann::json{{"user_id", user},
                                     {"full_name", "Cán bộ " + user},
                                     {"home_unit_id", member.unit}}
                          .dump());
    Post(
        "/v1/users/" + user + "/grants",
        nlohmann::json{{"role", member.role}, {"unit_id", member.unit}}.dump());
    auto drawn = DrawToken(FuzzToken(user));
    if (!drawn.ok()) throw std::runtime_error(drawn.status().message());
    const std::int64_t now = SystemClockMicros();
    auto issued = api::IssueToken(
        service_->handler(), &service_->tokens(), *drawn,
        SystemCommand{TokenIssuedFor(*drawn, user, now, kUserTokenLifetime),
                      Actor{"admin", "admin", "vn"}, now, "fuzz", ""});
    if (!issued.ok()) throw std::runtime_error(issued.status().message());
  }
  Post("/v1/campaigns",
       R"({"campaign_id":"fz-gen","name":"Thi đua yêu nước","unit_id":"fz-p",)"
       R"("period_start":"2020-01-01","period_end":"2030-12-31",)"
       R"("criteria_set":"general"})");
  Send(
      Request(
          "POST", "/v1/exemplars", FuzzToken("reporter"),
          R"({"exemplar_id":"ex-00000000000000000f1a","subject_kind":"household",)"
          R"("name":"Hộ bà Nguyễn Thị Lan","unit_id":"fz-c1",)"
          R"("field":"production_business","source":"branch_report",)"
          R"("summary":"Sản xuất giỏi","cultured_family":true})"),
      2000);
}

std::string FuzzServer::Send(std::string_view bytes, int wait_ms) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval timeout{wait_ms / 1000, (wait_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(service_->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) ==
      0) {
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);  // the end of the input is the end of the bytes
    char buffer[8192];
    for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      answer.append(buffer, got);
    }
  }
  ::close(fd);
  return answer;
}

bool FuzzServer::Healthy() {
  return Send("GET /healthz HTTP/1.1\r\nHost: fuzz\r\n\r\n", 2000)
      .starts_with("HTTP/1.1 200");
}

std::vector<std::string> FuzzServer::SeedRequests() {
  const std::string admin = FuzzToken("admin");
  const std::string reporter = FuzzToken("reporter");
  const std::string approver = FuzzToken("approver");
  const std::string auditor = FuzzToken("auditor");
  const std::string nominator = FuzzToken("nominator");
  return {
      Request("POST", "/v1/exemplars", reporter,
              R"({"subject_kind":"individual","name":"Trần Văn Bình",)"
              R"("unit_id":"fz-c1","field":"production_business",)"
              R"("source":"branch_report","summary":"Giỏi"})"),
      Request("POST", "/v1/exemplars/ex-00000000000000000f1a/assign_mentor",
              nominator, R"({"mentor_id":"mentor"})"),
      Request("POST", "/v1/exemplars/ex-00000000000000000f1a/approve", approver,
              R"({"decision_note":"Đồng ý"})"),
      Request("GET", "/v1/exemplars?q=nguyen+thi&limit=5&sort=name", reporter),
      Request("GET", "/v1/exemplars/ex-00000000000000000f1a", reporter),
      Request("GET",
              "/v1/exemplars/ex-00000000000000000f1a/history?as_of=2030-01-01",
              auditor),
      Request("GET", "/v1/ledger?after=3&limit=2", approver),
      Request("GET", "/v1/reports/quotas?year=2026", approver),
      Request("GET", "/v1/reports/deadlines?year=2026&quarter=4", approver),
      Request("GET", "/v1/reports/follow-up?no_mentor_days=30", approver),
      Request("GET", "/v1/units", reporter),
      Request("GET", "/v1/users", admin),
      Request("GET", "/v1/events?from=1&limit=10", auditor),
      Request("GET", "/v1/streams/exemplar-ex-00000000000000000f1a", auditor),
      Request("GET", "/v1/events/stream?from=1&types=exemplar_detected",
              auditor),
      Request("GET", "/v1/audit/head", auditor),
      Request("GET", "/v1/audit/proof/inclusion?position=2&tree_size=4",
              auditor),
      Request("GET", "/v1/audit/proof/consistency?from=2&to=5", auditor),
      Request("POST", "/v1/users/reporter/tokens", reporter),
      Request("POST", "/v1/units", admin,
              R"({"unit_id":"fz-c2","name":"Xã Suối Tân","level":"commune",)"
              R"("parent_id":"fz-d1"})"),
      Request("POST", "/v1/users/mentor/grants", admin,
              R"({"role":"mentor","unit_id":"fz-d1"})"),
      Request("GET", "/metrics", admin),
      Request("GET", "/openapi.json", ""),
      Request("GET", "/readyz", ""),
  };
}

}  // namespace exemplar::testing
