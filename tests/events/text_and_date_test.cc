#include <gtest/gtest.h>

#include "events/civil_date.h"
#include "events/text.h"

namespace exemplar {
namespace {

TEST(TextTest, PrecomposedVietnameseIsAccepted) {
  EXPECT_TRUE(ValidateText("Nguyễn Thị Hồng", "name").ok());
}

TEST(TextTest, DecomposedVietnameseIsRejectedAsNotNfc) {
  // "ệ" as "e" + combining dot below + combining circumflex.
  Status status = ValidateText("Nguye\xCC\xA3\xCC\x82n", "name");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "name");
  EXPECT_NE(status.message().find("NFC"), std::string::npos);
}

TEST(TextTest, AsciiIsAcceptedWithoutNormalising) {
  EXPECT_TRUE(ValidateText("production_business", "field").ok());
  EXPECT_TRUE(ValidateText("", "field").ok());
}

TEST(TextTest, InvalidUtf8IsRejected) {
  Status status = ValidateText("abc\xC3", "summary");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("UTF-8"), std::string::npos);
}

TEST(TextTest, BlankMeansOnlyWhiteSpaceIncludingNoBreakSpace) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\n\xC2\xA0"));
  EXPECT_FALSE(IsBlank("  a "));
  EXPECT_EQ(CodePointCount("Hồ"), 2u);
}

TEST(TextTest, OneLineRefusesEveryControlCharacter) {
  for (std::string bad :
       {std::string("a\0b", 3), std::string("a\x1b[31mb"), std::string("a\rb"),
        std::string("a\nb"), std::string("a\tb"), std::string("a\x7f"),
        std::string("a\xC2\x85"), std::string("a\xC2\x9B"),
        std::string("a\xE2\x80\xA8")}) {
    Status status = CheckControlCharacters(bad, "name", TextLines::kOne);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.field(), "name");
    EXPECT_NE(status.message().find("U+"), std::string::npos)
        << status.message();
  }
  EXPECT_TRUE(CheckControlCharacters("Hộ bà Lan (xã Cam Hải Tây)", "name",
                                     TextLines::kOne)
                  .ok());
}

TEST(TextTest, ManyLinesKeepLineFeedAndTabOnly) {
  EXPECT_TRUE(CheckControlCharacters("Dòng 1\n\tDòng 2\xE2\x80\xA8", "summary",
                                     TextLines::kMany)
                  .ok());
  for (std::string bad : {std::string("a\r\nb"), std::string("a\0", 2),
                          std::string("\x1b"), std::string("\xC2\x80")}) {
    EXPECT_EQ(CheckControlCharacters(bad, "summary", TextLines::kMany).code(),
              StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(CivilDateTest, ParsesOnlyRealDates) {
  EXPECT_EQ(CivilDate::Parse("2024-06-11")->ToString(), "2024-06-11");
  EXPECT_TRUE(CivilDate::Parse("2024-02-29").ok());
  EXPECT_FALSE(CivilDate::Parse("2023-02-29").ok());
  EXPECT_FALSE(CivilDate::Parse("11/06/2024").ok());
  EXPECT_FALSE(CivilDate::Parse("2024-6-11").ok());
}

TEST(CivilDateTest, LocalDateUsesTheFixedOffset) {
  // 2024-06-10 18:00 UTC is 2024-06-11 01:00 at UTC+7.
  CivilDate june_10 = CivilDate::FromYmd(2024, 6, 10);
  std::int64_t instant = june_10.StartUnixMicros(0) + 18 * 3600'000'000LL;
  EXPECT_EQ(CivilDate::AtInstant(instant, 0), june_10);
  EXPECT_EQ(CivilDate::AtInstant(instant, 420).ToString(), "2024-06-11");
  EXPECT_EQ(CivilDate::AtInstant(june_10.StartUnixMicros(420), 420), june_10);
}

TEST(CivilDateTest, QuarterNameCountsThreeMonthsAQuarter) {
  EXPECT_EQ(CivilDate::FromYmd(2025, 1, 1).QuarterName(), "2025-Q1");
  EXPECT_EQ(CivilDate::FromYmd(2025, 3, 31).QuarterName(), "2025-Q1");
  EXPECT_EQ(CivilDate::FromYmd(2025, 4, 1).QuarterName(), "2025-Q2");
  EXPECT_EQ(CivilDate::FromYmd(2025, 9, 30).QuarterName(), "2025-Q3");
  EXPECT_EQ(CivilDate::FromYmd(2025, 12, 31).QuarterName(), "2025-Q4");
}

TEST(CivilDateTest, WorkingDaysSkipWeekends) {
  // Monday 2024-06-03 to Monday 2024-06-17: two full weeks.
  EXPECT_EQ(WorkingDaysBetween(CivilDate::FromYmd(2024, 6, 3),
                               CivilDate::FromYmd(2024, 6, 17)),
            10);
  // Saturday to Monday: none.
  EXPECT_EQ(WorkingDaysBetween(CivilDate::FromYmd(2024, 6, 8),
                               CivilDate::FromYmd(2024, 6, 10)),
            0);
  EXPECT_EQ(WorkingDaysBetween(CivilDate::FromYmd(2024, 6, 10),
                               CivilDate::FromYmd(2024, 6, 3)),
            0);
}

}  // namespace
}  // namespace exemplar
