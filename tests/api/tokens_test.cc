#include "api/tokens.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/auth.h"
#include "engine/workflow/tokens.h"
#include "events/payload_codec.h"
#include "tests/support/old_payloads.h"
#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

// A token event as the command handler appends it (the rules that let it
// be appended are the engine's, tested there).
template <typename T>
std::uint64_t AppendTokenEvent(EventStore& store, const T& payload,
                               std::optional<std::uint64_t> after) {
  AppendRequest request;
  request.stream_id = "token-" + payload.token_id;
  request.expected_version =
      after ? ExpectedVersion::Exact(*after) : ExpectedVersion::NoStream();
  NewEvent event;
  event.type = T::kType;
  event.schema_version = T::kSchemaVersion;
  event.payload = EncodePayload(payload);
  event.actor = {"admin", "admin", "vn"};
  request.events.push_back(std::move(event));
  return store.Append(std::move(request)).value().last_position;
}

std::uint64_t Issue(EventStore& store, const std::string& token_id,
                    const std::string& user, const std::string& secret,
                    std::int64_t expires_at_us = 0) {
  return AppendTokenEvent(
      store, TokenIssued{token_id, user, HashSecret(secret), expires_at_us},
      std::nullopt);
}

std::uint64_t Revoke(EventStore& store, const std::string& token_id,
                     const std::string& user) {
  return AppendTokenEvent(store, TokenRevoked{token_id, user}, 0);
}

// Tokens are loaded from their own streams, among other events.
TEST(TokenRegistryTest, AReloadFindsIssuedAndRevokedTokensAmongOtherEvents) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  Issue(*store, "tok1", "lan", "secret-of-lan-0123456789");
  for (int i = 0; i < 3; ++i) {  // an unrelated stream in between
    AppendRequest other;
    other.stream_id = "exemplar-" + std::to_string(i);
    NewEvent event;
    event.type = "detected";
    event.payload = "{}";
    other.events.push_back(std::move(event));
    ASSERT_TRUE(store->Append(std::move(other)).ok());
  }
  Issue(*store, "tok2", "minh", "secret-of-minh-0123456789");
  Revoke(*store, "tok2", "minh");

  auto reloaded = TokenRegistry::Load(store.get());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  Result<TokenInfo> lan = (*reloaded)->Authenticate("secret-of-lan-0123456789");
  ASSERT_TRUE(lan.ok());
  EXPECT_EQ(lan->user_id, "lan");
  EXPECT_EQ(
      (*reloaded)->Authenticate("secret-of-minh-0123456789").status().code(),
      StatusCode::kNotFound);
  std::optional<TokenInfo> minh = (*reloaded)->Find("tok2");
  ASSERT_TRUE(minh.has_value());
  EXPECT_TRUE(minh->revoked);
}

// A registry learns what was just appended, skipping other events.
TEST(TokenRegistryTest, LearnsTheTokenEventsJustAppended) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  auto tokens = std::move(TokenRegistry::Load(store.get())).value();
  const std::uint64_t issued = Issue(*store, "tok1", "lan", "a-secret-of-lan");
  EXPECT_FALSE(tokens->Authenticate("a-secret-of-lan").ok());
  ASSERT_TRUE(tokens->Learn(issued, issued).ok());
  EXPECT_EQ(tokens->Authenticate("a-secret-of-lan")->token_id, "tok1");
  const std::uint64_t revoked = Revoke(*store, "tok1", "lan");
  ASSERT_TRUE(tokens->Learn(1, revoked).ok());
  EXPECT_EQ(tokens->Authenticate("a-secret-of-lan").status().code(),
            StatusCode::kNotFound);
}

constexpr std::int64_t kSecondUs = 1'000'000;
constexpr std::int64_t kDayUs = 86'400 * kSecondUs;

// A token is refused from the wall-clock instant its event names.
TEST(TokenRegistryTest, ATokenExpiresAtTheInstantItsEventNames) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  std::int64_t now = 1'800'000'000 * kSecondUs;
  auto clock = [&now] { return now; };
  Issue(*store, "tok1", "lan", "a-secret-of-lan", now + 7 * kDayUs);
  auto tokens = std::move(TokenRegistry::Load(store.get(), clock)).value();

  now += 7 * kDayUs - 1;
  EXPECT_TRUE(tokens->Authenticate("a-secret-of-lan").ok());
  now += 1;
  EXPECT_EQ(tokens->Authenticate("a-secret-of-lan").status().reason(),
            "token_expired");
  EXPECT_EQ(tokens->Find("tok1")->expires_at_us, now);
}

TEST(TokenRegistryTest, ATokenIssuedBeforeExpiryExistedNeverExpires) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  const std::string secret = "an-old-token-from-version-one";
  AppendRequest request;
  request.stream_id = "token-tokold";
  NewEvent event;
  event.type = TokenIssued::kType;
  event.schema_version = 1;
  event.payload = EncodePayload(
      testing::TokenIssuedV1{"tokold", "lan", HashSecret(secret)});
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
  const std::string secret = "a-secret-of-lan-for-a-day";
  Issue(*store, "tok1", "lan", secret, now + kDayUs);
  auto tokens =
      std::move(TokenRegistry::Load(store.get(), [&] { return now; })).value();
  Guard guard = BearerGuard(
      *tokens, [](const std::string&, std::int64_t) { return true; });
  Request request(http::verb::get, "/v1/exemplars", 11);
  request.set(http::field::authorization, "Bearer " + secret);

  RequestContext context;
  EXPECT_FALSE(guard(request, context).has_value());
  EXPECT_EQ(context.user_id, "lan");
  EXPECT_EQ(context.token_id, "tok1");

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
