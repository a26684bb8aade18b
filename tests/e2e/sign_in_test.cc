// People signing in against the real binary: setup codes, passwords,
// session cookies, CSRF, throttling, sessions ending, surviving a restart,
// the bound on hashing at once, the trusted proxy, and the log's record.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/server_process.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::Headers;
using testing::HttpReply;
using testing::ServerProcess;
using testing::ServerProcessOptions;
using testing::TempDir;

constexpr char kPassword[] = "mật khẩu của Lan 2026";

json Body(const HttpReply& reply) { return json::parse(reply.body); }

// What Set-Cookie carries for the session, e.g. "exemplar_session=abc".
std::string CookieOf(const HttpReply& reply) {
  auto header = reply.headers.find("Set-Cookie");
  if (header == reply.headers.end()) return "";
  return header->second.substr(0, header->second.find(';'));
}

// A person "lan" at the root, with the role `role`, whose password is
// kPassword, set through a setup code as a person sets it.
void AddPerson(ServerProcess& server, const std::string& user,
               const std::string& role) {
  ASSERT_EQ(server
                .Request(verb::post, "/v1/users",
                         json{{"user_id", user},
                              {"full_name", "Nguyễn Thị Lan"},
                              {"home_unit_id", "vn"}}
                             .dump())
                .status,
            201);
  ASSERT_EQ(server
                .Request(verb::post, "/v1/users/" + user + "/grants",
                         json{{"role", role}, {"unit_id", "vn"}}.dump())
                .status,
            201);
  HttpReply code =
      server.Request(verb::post, "/v1/users/" + user + "/setup-codes");
  ASSERT_EQ(code.status, 201) << code.body;
  EXPECT_EQ(code.headers["Cache-Control"], "no-store");
  const std::string setup_code = Body(code)["setup_code"];
  HttpReply set = server.RequestWith(verb::post, "/v1/password", {},
                                     json{{"user_id", user},
                                          {"setup_code", setup_code},
                                          {"password", kPassword}}
                                         .dump());
  ASSERT_EQ(set.status, 204) << set.body;
  // The code is one-time.
  HttpReply again = server.RequestWith(verb::post, "/v1/password", {},
                                       json{{"user_id", user},
                                            {"setup_code", setup_code},
                                            {"password", "another password"}}
                                           .dump());
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(Body(again)["type"], "invalid_setup_code");
}

HttpReply SignIn(ServerProcess& server, const std::string& user,
                 const std::string& password, const Headers& headers = {}) {
  return server.RequestWith(
      verb::post, "/v1/session", headers,
      json{{"user_id", user}, {"password", password}}.dump());
}

// A signed-in session: its cookie and CSRF token.
struct Signed {
  std::string cookie;
  std::string csrf;
  Headers Reading() const { return {{"Cookie", cookie}}; }
  Headers Changing() const {
    return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  }
};

Signed SignedIn(ServerProcess& server, const std::string& user) {
  HttpReply reply = SignIn(server, user, kPassword);
  EXPECT_EQ(reply.status, 200) << reply.body;
  return Signed{CookieOf(reply), Body(reply).value("csrf_token", "")};
}

class SignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.str() + "/data");
    AddPerson(*server_, "lan", "admin");
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(SignInTest, SignInSetsAStrictHttpOnlyCookieAndAnswersMe) {
  HttpReply reply = SignIn(*server_, "lan", kPassword);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string cookie = reply.headers["Set-Cookie"];
  EXPECT_TRUE(cookie.starts_with("exemplar_session=")) << cookie;
  for (const char* attribute :
       {"; Path=/", "; HttpOnly", "; SameSite=Strict"}) {
    EXPECT_NE(cookie.find(attribute), std::string::npos) << cookie;
  }
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP";
  json me = Body(reply);
  EXPECT_EQ(me["user_id"], "lan");
  EXPECT_EQ(me["full_name"], "Nguyễn Thị Lan");
  EXPECT_EQ(me["home_unit_id"], "vn");
  EXPECT_EQ(me["auth"], "session");
  EXPECT_EQ(me["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_EQ(me["idle_timeout_s"], 1800);
  EXPECT_EQ(me["admin"], true);
  ASSERT_EQ(me["grants"].size(), 1u);
  EXPECT_EQ(me["grants"][0]["role"], "admin");
  EXPECT_EQ(me["grants"][0]["unit_id"], "vn");
  EXPECT_FALSE(me["grants"][0]["unit_name"].get<std::string>().empty());
  // The same Me for the cookie, and for a bearer token without csrf_token.
  HttpReply again = server_->RequestWith(verb::get, "/v1/session",
                                         {{"Cookie", CookieOf(reply)}});
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Body(again), me);
  json bearer = Body(server_->Request(verb::get, "/v1/session"));
  EXPECT_EQ(bearer["auth"], "bearer");
  EXPECT_EQ(bearer["user_id"], "admin");
  EXPECT_FALSE(bearer.contains("csrf_token"));
  EXPECT_EQ(server_->RequestWith(verb::get, "/v1/session", {}).status, 401);
}

TEST_F(SignInTest, AWrongPasswordAndAnUnknownUserGetTheSameAnswer) {
  HttpReply wrong = SignIn(*server_, "lan", "not the password");
  HttpReply unknown = SignIn(*server_, "nobody", kPassword);
  HttpReply no_password = SignIn(*server_, "admin", kPassword);
  for (const HttpReply* reply : {&wrong, &unknown, &no_password}) {
    EXPECT_EQ(reply->status, 401) << reply->body;
    EXPECT_EQ(reply->headers.count("Set-Cookie"), 0u);
    json problem = Body(*reply);
    problem.erase("request_id");
    EXPECT_EQ(problem, Body(wrong)) << reply->body;
  }
  EXPECT_EQ(Body(wrong)["type"], "invalid_credentials");
  // Failures go to the access log and the metrics, not the log.
  EXPECT_NE(server_->Output().find("sign-in refused: user=lan"),
            std::string::npos);
  HttpReply metrics = server_->Request(verb::get, "/metrics");
  EXPECT_NE(metrics.body.find("exemplar_sign_in_failures_total 3"),
            std::string::npos)
      << metrics.body;
  EXPECT_EQ(
      Body(server_->Request(verb::get, "/v1/events?types=signed_in"))["events"]
          .size(),
      0u);
}

TEST_F(SignInTest, RepeatedFailuresAreSlowedWithRetryAfter) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignIn(*server_, "lan", "wrong password").status, 401) << i;
  }
  HttpReply slowed = SignIn(*server_, "lan", kPassword);
  EXPECT_EQ(slowed.status, 429) << slowed.body;
  EXPECT_EQ(Body(slowed)["type"], "too_many_attempts");
  ASSERT_TRUE(slowed.headers.count("Retry-After"));
  EXPECT_GE(std::stoi(slowed.headers["Retry-After"]), 1);
  std::this_thread::sleep_for(
      std::chrono::seconds(std::stoi(slowed.headers["Retry-After"])));
  EXPECT_EQ(SignIn(*server_, "lan", kPassword).status, 200);
}

TEST_F(SignInTest,
       ACookieChangesNothingWithoutTheCsrfTokenOrFromAnotherOrigin) {
  Signed lan = SignedIn(*server_, "lan");
  const std::string unit = json{
      {"unit_id", "kh"},
      {"name", "Tỉnh Khánh Hòa"},
      {"level", "province"},
      {"parent_id", "vn"}}.dump();
  HttpReply bare =
      server_->RequestWith(verb::post, "/v1/units", lan.Reading(), unit);
  EXPECT_EQ(bare.status, 403) << bare.body;
  EXPECT_EQ(Body(bare)["type"], "csrf_rejected");
  HttpReply wrong = server_->RequestWith(
      verb::post, "/v1/units",
      {{"Cookie", lan.cookie}, {"X-CSRF-Token", std::string(64, '0')}}, unit);
  EXPECT_EQ(wrong.status, 403);
  Headers cross = lan.Changing();
  cross.emplace_back("Origin", "http://evil.example");
  HttpReply foreign =
      server_->RequestWith(verb::post, "/v1/units", cross, unit);
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(Body(foreign)["type"], "csrf_rejected");
  // The units as the read side holds them once it has folded `position`.
  auto has_kh = [this](std::uint64_t position) {
    return server_
               ->Request(verb::get,
                         "/v1/units?min_position=" + std::to_string(position))
               .body.find("\"kh\"") != std::string::npos;
  };
  EXPECT_FALSE(has_kh(0)) << "nothing changed";
  Headers same = lan.Changing();
  same.emplace_back("Origin", "http://127.0.0.1");
  HttpReply made = server_->RequestWith(verb::post, "/v1/units", same, unit);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_TRUE(has_kh(Body(made)["position"].get<std::uint64_t>()));
  // A cross-origin sign-in is refused too.
  HttpReply login =
      SignIn(*server_, "lan", kPassword, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(login.status, 403);
}

TEST_F(SignInTest, ASessionSeesWhatTheSameUsersTokenSees) {
  AddPerson(*server_, "hoa", "auditor");
  HttpReply token = server_->Request(verb::post, "/v1/users/hoa/tokens");
  ASSERT_EQ(token.status, 201);
  const std::string bearer =
      "Bearer " + Body(token)["token"].get<std::string>();
  Signed hoa = SignedIn(*server_, "hoa");
  for (const char* path : {"/v1/units", "/v1/users", "/v1/exemplars"}) {
    HttpReply by_token =
        server_->RequestWith(verb::get, path, {{"Authorization", bearer}});
    HttpReply by_cookie = server_->RequestWith(verb::get, path, hoa.Reading());
    EXPECT_EQ(by_cookie.status, by_token.status) << path;
    EXPECT_EQ(by_cookie.body, by_token.body) << path;
  }
  // An auditor may not act through either.
  const std::string user =
      json{{"user_id", "x"}, {"full_name", "X"}, {"home_unit_id", "vn"}}.dump();
  EXPECT_EQ(server_->RequestWith(verb::post, "/v1/users", hoa.Changing(), user)
                .status,
            server_
                ->RequestWith(verb::post, "/v1/users",
                              {{"Authorization", bearer}}, user)
                .status);
}

TEST_F(SignInTest, SignOutEndsTheSessionAndBothAreInTheLog) {
  Signed lan = SignedIn(*server_, "lan");
  EXPECT_EQ(
      server_->RequestWith(verb::delete_, "/v1/session", lan.Reading()).status,
      403)
      << "sign-out is a change: it needs the CSRF token";
  HttpReply out =
      server_->RequestWith(verb::delete_, "/v1/session", lan.Changing());
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.headers["Set-Cookie"].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(
      server_->RequestWith(verb::get, "/v1/session", lan.Reading()).status,
      401);
  json events = Body(server_->Request(
      verb::get, "/v1/events?stream=credential-lan"))["events"];
  std::vector<std::string> types;
  for (const json& event : events) types.push_back(event["type"]);
  EXPECT_EQ(types,
            (std::vector<std::string>{"setup_code_issued", "password_set",
                                      "signed_in", "signed_out"}));
  const json& signed_in = events[2];
  EXPECT_EQ(signed_in["actor"]["user_id"], "lan");
  EXPECT_EQ(signed_in["remote_address"], "127.0.0.1");
  EXPECT_EQ(signed_in["data"]["session_id"], events[3]["data"]["session_id"]);
  EXPECT_EQ(events.dump().find(lan.cookie.substr(17)), std::string::npos)
      << "no secret in the log";
}

TEST_F(SignInTest, DeactivatingTheUserEndsTheirSession) {
  Signed lan = SignedIn(*server_, "lan");
  ASSERT_EQ(
      server_->RequestWith(verb::get, "/v1/session", lan.Reading()).status,
      200);
  ASSERT_EQ(server_
                ->Request(verb::post, "/v1/users/lan/deactivate",
                          json{{"reason", "chuyển công tác"}}.dump())
                .status,
            200);
  HttpReply after =
      server_->RequestWith(verb::get, "/v1/session", lan.Reading());
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(Body(after)["type"], "user_inactive");
  EXPECT_EQ(SignIn(*server_, "lan", kPassword).status, 401);
}

TEST_F(SignInTest, ASessionSurvivesARestart) {
  Signed lan = SignedIn(*server_, "lan");
  server_.reset();
  ServerProcess restarted(dir_.str() + "/data");
  HttpReply me = restarted.RequestWith(verb::get, "/v1/session", lan.Reading());
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me)["csrf_token"], lan.csrf);
}

TEST_F(SignInTest, ABadPasswordOrBodyIsRefusedByField) {
  HttpReply code = server_->Request(verb::post, "/v1/users/lan/setup-codes");
  ASSERT_EQ(code.status, 201);
  HttpReply short_one =
      server_->RequestWith(verb::post, "/v1/password", {},
                           json{{"user_id", "lan"},
                                {"setup_code", Body(code)["setup_code"]},
                                {"password", "ngắn"}}
                               .dump());
  EXPECT_EQ(short_one.status, 400);
  EXPECT_EQ(Body(short_one)["type"], "validation_failed");
  EXPECT_EQ(Body(short_one)["field"], "password");
  HttpReply missing = server_->RequestWith(verb::post, "/v1/session", {},
                                           json{{"user_id", "lan"}}.dump());
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Body(missing)["field"], "password");
  EXPECT_EQ(server_->Request(verb::post, "/v1/users/nobody/setup-codes").status,
            404);
}

TEST(SignInIdleTest, ASessionEndsAfterTheIdleTime) {
  TempDir dir;
  ServerProcessOptions options;
  options.args = {"--session-idle-minutes", "0.05"};  // 3 seconds
  ServerProcess server(dir.str() + "/data", options);
  AddPerson(server, "lan", "auditor");
  Signed lan = SignedIn(server, "lan");
  HttpReply me = server.RequestWith(verb::get, "/v1/session", lan.Reading());
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Body(me)["idle_timeout_s"], 3);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(server.RequestWith(verb::get, "/v1/session", lan.Reading()).status,
            200)
      << "used within the idle time";
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_EQ(server.RequestWith(verb::get, "/v1/session", lan.Reading()).status,
            401);
}

TEST(SignInProxyTest,
     BehindTheTrustedProxyCookiesAreSecureAndTheAddressIsTheClients) {
  TempDir dir;
  ServerProcessOptions options;
  options.args = {"--trusted-proxy", "127.0.0.1", "--public-url",
                  "https://exemplar.example.vn"};
  ServerProcess server(dir.str() + "/data", options);
  AddPerson(server, "lan", "auditor");
  HttpReply reply = SignIn(server, "lan", kPassword,
                           {{"X-Forwarded-For", "203.0.113.7"},
                            {"X-Forwarded-Proto", "https"},
                            {"Origin", "https://exemplar.example.vn"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.headers["Set-Cookie"].find("; Secure"), std::string::npos);
  json events = Body(
      server.Request(verb::get, "/v1/events?stream=credential-lan"))["events"];
  EXPECT_EQ(events.back()["remote_address"], "203.0.113.7");
  // The public URL's origin is the one browsers must name.
  HttpReply local =
      SignIn(server, "lan", kPassword, {{"Origin", "http://127.0.0.1"}});
  EXPECT_EQ(local.status, 403);
}

// Peak resident memory of process `pid`, bytes.
long PeakBytes(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6)) * 1024;
  }
  return 0;
}

TEST_F(SignInTest, AFloodOfSignInsIsAnsweredBusyRatherThanQueuedInMemory) {
  const long before = PeakBytes(server_->pid());
  constexpr int kClients = 24;
  std::vector<std::future<HttpReply>> replies;
  for (int i = 0; i < kClients; ++i) {
    replies.push_back(std::async(std::launch::async, [this] {
      return SignIn(*server_, "lan", kPassword);
    }));
  }
  int busy = 0, ok = 0;
  for (auto& reply : replies) {
    HttpReply answer = reply.get();
    if (answer.status == 503) {
      ++busy;
      EXPECT_EQ(Body(answer)["type"], "busy");
      EXPECT_EQ(answer.headers["Retry-After"], "1");
    } else {
      EXPECT_EQ(answer.status, 200) << answer.body;
      ++ok;
    }
  }
  EXPECT_GT(busy, 0);
  EXPECT_GE(ok, 2);
  // Two hashes of 64 MiB at a time, never twenty-four.
  EXPECT_LT(PeakBytes(server_->pid()) - before, 400L * 1024 * 1024);
  EXPECT_EQ(server_->Request(verb::get, "/healthz").status, 200);
}

}  // namespace
}  // namespace exemplar
