#include "engine/workflow/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

namespace exemplar {
namespace {

TEST(RandomIdHexTest, IsLowerHexOfTheLengthAsked) {
  for (std::size_t bytes : {1u, 8u, 10u, 17u}) {
    std::string id = RandomIdHex(bytes);
    EXPECT_EQ(id.size(), 2 * bytes);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos)
        << id;
  }
}

TEST(RandomIdHexTest, DoesNotRepeatWithinOrAcrossThreads) {
  std::set<std::string> mine, theirs;
  for (int i = 0; i < 10000; ++i) mine.insert(RandomIdHex(10));
  std::thread other([&theirs] {
    for (int i = 0; i < 10000; ++i) theirs.insert(RandomIdHex(10));
  });
  other.join();
  EXPECT_EQ(mine.size(), 10000u);
  EXPECT_EQ(theirs.size(), 10000u);
  for (const std::string& id : theirs) EXPECT_EQ(mine.count(id), 0u) << id;
}

TEST(NewIdTest, EachKindHasItsPrefixAndLength) {
  const std::string exemplar = NewExemplarId();
  EXPECT_TRUE(exemplar.starts_with("ex-")) << exemplar;
  EXPECT_EQ(exemplar.size(), 3u + 24u);
  const std::string grant = NewGrantId();
  EXPECT_TRUE(grant.starts_with("g-")) << grant;
  EXPECT_EQ(grant.size(), 2u + 16u);
  Result<std::string> token = NewTokenId();
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(token->starts_with("tok")) << *token;
  EXPECT_EQ(token->size(), 3u + 16u);
  EXPECT_NE(NewGrantId(), grant);
}

// Streams, read models and subject keys are keyed by exemplar id: ids in
// the order they are drawn are appended, not inserted at random places.
TEST(NewIdTest, AnExemplarIdBeginsWithItsTimeAndLaterIdsSortLater) {
  const auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const long long before = now_ms();
  const std::string first = NewExemplarId();
  const long long after = now_ms();
  ASSERT_TRUE(ExemplarIdTime(first).has_value()) << first;
  const long long time = std::stoll(std::string(*ExemplarIdTime(first)), 0, 16);
  EXPECT_GE(time, before);
  EXPECT_LE(time, after);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_LT(first, NewExemplarId());
}

TEST(NewIdTest, OnlyIdsOfTheTimedFormHaveATime) {
  EXPECT_EQ(ExemplarIdTime("ex-0193a1b2c3d4e5f60718293a"), "0193a1b2c3d4");
  // A commenter's subject on such an exemplar.
  EXPECT_EQ(ExemplarIdTime("ex-0193a1b2c3d4e5f60718293a#comment-4"),
            "0193a1b2c3d4");
  // Ids drawn before ids began with the time, and their commenters.
  EXPECT_EQ(ExemplarIdTime("ex-0123456789abcdef0123"), std::nullopt);
  EXPECT_EQ(ExemplarIdTime("ex-0123456789abcdef0123#comment-4"), std::nullopt);
  EXPECT_EQ(ExemplarIdTime("6f1c2a3b-0d4e-4f50-8a61-7b8c9d0e1f23"),
            std::nullopt);
  EXPECT_EQ(ExemplarIdTime("ex-0193A1B2C3D4E5F60718293A"), std::nullopt);
  EXPECT_EQ(ExemplarIdTime("user:ex-0193a1b2c3d4e5f60718293a"), std::nullopt);
  // A longer id a client chose before ids had to be opaque.
  EXPECT_EQ(ExemplarIdTime("ex-0193a1b2c3d4e5f60718293a-lan"), std::nullopt);
  EXPECT_EQ(ExemplarIdTime("ex-0193a1b2c3d4e5f60718293a0"), std::nullopt);
}

TEST(OpaqueExemplarIdTest, UuidsAndDrawnIdsAreOpaqueNamesAreNot) {
  EXPECT_TRUE(IsOpaqueExemplarId(NewExemplarId()));
  EXPECT_TRUE(IsOpaqueExemplarId("ex-0123456789abcdef0123"));  // drawn before
  EXPECT_FALSE(IsOpaqueExemplarId("ex-0123456789abcdef012345"));
  EXPECT_TRUE(IsOpaqueExemplarId("6f1c2a3b-0d4e-4f50-8a61-7b8c9d0e1f23"));
  EXPECT_TRUE(IsOpaqueExemplarId("6F1C2A3B-0D4E-4F50-8A61-7B8C9D0E1F23"));
  EXPECT_FALSE(IsOpaqueExemplarId("lan"));
  EXPECT_FALSE(IsOpaqueExemplarId("nguyen-thi-lan-1234567890123456789012"));
  EXPECT_FALSE(IsOpaqueExemplarId("6f1c2a3b-0d4e-4f50-8a61-7b8c9d0e1f2g"));
  EXPECT_FALSE(IsOpaqueExemplarId("6f1c2a3b0d4e-4f50-8a61-7b8c9d0e1f23-"));
  EXPECT_FALSE(IsOpaqueExemplarId("ex-0123456789ABCDEF0123"));
  EXPECT_FALSE(IsOpaqueExemplarId("ex-0123"));
}

TEST(NewIdTest, ARetryLandsOnTheSameExemplar) {
  const std::string id = ExemplarIdForRetry("lan", "key-1");
  EXPECT_EQ(id, ExemplarIdForRetry("lan", "key-1"));
  EXPECT_TRUE(id.starts_with("ex-")) << id;
  EXPECT_EQ(id.size(), 3u + 20u);
  EXPECT_NE(id, ExemplarIdForRetry("minh", "key-1"));
  // Length-prefixed: moving a character from caller to key changes it.
  EXPECT_NE(ExemplarIdForRetry("ab", "c"), ExemplarIdForRetry("a", "bc"));
}

}  // namespace
}  // namespace exemplar
