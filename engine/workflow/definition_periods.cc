// The dated entries of a definition: quotas and annual registrations in
// force for a period, and how a unit in being for part of a year is held
// to a yearly minimum (definition.h).
#include "engine/workflow/definition.h"
#include "engine/workflow/definition_json.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

constexpr std::pair<PartYear, const char*> kPartYearNames[] = {
    {PartYear::kProRataMonths, "pro_rata_months"},
    {PartYear::kWhole, "whole"},
};

bool InBeing(CivilDate day, const std::optional<CivilDate>& opened,
             const std::optional<CivilDate>& ended) {
  return (!opened || *opened <= day) && (!ended || day < *ended);
}

}  // namespace

bool EffectivePeriod::Covers(CivilDate day) const {
  return InBeing(day, from, until);
}

bool EffectivePeriod::Overlaps(const EffectivePeriod& other) const {
  const bool this_ends_first = until && other.from && *until <= *other.from;
  const bool other_ends_first = other.until && from && *other.until <= *from;
  return !this_ends_first && !other_ends_first;
}

CivilDate AnnualRegistration::DueIn(int year) const {
  return CivilDate::FromYmd(year, due_month, due_day);
}

const char* PartYearName(PartYear part_year) {
  for (const auto& [value, name] : kPartYearNames) {
    if (value == part_year) return name;
  }
  return "unknown";
}

const Quota* Definition::QuotaOn(const std::string& level,
                                 CivilDate day) const {
  for (const Quota& quota : quotas) {
    if (quota.unit_level == level && quota.period.Covers(day)) return &quota;
  }
  return nullptr;
}

const AnnualRegistration* Definition::RegistrationFor(const std::string& level,
                                                      int year) const {
  for (const AnnualRegistration& r : deadlines.annual_registration) {
    if (r.unit_level == level && r.period.Covers(r.DueIn(year))) return &r;
  }
  return nullptr;
}

int Definition::MinimumForYear(const std::string& level, int year,
                               std::optional<CivilDate> opened,
                               std::optional<CivilDate> ended) const {
  int twelfths = 0;
  int last = 0;
  for (unsigned month = 1; month <= 12; ++month) {
    const CivilDate middle = CivilDate::FromYmd(year, month, 15);
    if (!InBeing(middle, opened, ended)) continue;
    const Quota* quota = QuotaOn(level, middle);
    last = quota == nullptr ? 0 : quota->min_per_year;
    twelfths += last;
  }
  if (part_year == PartYear::kWhole) return last;
  return (twelfths + 11) / 12;
}

namespace definition_json {

Status ReadPeriod(const json& obj, const std::string& at,
                  EffectivePeriod* period, std::string* takes_over) {
  for (auto [key, date] :
       {std::pair{"from", &period->from}, std::pair{"until", &period->until}}) {
    std::string text;
    EXEMPLAR_RETURN_IF_ERROR(Member(obj, at, key, &text));
    if (!obj.contains(key)) continue;
    Result<CivilDate> parsed = CivilDate::Parse(text);
    if (!parsed.ok()) {
      return Fail(At(at, key),
                  "expected a date YYYY-MM-DD, got " + Quoted(text));
    }
    *date = *parsed;
  }
  if (period->from && period->until && *period->until <= *period->from) {
    return Fail(At(at, "until"), "not after from");
  }
  EXEMPLAR_RETURN_IF_ERROR(Member(obj, at, "takes_over", takes_over));
  if (!takes_over->empty() && !Contains(UnitLevels(), *takes_over)) {
    return Fail(At(at, "takes_over"),
                "unknown unit level " + Quoted(*takes_over));
  }
  return Status::Ok();
}

Status ReadPartYear(const json& root, Definition* def) {
  std::string text;
  EXEMPLAR_RETURN_IF_ERROR(Member(root, "", "part_year", &text));
  if (text.empty()) return Status::Ok();
  for (const auto& [value, name] : kPartYearNames) {
    if (text == name) {
      def->part_year = value;
      return Status::Ok();
    }
  }
  return Fail("part_year",
              "expected \"pro_rata_months\" or \"whole\", got " + Quoted(text));
}

namespace {

// Fails at `list[i].from` when entry i of one level overlaps an earlier one.
template <typename Entry>
Status CheckNoOverlap(const std::vector<Entry>& entries,
                      const std::string& list) {
  for (size_t i = 0; i < entries.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (entries[k].unit_level == entries[i].unit_level &&
          entries[k].period.Overlaps(entries[i].period)) {
        return Fail(At(At(list, i), "from"), "in force on a same day as " +
                                                 At(list, k) + " for level " +
                                                 Quoted(entries[i].unit_level));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckPeriods(const Definition& def) {
  EXEMPLAR_RETURN_IF_ERROR(CheckNoOverlap(def.quotas, "quotas"));
  return CheckNoOverlap(def.deadlines.annual_registration,
                        "deadlines.annual_registration");
}

}  // namespace definition_json
}  // namespace exemplar
