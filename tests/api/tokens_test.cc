#include "api/tokens.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/auth.h"
#include "events/payload_codec.h"
#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

// Tokens are loaded from their own streams, among other events.
TEST(TokenRegistryTest, AReloadFindsIssuedAndRevokedTokensAmongOtherEvents) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  auto tokens = std::move(TokenRegistry::Load(store.get())).value();
  TokenChange change{{"admin", "admin", "vn"}, "req-1", "127.0.0.1", 0};
  auto kept = tokens->Issue("lan", change, kUserTokenLifetime);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  for (int i = 0; i < 3; ++i) {  // an unrelated stream in between
    AppendRequest other;
    other.stream_id = "exemplar-" + std::to_string(i);
    NewEvent event;
    event.type = "detected";
    event.payload = "{}";
    other.events.push_back(std::move(event));
    ASSERT_TRUE(store->Append(std::move(other)).ok());
  }
  auto revoked = tokens->Issue("minh", change, kUserTokenLifetime);
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(tokens->Revoke(revoked->token_id, change).ok());

  auto reloaded = TokenRegistry::Load(store.get());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  Result<TokenInfo> lan = (*reloaded)->Authenticate(kept->secret);
  ASSERT_TRUE(lan.ok());
  EXPECT_EQ(lan->user_id, "lan");
  EXPECT_EQ((*reloaded)->Authenticate(revoked->secret).status().code(),
            StatusCode::kNotFound);
  std::optional<TokenInfo> minh = (*reloaded)->Find(revoked->token_id);
  ASSERT_TRUE(minh.has_value());
  EXPECT_TRUE(minh->revoked);
}

constexpr std::int64_t kSecondUs = 1'000'000;
constexpr std::int64_t kDayUs = 86'400 * kSecondUs;

// Expiry counts from the wall clock at issue, not from the event's recorded
// time (the demo records its events in the past).
TEST(TokenRegistryTest, ATokenExpiresItsLifetimeAfterItIsIssued) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  std::int64_t now = 1'800'000'000 * kSecondUs;
  auto clock = [&now] { return now; };
  auto tokens = std::move(TokenRegistry::Load(store.get(), clock)).value();
  const std::int64_t long_ago = 1'740'000'000 * kSecondUs;  // 2025
  TokenChange change{{"admin", "admin", "vn"}, "req-1", "", long_ago};
  auto token = tokens->Issue("lan", change, std::chrono::hours(24 * 7));
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->expires_at_us, now + 7 * kDayUs);

  now += 7 * kDayUs - 1;
  EXPECT_TRUE(tokens->Authenticate(token->secret).ok());
  now += 1;
  EXPECT_EQ(tokens->Authenticate(token->secret).status().reason(),
            "token_expired");
  // The expiry is in the log: a reload keeps it.
  auto reloaded = std::move(TokenRegistry::Load(store.get(), clock)).value();
  EXPECT_EQ(reloaded->Authenticate(token->secret).status().reason(),
            "token_expired");
  EXPECT_EQ(reloaded->Find(token->token_id)->expires_at_us,
            token->expires_at_us);
}

// token_issued as schema version 1 wrote it, before tokens expired.
struct TokenIssuedV1 {
  std::string token_id, user_id, secret_sha256;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id, secret_sha256);
  }
};

TEST(TokenRegistryTest, ATokenIssuedBeforeExpiryExistedNeverExpires) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  const std::string secret = "an-old-token-from-version-one";
  AppendRequest request;
  request.stream_id = "token-tokold";
  NewEvent event;
  event.type = TokenIssued::kType;
  event.schema_version = 1;
  event.payload =
      EncodePayload(TokenIssuedV1{"tokold", "lan", HashSecret(secret)});
  request.events.push_back(std::move(event));
  ASSERT_TRUE(store->Append(std::move(request)).ok());

  std::int64_t far_future = 4'000'000'000 * kSecondUs;
  auto tokens = TokenRegistry::Load(store.get(), [&] { return far_future; });
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  Result<TokenInfo> old = (*tokens)->Authenticate(secret);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->user_id, "lan");
  EXPECT_EQ(old->expires_at_us, 0);
}

// The guard tells an expired token from an unknown one.
TEST(BearerGuardTest, AnExpiredTokenIsRefusedAsExpired) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  std::int64_t now = 1'800'000'000 * kSecondUs;
  auto tokens =
      std::move(TokenRegistry::Load(store.get(), [&] { return now; })).value();
  TokenChange change{{"admin", "admin", "vn"}, "req-1", "", 0};
  auto token = tokens->Issue("lan", change, std::chrono::hours(24));
  ASSERT_TRUE(token.ok());
  Guard guard = BearerGuard(
      *tokens, [](const std::string&, std::int64_t) { return true; });
  Request request(http::verb::get, "/v1/exemplars", 11);
  request.set(http::field::authorization, "Bearer " + token->secret);

  RequestContext context;
  EXPECT_FALSE(guard(request, context).has_value());
  EXPECT_EQ(context.user_id, "lan");
  EXPECT_EQ(context.token_id, token->token_id);

  now += kDayUs;
  RequestContext later;
  std::optional<Response> refused = guard(request, later);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result(), http::status::unauthorized);
  EXPECT_EQ(nlohmann::json::parse(refused->body())["type"], "token_expired");
  EXPECT_TRUE(later.user_id.empty());
}

}  // namespace
}  // namespace exemplar::api
