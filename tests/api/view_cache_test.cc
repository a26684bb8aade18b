#include "api/view_cache.h"

#include <gtest/gtest.h>

namespace exemplar::api {
namespace {

RenderedView View(const std::string& unit, std::size_t bytes) {
  return RenderedView{unit, std::make_shared<const std::string>(bytes, 'x')};
}

TEST(ViewCacheTest, FindsAViewOnlyAtTheStampItWasRenderedAt) {
  ViewCache cache(1000);
  cache.Put("dh-1", {10, 9}, View("camlam", 100));
  auto found = cache.Find("dh-1", {10, 9});
  ASSERT_TRUE(found);
  EXPECT_EQ(found->unit_id, "camlam");
  EXPECT_FALSE(cache.Find("dh-1", {11, 9}));   // an append since
  EXPECT_FALSE(cache.Find("dh-1", {10, 10}));  // the projections moved
  EXPECT_FALSE(cache.Find("dh-2", {10, 9}));
}

TEST(ViewCacheTest, APutReplacesTheOlderRendering) {
  ViewCache cache(1000);
  cache.Put("dh-1", {10, 10}, View("camlam", 100));
  cache.Put("dh-1", {12, 12}, View("vanninh", 200));
  EXPECT_FALSE(cache.Find("dh-1", {10, 10}));
  EXPECT_EQ(cache.Find("dh-1", {12, 12})->unit_id, "vanninh");
}

TEST(ViewCacheTest, TheLeastRecentlyPutGoFirstWhenTheBudgetIsFull) {
  ViewCache cache(300);
  cache.Put("a", {1, 1}, View("u", 100));
  cache.Put("b", {1, 1}, View("u", 100));
  cache.Put("c", {1, 1}, View("u", 100));
  cache.Put("a", {2, 2}, View("u", 100));  // a is now the most recent
  cache.Put("d", {2, 2}, View("u", 100));  // b must go
  EXPECT_TRUE(cache.Find("a", {2, 2}));
  EXPECT_FALSE(cache.Find("b", {1, 1}));
  EXPECT_TRUE(cache.Find("c", {1, 1}));
  EXPECT_TRUE(cache.Find("d", {2, 2}));
  cache.Put("e", {2, 2}, View("u", 250));  // leaves room for nothing else
  EXPECT_TRUE(cache.Find("e", {2, 2}));
  EXPECT_FALSE(cache.Find("a", {2, 2}));
  EXPECT_FALSE(cache.Find("c", {1, 1}));
  EXPECT_FALSE(cache.Find("d", {2, 2}));
}

TEST(ViewCacheTest, ABodyLargerThanTheBudgetIsNotKept) {
  ViewCache cache(100);
  cache.Put("a", {1, 1}, View("u", 50));
  cache.Put("big", {1, 1}, View("u", 101));
  EXPECT_FALSE(cache.Find("big", {1, 1}));
  EXPECT_TRUE(cache.Find("a", {1, 1}));
}

}  // namespace
}  // namespace exemplar::api
