// The ETag of a stream version and If-None-Match against it.
#include "api/etag.h"

#include <gtest/gtest.h>

namespace exemplar::api {
namespace {

Request WithNoneMatch(const std::string& value) {
  Request request(http::verb::get, "/v1/exemplars/x", 11);
  request.set(http::field::if_none_match, value);
  return request;
}

TEST(ETagTest, AVersionIsAStrongQuotedTag) {
  EXPECT_EQ(VersionETag(0), "\"0\"");
  EXPECT_EQ(VersionETag(42), "\"42\"");
}

TEST(ETagTest, IfNoneMatchHoldsForTheSameTagWeakOrStrongInAList) {
  EXPECT_TRUE(NoneMatchHolds(WithNoneMatch("\"3\""), "\"3\""));
  EXPECT_TRUE(NoneMatchHolds(WithNoneMatch("W/\"3\""), "\"3\""));
  EXPECT_TRUE(NoneMatchHolds(WithNoneMatch("\"1\", \"3\" ,\"5\""), "\"3\""));
  EXPECT_TRUE(NoneMatchHolds(WithNoneMatch("*"), "\"3\""));
}

TEST(ETagTest, IfNoneMatchFailsForAnotherTagOrNone) {
  EXPECT_FALSE(NoneMatchHolds(WithNoneMatch("\"2\""), "\"3\""));
  EXPECT_FALSE(NoneMatchHolds(WithNoneMatch("3"), "\"3\""));
  EXPECT_FALSE(NoneMatchHolds(WithNoneMatch("\"33\""), "\"3\""));
  EXPECT_FALSE(NoneMatchHolds(WithNoneMatch(""), "\"3\""));
  Request plain(http::verb::get, "/v1/exemplars/x", 11);
  EXPECT_FALSE(NoneMatchHolds(plain, "\"3\""));
}

TEST(ETagTest, NotModifiedCarriesTheTagAndNoBody) {
  Response response = NotModified(WithNoneMatch("\"3\""), "\"3\"");
  EXPECT_EQ(response.result(), http::status::not_modified);
  EXPECT_EQ(response[http::field::etag], "\"3\"");
  EXPECT_TRUE(response.body().empty());
}

}  // namespace
}  // namespace exemplar::api
