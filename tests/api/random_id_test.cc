#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "api/tokens.h"

namespace exemplar::api {
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

}  // namespace
}  // namespace exemplar::api
