// Sealing single values: they open under their key and place only, any
// altered byte is refused, and equal values seal differently.
#include "crypto/field_cipher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace exemplar::crypto {
namespace {

constexpr std::string_view kName = "Nguyễn Thị Lành";
constexpr std::string_view kPlace = "exemplar-e1/detect/name";

TEST(FieldCipherTest, AValueOpensUnderItsKeyAndPlaceByteForByte) {
  const DataKey key = NewDataKey();
  const std::string sealed = Seal(key, kName, kPlace);
  EXPECT_EQ(sealed.size(), kName.size() + kSealOverhead);
  EXPECT_EQ(sealed.find(kName), std::string::npos);
  Result<std::string> opened = Open(key, sealed, kPlace);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, kName);

  Result<std::string> empty = Open(key, Seal(key, "", kPlace), kPlace);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(FieldCipherTest, AnotherKeyOrPlaceIsRefused) {
  const DataKey key = NewDataKey();
  const std::string sealed = Seal(key, kName, kPlace);
  EXPECT_EQ(Open(NewDataKey(), sealed, kPlace).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Open(key, sealed, "exemplar-e2/detect/name").status().code(),
            StatusCode::kPermissionDenied);
}

TEST(FieldCipherTest, EveryAlteredByteIsRefused) {
  const DataKey key = NewDataKey();
  const std::string sealed = Seal(key, kName, kPlace);
  for (std::size_t i = 1; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    EXPECT_EQ(Open(key, altered, kPlace).status().code(),
              StatusCode::kPermissionDenied)
        << "byte " << i;
  }
  EXPECT_EQ(
      Open(key, sealed.substr(0, sealed.size() - 1), kPlace).status().code(),
      StatusCode::kPermissionDenied);
}

// Each thread keeps the contexts of its last few keys: more keys than it
// keeps, taken in turn, each still seal and open only their own values,
// and a refused value leaves its key's context fit for the next.
TEST(FieldCipherTest, ManyKeysInTurnEachOpenOnlyTheirOwnValues) {
  std::vector<DataKey> keys;
  for (int i = 0; i < 9; ++i) keys.push_back(NewDataKey());
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string plain = std::string(kName) + std::to_string(i);
      const std::string sealed = Seal(keys[i], plain, kPlace);
      const DataKey& other = keys[(i + 1) % keys.size()];
      EXPECT_EQ(Open(other, sealed, kPlace).status().code(),
                StatusCode::kPermissionDenied);
      std::string altered = sealed;
      altered.back() = static_cast<char>(altered.back() ^ 0x01);
      EXPECT_FALSE(Open(keys[i], altered, kPlace).ok());
      Result<std::string> opened = Open(keys[i], sealed, kPlace);
      ASSERT_TRUE(opened.ok()) << "key " << i << " round " << round;
      EXPECT_EQ(*opened, plain);
    }
  }
}

TEST(FieldCipherTest, WhatIsNotASealedValueSaysSo) {
  const DataKey key = NewDataKey();
  EXPECT_EQ(Open(key, "short", kPlace).status().code(),
            StatusCode::kInvalidArgument);
  std::string sealed = Seal(key, kName, kPlace);
  sealed[0] = 2;  // a version this build does not know
  EXPECT_EQ(Open(key, sealed, kPlace).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(FieldCipherTest, EqualValuesSealDifferently) {
  const DataKey key = NewDataKey();
  EXPECT_NE(Seal(key, kName, kPlace), Seal(key, kName, kPlace));
  EXPECT_NE(NewDataKey(), NewDataKey());
}

}  // namespace
}  // namespace exemplar::crypto
