// Reading a workflow definition's JSON: typed readers that name the
// location of what is wrong ("actions[3].from[0]: unknown state ..."),
// shared by the parts of the definition parsed in separate files. Internal
// to engine/workflow.
#pragma once

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/workflow/definition.h"
#include "events/status.h"

namespace exemplar::definition_json {

using nlohmann::json;

inline Status Fail(const std::string& at, const std::string& problem) {
  return Status::InvalidArgument(at + ": " + problem, at);
}

inline std::string At(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

inline std::string At(const std::string& base, size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

inline std::string Quoted(const std::string& name) {
  return "\"" + name + "\"";
}

inline bool Contains(const std::vector<std::string>& names,
                     const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Typed readers of one JSON value; each names `at` when the type is wrong.
inline Status Read(const json& v, const std::string& at, std::string* out) {
  if (!v.is_string()) return Fail(at, "expected a string");
  *out = v.get<std::string>();
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at, bool* out) {
  if (!v.is_boolean()) return Fail(at, "expected true or false");
  *out = v.get<bool>();
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at, double* out) {
  if (!v.is_number()) return Fail(at, "expected a number");
  *out = v.get<double>();
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at, int* out) {
  if (!v.is_number_integer()) return Fail(at, "expected an integer");
  *out = v.get<int>();
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at, std::uint32_t* out) {
  if (!v.is_number_unsigned()) return Fail(at, "expected a positive integer");
  *out = v.get<std::uint32_t>();
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at, std::size_t* out) {
  if (!v.is_number_unsigned()) return Fail(at, "expected a positive integer");
  *out = v.get<std::size_t>();
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at,
                   std::optional<double>* out) {
  double value = 0;
  EXEMPLAR_RETURN_IF_ERROR(Read(v, at, &value));
  *out = value;
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at,
                   std::optional<bool>* out) {
  bool value = false;
  EXEMPLAR_RETURN_IF_ERROR(Read(v, at, &value));
  *out = value;
  return Status::Ok();
}
inline Status Read(const json& v, const std::string& at,
                   std::vector<std::string>* out) {
  if (!v.is_array()) return Fail(at, "expected an array of strings");
  out->clear();
  for (size_t i = 0; i < v.size(); ++i) {
    std::string item;
    EXEMPLAR_RETURN_IF_ERROR(Read(v[i], At(at, i), &item));
    out->push_back(std::move(item));
  }
  return Status::Ok();
}

// Reads member `key` of object `obj` into `out`; a missing member is an
// error only when `required`.
template <typename T>
Status Member(const json& obj, const std::string& at, const char* key, T* out,
              bool required = false) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return required ? Fail(At(at, key), "missing") : Status::Ok();
  }
  return Read(*it, At(at, key), out);
}

inline Status Name(const json& obj, const std::string& at, std::string* out) {
  EXEMPLAR_RETURN_IF_ERROR(Member(obj, at, "name", out, true));
  if (out->empty()) return Fail(At(at, "name"), "empty name");
  return Status::Ok();
}

// Reads the required, non-empty texts `vi` and `en` of `obj`: every label
// a person reads (the console, the exports, refusals) comes from them.
inline Status ReadLabel(const json& obj, const std::string& at, Label* label) {
  for (auto [key, text] : {std::pair{"vi", &label->vi}, {"en", &label->en}}) {
    EXEMPLAR_RETURN_IF_ERROR(Member(obj, at, key, text, true));
    if (text->empty()) return Fail(At(at, key), "empty text");
  }
  return Status::Ok();
}

// Calls parse(item, at_i) for each element of array member `key`.
template <typename Parse>
Status Each(const json& obj, const char* key, bool required, Parse parse) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    return required ? Fail(key, "missing") : Status::Ok();
  }
  if (!it->is_array()) return Fail(key, "expected an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    if (!item.is_object()) return Fail(At(key, i), "expected an object");
    EXEMPLAR_RETURN_IF_ERROR(parse(item, At(key, i)));
  }
  return Status::Ok();
}

// Fails on the second use of a name in one list.
class UniqueNames {
 public:
  explicit UniqueNames(std::string what) : what_(std::move(what)) {}
  Status Add(const std::string& name, const std::string& at) {
    if (!seen_.insert(name).second) {
      return Fail(at, "duplicate " + what_ + " " + Quoted(name));
    }
    return Status::Ok();
  }

 private:
  std::string what_;
  std::set<std::string> seen_;
};

// Each of `names` (listed at `at`) must be an action of `def`.
Status CheckActionNames(const Definition& def,
                        const std::vector<std::string>& names,
                        const std::string& at);

// Reads the optional members `from`, `until` ("YYYY-MM-DD", until
// exclusive and after from) and `takes_over` (a unit level) of a dated
// entry (definition_periods.cc).
Status ReadPeriod(const json& obj, const std::string& at,
                  EffectivePeriod* period, std::string* takes_over);

// Reads the optional top-level `part_year` of `root`.
Status ReadPartYear(const json& root, Definition* def);

// Two quotas, or two annual registrations, of one level in force on a same
// day: fails naming the second (definition_periods.cc).
Status CheckPeriods(const Definition& def);

// Checks the cross-references of `def`, every member parsed
// (definition_checks.cc).
Status Validate(const Definition& def);

// Parses member "read_side" of `root` (read_side.cc) and checks it against
// the rest of `def`, already parsed.
Status ParseReadSide(const json& root, Definition* def);

// Reads an annual registration's `step`, `roles`, `leads_campaign` and
// `submit_to_level` (definition_funnel.cc).
Status ReadFunnelStep(const json& obj, const std::string& at,
                      AnnualRegistration* out);

// Parses member "propagation_assessment" of `root` (definition_funnel.cc).
Status ParsePropagationAssessment(const json& root, Definition* def);

// Every role the funnel's steps and the propagation assessment name is a
// role of `def` (definition_funnel.cc).
Status CheckFunnelRoles(const Definition& def);

}  // namespace exemplar::definition_json
