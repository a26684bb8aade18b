// Key files (the operator's master key, the server's own secrets) and the
// keyed hashes made with them.
#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crypto/keyed_hash.h"
#include "events/private_file.h"
#include "tests/support/temp_dir.h"

namespace exemplar::crypto {
namespace {

TEST(KeyFileTest, AKeyFileMustBeTheOwnersOnly) {
  testing::TempDir dir;
  const std::string path = dir.str() + "/master.key";
  const std::string text = NewKeyText();
  ASSERT_EQ(text.size(), 64u);
  ASSERT_TRUE(CreatePrivateFile(path, text + "\n").ok());
  Result<DataKey> loaded = LoadKeyFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, *ParseKey(text));

  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_EQ(LoadKeyFile(path).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(LoadKeyFile(dir.str() + "/absent").status().code(),
            StatusCode::kNotFound);
}

TEST(KeyFileTest, WhatIsNotAKeyIsRefused) {
  EXPECT_EQ(ParseKey("abc").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseKey(std::string(64, 'g')).status().code(),
            StatusCode::kInvalidArgument);
  testing::TempDir dir;
  const std::string path = dir.str() + "/secret.key";
  ASSERT_TRUE(CreatePrivateFile(path, "not a key").ok());
  EXPECT_EQ(LoadOrCreateKeyFile(path).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(KeyFileTest, AMissingKeyFileIsMadeOnceAndThenKept) {
  testing::TempDir dir;
  const std::string path = dir.str() + "/idempotency.key";
  Result<DataKey> made = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(*LoadOrCreateKeyFile(path), *made);
  EXPECT_EQ(*LoadKeyFile(path), *made);
}

// Known answers from another implementation (Python's hmac module).
TEST(KeyedHashTest, IsHmacSha256UnderTheKey) {
  DataKey key;
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = static_cast<std::uint8_t>(i + 1);
  }
  EXPECT_EQ(KeyedHashHex(key, "reporter|nguyen-thi-lanh-2026"),
            "b2e25047963fe4e94de5f9c3951d9b54ba093d63848ca87e4af61427c54df0ae");
  EXPECT_EQ(KeyedHashHex(key, "reporter|nguyễn-thị-lành"),
            "2779d5b36d84c6a507a8f2bc820a0a17aa830fdf6e7fe2a9e7e189df140c08a1");
  EXPECT_NE(KeyedHashHex(NewDataKey(), "reporter|nguyen-thi-lanh-2026"),
            KeyedHashHex(key, "reporter|nguyen-thi-lanh-2026"));
}

}  // namespace
}  // namespace exemplar::crypto
