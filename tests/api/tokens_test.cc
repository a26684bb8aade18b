#include "api/tokens.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

// Tokens are loaded from their own streams, among other events.
TEST(TokenRegistryTest, AReloadFindsIssuedAndRevokedTokensAmongOtherEvents) {
  testing::TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  auto tokens = std::move(TokenRegistry::Load(store.get())).value();
  TokenChange change{{"admin", "admin", "vn"}, "req-1", "127.0.0.1", 0};
  auto kept = tokens->Issue("lan", change);
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
  auto revoked = tokens->Issue("minh", change);
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(tokens->Revoke(revoked->token_id, change).ok());

  auto reloaded = TokenRegistry::Load(store.get());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  std::optional<TokenInfo> lan = (*reloaded)->Authenticate(kept->secret);
  ASSERT_TRUE(lan.has_value());
  EXPECT_EQ(lan->user_id, "lan");
  EXPECT_FALSE((*reloaded)->Authenticate(revoked->secret).has_value());
  std::optional<TokenInfo> minh = (*reloaded)->Find(revoked->token_id);
  ASSERT_TRUE(minh.has_value());
  EXPECT_TRUE(minh->revoked);
}

}  // namespace
}  // namespace exemplar::api
