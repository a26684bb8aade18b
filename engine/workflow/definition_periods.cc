// The dated entries of a definition: annual registrations in force for a
// period (definition.h).
#include "engine/workflow/definition.h"
#include "engine/workflow/definition_json.h"
#include "events/system_events.h"

namespace exemplar {

bool EffectivePeriod::Covers(CivilDate day) const {
  return (!from || *from <= day) && (!until || day < *until);
}

CivilDate AnnualRegistration::DueIn(int year) const {
  return CivilDate::FromYmd(year, due_month, due_day);
}

const AnnualRegistration* Definition::RegistrationFor(const std::string& level,
                                                      int year) const {
  for (const AnnualRegistration& r : deadlines.annual_registration) {
    if (r.unit_level == level && r.period.Covers(r.DueIn(year))) return &r;
  }
  return nullptr;
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

}  // namespace definition_json
}  // namespace exemplar
