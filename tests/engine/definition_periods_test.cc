// Dated quotas and annual registrations: the entry in force on a day, the
// reform's successor entries in the default definition, a unit in being
// for part of a year, and the located refusals of bad periods.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/workflow/definition.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/default_definition.h"

namespace exemplar {
namespace {

using nlohmann::json;

CivilDate Day(int year, unsigned month, unsigned day) {
  return CivilDate::FromYmd(year, month, day);
}

void ExpectRefused(const json& def, const std::string& message) {
  Result<Definition> parsed = ParseDefinition(def.dump());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), message);
  EXPECT_EQ(parsed.status().field(), message.substr(0, message.find(':')));
}

TEST(DefinitionPeriodsTest, TheDistrictsMinimumsEndWithTheDistrictLevel) {
  const Definition& def = testing::DefaultDefinition();
  ASSERT_NE(def.QuotaOn("district", Day(2025, 6, 30)), nullptr);
  EXPECT_EQ(def.QuotaOn("district", Day(2025, 7, 1)), nullptr);
  EXPECT_EQ(def.QuotaOn("commune", Day(2025, 6, 30))->min_per_year, 5);
  const Quota* after = def.QuotaOn("commune", Day(2025, 7, 1));
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->min_per_year, 10);
  EXPECT_EQ(after->takes_over, "district");
  EXPECT_EQ(def.QuotaOn("department", Day(2030, 1, 1))->min_per_year, 2);
  EXPECT_EQ(def.part_year, PartYear::kProRataMonths);
}

TEST(DefinitionPeriodsTest, TheDistrictsSelectionPassesToTheProvince) {
  const Definition& def = testing::DefaultDefinition();
  ASSERT_NE(def.RegistrationFor("district", 2025), nullptr);
  EXPECT_EQ(def.RegistrationFor("district", 2026), nullptr);
  EXPECT_EQ(def.RegistrationFor("province", 2025), nullptr);
  const AnnualRegistration* province = def.RegistrationFor("province", 2026);
  ASSERT_NE(province, nullptr);
  EXPECT_EQ(province->DueIn(2026).ToString(), "2026-02-15");
  EXPECT_EQ(province->takes_over, "district");
  EXPECT_EQ(def.RegistrationFor("commune", 2026)->min, 5);
}

TEST(DefinitionPeriodsTest, APartYearIsCountedByMonthsInBeing) {
  const Definition& def = testing::DefaultDefinition();
  // A district ended on 1 July 2025: six months of 10.
  EXPECT_EQ(def.MinimumForYear("district", 2025, std::nullopt, Day(2025, 7, 1)),
            5);
  // A commune in being all of 2025: six months of 5, six of 10, rounded up.
  EXPECT_EQ(def.MinimumForYear("commune", 2025, std::nullopt, std::nullopt), 8);
  // A commune created on 1 July 2025: six months of 10.
  EXPECT_EQ(def.MinimumForYear("commune", 2025, Day(2025, 7, 1), std::nullopt),
            5);
  // Created on the 15th counts that month; ended on the 15th does not.
  EXPECT_EQ(def.MinimumForYear("department", 2024, Day(2024, 1, 15),
                               Day(2024, 7, 15)),
            1);
  EXPECT_EQ(def.MinimumForYear("department", 2024, Day(2024, 1, 16),
                               Day(2024, 1, 20)),
            0);
  EXPECT_EQ(def.MinimumForYear("district", 2026, std::nullopt, std::nullopt),
            0);
}

TEST(DefinitionPeriodsTest, InWholeAPartYearCountsTheLastQuotaInFull) {
  json text = testing::DefaultDefinitionJson();
  text["part_year"] = "whole";
  Result<Definition> def = ParseDefinition(text.dump());
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(
      def->MinimumForYear("district", 2025, std::nullopt, Day(2025, 7, 1)), 10);
  EXPECT_EQ(def->MinimumForYear("commune", 2025, std::nullopt, std::nullopt),
            10);
  EXPECT_EQ(
      def->MinimumForYear("commune", 2024, Day(2024, 12, 1), std::nullopt), 5);
}

TEST(DefinitionPeriodsTest, BadPeriodsAreRefusedByPlace) {
  json def = testing::DefaultDefinitionJson();
  def["quotas"][0]["until"] = "2025-02-30";
  ExpectRefused(def,
                "quotas[0].until: expected a date YYYY-MM-DD, got "
                "\"2025-02-30\"");
  def = testing::DefaultDefinitionJson();
  def["quotas"][0]["from"] = "2025-07-01";
  ExpectRefused(def, "quotas[0].until: not after from");
  def = testing::DefaultDefinitionJson();
  def["quotas"][2].erase("from");
  ExpectRefused(def,
                "quotas[2].from: in force on a same day as quotas[1] for "
                "level \"commune\"");
  def = testing::DefaultDefinitionJson();
  def["deadlines"]["annual_registration"][0]["takes_over"] = "county";
  ExpectRefused(def,
                "deadlines.annual_registration[0].takes_over: unknown unit "
                "level \"county\"");
  def = testing::DefaultDefinitionJson();
  def["deadlines"]["annual_registration"].push_back(
      def["deadlines"]["annual_registration"][3]);
  ExpectRefused(def,
                "deadlines.annual_registration[4].from: in force on a same "
                "day as deadlines.annual_registration[3] for level "
                "\"province\"");
  def = testing::DefaultDefinitionJson();
  def["part_year"] = "by_days";
  ExpectRefused(def,
                "part_year: expected \"pro_rata_months\" or \"whole\", got "
                "\"by_days\"");
  def = testing::DefaultDefinitionJson();
  def["quotas"][0]["from"] = 20250701;
  ExpectRefused(def, "quotas[0].from: expected a string");
}

}  // namespace
}  // namespace exemplar
