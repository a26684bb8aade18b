#include "events/workflow_event.h"

namespace exemplar {
namespace {

struct ValueToJson {
  nlohmann::json operator()(const std::string& v) const { return v; }
  nlohmann::json operator()(std::int64_t v) const { return v; }
  nlohmann::json operator()(double v) const { return v; }
  nlohmann::json operator()(bool v) const { return v; }
  nlohmann::json operator()(const CivilDate& v) const { return v.ToString(); }
  nlohmann::json operator()(const std::vector<std::string>& v) const {
    return v;
  }
  nlohmann::json operator()(const std::vector<CriterionResult>& v) const {
    nlohmann::json out = nlohmann::json::array();
    for (const CriterionResult& r : v) {
      out.push_back({{"criterion", r.criterion},
                     {"met", r.met},
                     {"evidence", r.evidence}});
    }
    return out;
  }
  nlohmann::json operator()(const std::vector<DocumentRef>& v) const {
    nlohmann::json out = nlohmann::json::array();
    for (const DocumentRef& d : v) {
      out.push_back({{"hash", d.hash},
                     {"size", d.size},
                     {"media_type", d.media_type},
                     {"name", d.name}});
    }
    return out;
  }
};

}  // namespace

nlohmann::json FieldValueToJson(const FieldValue& value) {
  return std::visit(ValueToJson{}, value);
}

nlohmann::json WorkflowEventToJson(const WorkflowEvent& event) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, value] : event.fields) {
    fields[name] = FieldValueToJson(value);
  }
  return {{"action", event.action},
          {"definition", event.definition_name},
          {"definition_version", event.definition_version},
          {"fields", std::move(fields)}};
}

}  // namespace exemplar
