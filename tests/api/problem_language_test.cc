// problem+json speaks the request's language: `detail` in Vietnamese for a
// request preferring vi (Accept-Language), in English otherwise, with
// `type` and `field` the same in both.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/http.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

Request WithLanguage(const std::string& accept_language) {
  Request request(http::verb::post, "/v1/exemplars/x/approve", 11);
  if (!accept_language.empty()) {
    request.set(http::field::accept_language, accept_language);
  }
  return request;
}

TEST(ProblemLanguageTest, VietnameseWhenTheRequestWeighsItHighest) {
  for (const char* vi : {"vi", "vi-VN", "VI", "vi,en;q=0.8", "en;q=0.5, vi",
                         "fr, vi;q=0.9, en;q=0.8", "vi, en"}) {
    EXPECT_TRUE(PrefersVietnamese(WithLanguage(vi))) << vi;
  }
  for (const char* en : {"", "en", "en-GB", "fr", "*", "en, vi",
                         "vi;q=0.3, en;q=0.7", "vi;q=0", "vietnamese"}) {
    EXPECT_FALSE(PrefersVietnamese(WithLanguage(en))) << en;
  }
}

TEST(ProblemLanguageTest, ProblemDetailFollowsAcceptLanguage) {
  Response english =
      Problem(WithLanguage("en"), http::status::forbidden, "role_not_permitted",
              "role \"reporter\" may not \"approve\"", "role");
  json body = json::parse(english.body());
  EXPECT_EQ(body["detail"], "role \"reporter\" may not \"approve\"");
  EXPECT_EQ(english[http::field::content_language], "en");

  Response vietnamese =
      Problem(WithLanguage("vi"), http::status::forbidden, "role_not_permitted",
              "role \"reporter\" may not \"approve\"", "role");
  json vi = json::parse(vietnamese.body());
  EXPECT_EQ(vi["detail"], "Vai trò của bạn không được thực hiện thao tác này");
  EXPECT_EQ(vi["type"], "role_not_permitted");
  EXPECT_EQ(vi["field"], "role");
  EXPECT_EQ(vi["status"], 403);
  EXPECT_EQ(vietnamese[http::field::content_language], "vi");
  EXPECT_EQ(vietnamese[http::field::vary], "Accept-Language");
}

TEST(ProblemLanguageTest, ARulesRefusalSpeaksItsOwnTexts) {
  const Status four_eyes =
      Status::Rejected("four_eyes_violation",
                       "user \"u\" took \"nominate\" in this nomination")
          .WithTexts(
              "Người phê duyệt không được là người đã giới thiệu điển "
              "hình này",
              "The approver may not be the person who nominated this "
              "exemplar");
  json vi =
      json::parse(ProblemFromStatus(WithLanguage("vi"), four_eyes).body());
  EXPECT_EQ(vi["detail"],
            "Người phê duyệt không được là người đã giới thiệu điển hình này");
  EXPECT_EQ(vi["type"], "four_eyes_violation");
  EXPECT_EQ(vi["status"], 422);
  json en = json::parse(ProblemFromStatus(WithLanguage(""), four_eyes).body());
  EXPECT_EQ(en["detail"], "user \"u\" took \"nominate\" in this nomination");
}

TEST(ProblemLanguageTest, ACodeWithoutTextsKeepsItsEnglishDetail) {
  Response response =
      Problem(WithLanguage("vi"), http::status::unprocessable_entity,
              "brand_new_code", "something new happened");
  json body = json::parse(response.body());
  EXPECT_EQ(body["detail"], "something new happened");
  EXPECT_EQ(response[http::field::content_language], "en");
}

}  // namespace
}  // namespace exemplar::api
