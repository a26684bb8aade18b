// The parts of signing in that need no server: password hashes and the
// bound on hashing at once, the throttle, sessions (idle and absolute ends,
// a restart), the proxy's forwarded headers and the origin check.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "api/auth.h"
#include "api/forwarded.h"
#include "api/passwords.h"
#include "api/sign_in_throttle.h"
#include "api/web_sessions.h"
#include "engine/event_store.h"
#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

constexpr std::int64_t kMinuteUs = 60'000'000;

// Cheap limits: these tests are about the rules, not the cost.
PasswordOptions CheapPasswords() {
  PasswordOptions options;
  options.operations = 1;
  options.memory_bytes = 64 * 1024;
  return options;
}

TEST(PasswordTest, AHashVerifiesItsPasswordOnly) {
  PasswordHasher hasher(CheapPasswords());
  Result<std::string> hash = hasher.Hash("mật khẩu dài 2026");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_NE(*hash, hasher.Hash("mật khẩu dài 2026").value()) << "salted";
  EXPECT_TRUE(hasher.Verify(*hash, "mật khẩu dài 2026").value());
  EXPECT_FALSE(hasher.Verify(*hash, "mật khẩu dài 2027").value());
  // No stored hash: checked against a decoy, and never a match.
  EXPECT_FALSE(hasher.Verify(std::nullopt, "").value());
  EXPECT_FALSE(hasher.Verify(std::nullopt, "mật khẩu dài 2026").value());
}

TEST(PasswordTest, ANewPasswordIsTenCharactersOfText) {
  EXPECT_TRUE(CheckNewPassword("mườiký tự!").ok());  // 10 code points
  EXPECT_EQ(CheckNewPassword("chín ký t").field(), "password");
  EXPECT_FALSE(CheckNewPassword(std::string(1025, 'a')).ok());
  EXPECT_FALSE(CheckNewPassword("\xff\xfe bad utf-8 text").ok());
}

TEST(PasswordTest, StoredInTheSideStoreAcrossARestart) {
  testing::TempDir dir;
  {
    auto store = std::move(EventStore::Open(dir.str())).value();
    EXPECT_EQ(StoredPassword(store->side_store(), "lan").value(), std::nullopt);
    ASSERT_TRUE(StorePassword(store->side_store(), "lan", "$argon2id$x").ok());
  }
  auto store = std::move(EventStore::Open(dir.str())).value();
  EXPECT_EQ(StoredPassword(store->side_store(), "lan").value(), "$argon2id$x");
}

TEST(TurnGateTest, BeyondTheRunningAndTheQueuedAnswersBusyAtOnce) {
  TurnGate gate(1, 1);
  std::optional<TurnGate::Turn> first = gate.Enter();
  ASSERT_TRUE(first);
  EXPECT_EQ(gate.running(), 1);
  auto queued = std::async(std::launch::async, [&] {
    std::optional<TurnGate::Turn> turn = gate.Enter();
    return turn.has_value();
  });
  while (gate.waiting() == 0) std::this_thread::yield();
  EXPECT_FALSE(gate.Enter()) << "the queue is full: busy";
  first.reset();
  EXPECT_TRUE(queued.get());
  EXPECT_EQ(gate.running(), 0);
  EXPECT_TRUE(gate.Enter());
}

TEST(TurnGateTest, AHasherWithNoTurnFreeIsBusy) {
  PasswordOptions options = CheapPasswords();
  options.concurrent = 1;
  options.queued = 0;
  PasswordHasher hasher(options);
  TurnGate& gate = const_cast<TurnGate&>(hasher.gate());
  std::optional<TurnGate::Turn> held = gate.Enter();
  ASSERT_TRUE(held);
  EXPECT_EQ(hasher.Hash("long enough password").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(hasher.Verify(std::nullopt, "x").status().code(),
            StatusCode::kUnavailable);
  held.reset();
  EXPECT_TRUE(hasher.Hash("long enough password").ok());
}

TEST(SignInThrottleTest, AfterFiveFailuresEachWaitDoubles) {
  std::int64_t now = 1'000'000'000;
  ThrottleOptions options;
  options.clock = [&now] { return now; };
  SignInThrottle throttle(options);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(throttle.RetryAfterSeconds("lan"), 0) << i;
    throttle.Failed("lan");
  }
  EXPECT_EQ(throttle.RetryAfterSeconds("lan"), 1);
  EXPECT_EQ(throttle.RetryAfterSeconds("hoa"), 0) << "per key";
  now += 1'000'000;
  EXPECT_EQ(throttle.RetryAfterSeconds("lan"), 0);
  throttle.Failed("lan");
  EXPECT_EQ(throttle.RetryAfterSeconds("lan"), 2);
  for (int i = 0; i < 20; ++i) throttle.Failed("lan");
  EXPECT_EQ(throttle.RetryAfterSeconds("lan"), 15 * 60) << "capped";
  throttle.Succeeded("lan");
  EXPECT_EQ(throttle.RetryAfterSeconds("lan"), 0);
}

TEST(SignInThrottleTest, TheTableStaysBounded) {
  ThrottleOptions options;
  options.max_keys = 10;
  SignInThrottle throttle(options);
  for (int i = 0; i < 1000; ++i) throttle.Failed("user" + std::to_string(i));
  for (int i = 0; i < 6; ++i) throttle.Failed("lan");
  EXPECT_GT(throttle.RetryAfterSeconds("lan"), 0);
}

class WebSessionsTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    sessions_.reset();
    store_.reset();
    store_ = std::move(EventStore::Open(dir_.str())).value();
    WebSessionOptions options;
    options.idle_timeout = std::chrono::minutes(30);
    options.clock = [this] { return now_; };
    sessions_ =
        std::move(WebSessions::Load(store_->side_store(), options)).value();
  }

  testing::TempDir dir_;
  std::int64_t now_ = 1'700'000'000'000'000;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<WebSessions> sessions_;
};

TEST_F(WebSessionsTest, ASessionEndsAfterTheIdleTime) {
  ASSERT_TRUE(
      sessions_->Add({"ses1", "s3cret"}, "lan", now_ + 720 * kMinuteUs).ok());
  now_ += 29 * kMinuteUs;
  ASSERT_TRUE(sessions_->Touch("s3cret").ok());
  now_ += 29 * kMinuteUs;  // used within the idle time: still alive
  Result<WebSession> alive = sessions_->Touch("s3cret");
  ASSERT_TRUE(alive.ok());
  EXPECT_EQ(alive->user_id, "lan");
  EXPECT_EQ(alive->session_id, "ses1");
  now_ += 30 * kMinuteUs;
  EXPECT_EQ(sessions_->Touch("s3cret").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(sessions_->size(), 0u) << "forgotten";
}

TEST_F(WebSessionsTest, ASessionEndsAtItsAbsoluteEndHoweverBusy) {
  ASSERT_TRUE(
      sessions_->Add({"ses1", "s3cret"}, "lan", now_ + 60 * kMinuteUs).ok());
  for (int i = 0; i < 5; ++i) {
    now_ += 10 * kMinuteUs;
    ASSERT_TRUE(sessions_->Touch("s3cret").ok()) << i;
  }
  now_ += 10 * kMinuteUs;
  EXPECT_FALSE(sessions_->Touch("s3cret").ok());
}

TEST_F(WebSessionsTest, SessionsSurviveARestartAndSignOutIsDurable) {
  ASSERT_TRUE(
      sessions_->Add({"ses1", "s3cret"}, "lan", now_ + 720 * kMinuteUs).ok());
  ASSERT_TRUE(
      sessions_->Add({"ses2", "other"}, "hoa", now_ + 720 * kMinuteUs).ok());
  ASSERT_TRUE(
      sessions_->Add({"ses3", "third"}, "lan", now_ + 720 * kMinuteUs).ok());
  now_ += 10 * kMinuteUs;
  ASSERT_TRUE(sessions_->Touch("s3cret").ok());  // its last use is written
  auto removed = sessions_->Remove("other");
  ASSERT_TRUE(removed.ok());
  ASSERT_TRUE(removed->has_value());
  EXPECT_EQ((*removed)->session_id, "ses2");
  EXPECT_FALSE(sessions_->Remove("other").value().has_value());
  Open();
  EXPECT_EQ(sessions_->size(), 2u);
  now_ += 25 * kMinuteUs;  // 25 minutes after its last use: alive
  EXPECT_TRUE(sessions_->Touch("s3cret").ok());
  EXPECT_FALSE(sessions_->Touch("other").ok());
  ASSERT_TRUE(sessions_->RemoveUser("lan").ok());
  Open();
  EXPECT_EQ(sessions_->size(), 0u);
}

TEST_F(WebSessionsTest, TheStoreKeepsNoSecret) {
  ASSERT_TRUE(
      sessions_->Add({"ses1", "s3cret"}, "lan", now_ + 720 * kMinuteUs).ok());
  std::string everything;
  ASSERT_TRUE(store_->side_store()
                  .Scan(SideSpace::kWebSessions, "", "",
                        [&](std::string_view key, std::string_view value) {
                          everything.append(key).append(value);
                          return true;
                        })
                  .ok());
  EXPECT_NE(everything.find("ses1"), std::string::npos);
  EXPECT_EQ(everything.find("s3cret"), std::string::npos);
  EXPECT_NE(WebSessions::CsrfToken("s3cret"), WebSessions::CsrfToken("x"));
}

TEST(CookieTest, TheSessionCookieIsFoundAmongOthersAndSetStrictly) {
  EXPECT_EQ(CookieValue("a=1; exemplar_session=abc; b=2", kSessionCookie),
            "abc");
  EXPECT_EQ(CookieValue("exemplar_session_x=1", kSessionCookie), "");
  EXPECT_EQ(SessionCookie("abc", false),
            "exemplar_session=abc; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(SessionCookie("abc", true),
            "exemplar_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(SessionCookie("", true),
            "exemplar_session=; Path=/; HttpOnly; SameSite=Strict; "
            "Max-Age=0; Secure");
}

Request WithHeaders(
    std::vector<std::pair<http::field, std::string>> headers,
    std::vector<std::pair<std::string, std::string>> named = {}) {
  Request request{http::verb::post, "/v1/session", 11};
  for (auto& [field, value] : headers) request.set(field, value);
  for (auto& [name, value] : named) request.set(name, value);
  return request;
}

TEST(ForwardedTest, ForwardedHeadersAreBelievedFromTheTrustedProxyOnly) {
  Request request =
      WithHeaders({}, {{"X-Forwarded-For", "203.0.113.9, 198.51.100.4"},
                       {"X-Forwarded-Proto", "https"}});
  Client proxied = ClientOf(request, "127.0.0.1", "127.0.0.1");
  EXPECT_EQ(proxied.address, "198.51.100.4") << "the address the proxy added";
  EXPECT_TRUE(proxied.https);
  Client direct = ClientOf(request, "192.0.2.1", "127.0.0.1");
  EXPECT_EQ(direct.address, "192.0.2.1");
  EXPECT_FALSE(direct.https);
  EXPECT_EQ(ClientOf(request, "127.0.0.1", "").address, "127.0.0.1");
  Request forged = WithHeaders({}, {{"X-Forwarded-For", "not-an-ip"}});
  EXPECT_EQ(ClientOf(forged, "127.0.0.1", "127.0.0.1").address, "127.0.0.1");
}

TEST(ForwardedTest, OriginsAreComparedByScheme_HostAndPort) {
  EXPECT_EQ(OriginOf("https://Exemplar.Example.vn:443/console").value(),
            "https://exemplar.example.vn");
  EXPECT_EQ(OriginOf("http://10.0.0.5:8080").value(), "http://10.0.0.5:8080");
  EXPECT_EQ(OriginOf("ftp://x").status().field(), "public_url");
  RequestContext plain;
  auto from = [](const std::string& origin) {
    return WithHeaders(
        {{http::field::host, "10.0.0.5:8080"}, {http::field::origin, origin}});
  };
  EXPECT_FALSE(FromForeignOrigin(from("http://10.0.0.5:8080"), plain, ""));
  EXPECT_TRUE(FromForeignOrigin(from("http://evil.example"), plain, ""));
  EXPECT_TRUE(FromForeignOrigin(from("null"), plain, ""));
  EXPECT_TRUE(FromForeignOrigin(from("https://10.0.0.5:8080"), plain, ""));
  EXPECT_FALSE(
      FromForeignOrigin(WithHeaders({{http::field::host, "x"}}), plain, ""))
      << "no Origin header";
  const std::string public_origin = "https://exemplar.example.vn";
  EXPECT_FALSE(FromForeignOrigin(from("https://exemplar.example.vn"), plain,
                                 public_origin));
  EXPECT_TRUE(
      FromForeignOrigin(from("http://10.0.0.5:8080"), plain, public_origin));
}

}  // namespace
}  // namespace exemplar::api
