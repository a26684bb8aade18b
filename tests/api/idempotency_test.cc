#include "api/idempotency.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "crypto/keyed_hash.h"
#include "engine/workflow/ids.h"
#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

class IdempotencyIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = EventStore::Open(dir_.str());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  // Appends under the key the index handed down, as a command does.
  void AppendWith(const std::string& engine_key) {
    AppendRequest request;
    request.stream_id = "ex-1";
    NewEvent& event = request.events.emplace_back();
    event.type = "detected";
    event.payload = "{}";
    request.idempotency_key = engine_key;
    ASSERT_TRUE(store_->Append(std::move(request)).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<EventStore> store_;
  const crypto::DataKey secret_ = crypto::NewDataKey();
};

TEST_F(IdempotencyIndexTest, AKeyStoredBeforeARestartStaysBoundToItsRequest) {
  {
    IdempotencyIndex before(*store_, secret_);
    Result<std::string> claimed = before.Claim("lan", "k1", "fp-a");
    ASSERT_TRUE(claimed.ok());
    EXPECT_EQ(*claimed, crypto::KeyedHashHex(secret_, "lan|k1") + "|fp-a");
    AppendWith(*claimed);
  }
  IdempotencyIndex after(*store_,
                         secret_);  // nothing in memory, as after a restart
  EXPECT_EQ(after.Claim("lan", "k1", "fp-b").status().code(),
            StatusCode::kIdempotencyReused);
  Result<std::string> retry = after.Claim("lan", "k1", "fp-a");
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(*retry, crypto::KeyedHashHex(secret_, "lan|k1") + "|fp-a");
  // Another user's key, and a key that is a prefix of the stored one, are
  // other keys.
  EXPECT_TRUE(after.Claim("minh", "k1", "fp-b").ok());
  EXPECT_TRUE(after.Claim("lan", "k", "fp-b").ok());
}

// User ids and keys may both hold ':', so user "idem:x" with key "k1" must
// not be taken for user "idem" with key "x:k1".
TEST_F(IdempotencyIndexTest, UserAndKeyAreEncodedUnambiguously) {
  {
    IdempotencyIndex before(*store_, secret_);
    Result<std::string> claimed = before.Claim("idem", "x:k1", "fp-a");
    ASSERT_TRUE(claimed.ok());
    AppendWith(*claimed);
  }
  IdempotencyIndex after(*store_, secret_);
  Result<std::string> other_user = after.Claim("idem:x", "k1", "fp-a");
  ASSERT_TRUE(other_user.ok()) << other_user.status().ToString();
  Result<std::string> first_user = after.Claim("idem", "x:k1", "fp-a");
  ASSERT_TRUE(first_user.ok());
  EXPECT_NE(*other_user, *first_user);
  EXPECT_TRUE(after.Claim("idem:x", "k2", "fp-b").ok());
  IdempotencyIndex fresh(*store_, secret_);
  EXPECT_TRUE(fresh.Claim("idem:x", "k1", "fp-b").ok());
}

TEST_F(IdempotencyIndexTest, AClaimInFlightRefusesOtherContent) {
  IdempotencyIndex index(*store_, secret_);
  ASSERT_TRUE(index.Claim("lan", "k1", "fp-a").ok());
  EXPECT_EQ(index.Claim("lan", "k1", "fp-b").status().code(),
            StatusCode::kIdempotencyReused);
}

TEST_F(IdempotencyIndexTest, AReleasedClaimThatWasNeverStoredIsFreeAgain) {
  IdempotencyIndex index(*store_, secret_);
  ASSERT_TRUE(index.Claim("lan", "k1", "fp-a").ok());
  index.Release("lan", "k1");  // its command was rejected
  EXPECT_TRUE(index.Claim("lan", "k1", "fp-b").ok());
}

// A retry that the workflow rejects is released; the key stays bound to
// the request that the store holds.
TEST_F(IdempotencyIndexTest, ReleasingARejectedRetryKeepsTheStoredBinding) {
  IdempotencyIndex index(*store_, secret_);
  Result<std::string> first = index.Claim("lan", "k1", "fp-a");
  ASSERT_TRUE(first.ok());
  AppendWith(*first);
  ASSERT_TRUE(index.Claim("lan", "k1", "fp-a").ok());
  index.Release("lan", "k1");
  EXPECT_EQ(index.Claim("lan", "k1", "fp-b").status().code(),
            StatusCode::kIdempotencyReused);
}

std::string FileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A client's key may hold a name: no file of the store holds it as given,
// only its keyed hash, which another secret does not find.
TEST_F(IdempotencyIndexTest, TheStoreKeepsOnlyTheKeysKeyedHash) {
  const std::string key = "nguyen-thi-lanh-2026";
  IdempotencyIndex index(*store_, secret_);
  Result<std::string> claimed = index.Claim("reporter", key, "fp-a");
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(claimed->find(key), std::string::npos);
  EXPECT_EQ(claimed->find("reporter"), std::string::npos);
  AppendWith(*claimed);
  store_.reset();  // everything written out

  std::size_t files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(FileBytes(entry.path()).find(key), std::string::npos)
        << entry.path();
  }
  EXPECT_GT(files, 0u);

  auto reopened = EventStore::Open(dir_.str());
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(*reopened);
  IdempotencyIndex same(*store_, secret_);
  EXPECT_EQ(same.Claim("reporter", key, "fp-b").status().code(),
            StatusCode::kIdempotencyReused);
  IdempotencyIndex other_secret(*store_, crypto::NewDataKey());
  EXPECT_TRUE(other_secret.Claim("reporter", key, "fp-b").ok());
}

// The engine's retry id is the one the API always derived from the key, so
// a retry after an upgrade still lands on its exemplar.
TEST(ExemplarIdForRetryTest, IsTheKeysFingerprint) {
  for (const auto& [user, key] :
       std::vector<std::pair<std::string, std::string>>{
           {"lan", "key-1"}, {"reporter", "a-much-longer-key-0123456789"}}) {
    EXPECT_EQ(ExemplarIdForRetry(user, key),
              "ex-" + Fingerprint({user, key}).substr(0, 20));
  }
}

}  // namespace
}  // namespace exemplar::api
