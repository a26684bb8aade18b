// The registration funnel's and the propagation assessment's members of a
// definition (definition.h): the step of each annual registration and who
// scores a unit's propagation work.
#include <algorithm>

#include "engine/workflow/definition.h"
#include "engine/workflow/definition_json.h"
#include "events/system_events.h"

namespace exemplar::definition_json {
namespace {

Status CheckRoles(const Definition& def, const std::vector<std::string>& roles,
                  const std::string& at) {
  if (roles.empty()) return Fail(at, "no role may take it");
  for (size_t i = 0; i < roles.size(); ++i) {
    if (!def.HasRole(roles[i])) {
      return Fail(At(at, i), "unknown role " + Quoted(roles[i]));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ReadFunnelStep(const json& obj, const std::string& at,
                      AnnualRegistration* out) {
  EXEMPLAR_RETURN_IF_ERROR(Member(obj, at, "step", &out->step));
  if (out->step != "register" && out->step != "select") {
    return Fail(At(at, "step"), "expected \"register\" or \"select\", got " +
                                    Quoted(out->step));
  }
  EXEMPLAR_RETURN_IF_ERROR(Member(obj, at, "roles", &out->roles));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(obj, at, "leads_campaign", &out->leads_campaign));
  EXEMPLAR_RETURN_IF_ERROR(
      Member(obj, at, "submit_to_level", &out->submit_to_level));
  if (!out->submit_to_level.empty() &&
      !Contains(UnitLevels(), out->submit_to_level)) {
    return Fail(At(at, "submit_to_level"),
                "unknown unit level " + Quoted(out->submit_to_level));
  }
  return Status::Ok();
}

Status ParsePropagationAssessment(const json& root, Definition* def) {
  auto it = root.find("propagation_assessment");
  if (it == root.end()) return Status::Ok();
  const std::string at = "propagation_assessment";
  if (!it->is_object()) return Fail(at, "expected an object");
  PropagationAssessment& out = def->propagation_assessment;
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, at, "roles", &out.roles));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, at, "min_score", &out.min_score));
  EXEMPLAR_RETURN_IF_ERROR(Member(*it, at, "max_score", &out.max_score));
  if (out.min_score >= out.max_score) {
    return Fail(At(at, "max_score"), "not above min_score");
  }
  return Status::Ok();
}

Status CheckFunnelRoles(const Definition& def) {
  const auto& steps = def.deadlines.annual_registration;
  for (size_t i = 0; i < steps.size(); ++i) {
    EXEMPLAR_RETURN_IF_ERROR(
        CheckRoles(def, steps[i].roles,
                   At(At("deadlines", At("annual_registration", i)), "roles")));
  }
  return CheckRoles(def, def.propagation_assessment.roles,
                    At("propagation_assessment", "roles"));
}

}  // namespace exemplar::definition_json
