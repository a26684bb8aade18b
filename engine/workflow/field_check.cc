#include "engine/workflow/field_check.h"

#include <algorithm>
#include <cmath>

#include "engine/workflow/organisation.h"
#include "events/text.h"

namespace exemplar {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultStringLength = 200;
constexpr std::size_t kDefaultTextLength = 10000;

// A string of at most `max_length` code points: NFC UTF-8, not blank, and
// without control characters beyond those `lines` allows.
Status CheckString(const json& value, const std::string& name,
                   std::size_t max_length, TextLines lines, std::string* out) {
  if (!value.is_string()) return Invalid(name, "expected a string");
  *out = value.get<std::string>();
  for (const Status& text :
       {ValidateText(*out, name), CheckControlCharacters(*out, name, lines)}) {
    if (!text.ok()) {
      return Status::Rejected("validation_failed", text.message(), name);
    }
  }
  if (IsBlank(*out)) return Invalid(name, "must not be blank");
  if (CodePointCount(*out) > max_length) {
    return Invalid(name,
                   "longer than " + std::to_string(max_length) + " characters");
  }
  return Status::Ok();
}

Status CheckRange(const FieldSpec& spec, double value) {
  if (spec.min && value < *spec.min) {
    return Invalid(spec.name, "below the minimum " + json(*spec.min).dump());
  }
  if (spec.max && value > *spec.max) {
    return Invalid(spec.name, "above the maximum " + json(*spec.max).dump());
  }
  return Status::Ok();
}

Status CheckPeriod(const std::string& name, const std::string& period) {
  bool year = period.size() >= 4 &&
              std::all_of(period.begin(), period.begin() + 4,
                          [](char c) { return c >= '0' && c <= '9'; });
  bool ok =
      year && (period.size() == 4 ||
               (period.size() == 7 && period[4] == '-' && period[5] == 'Q' &&
                period[6] >= '1' && period[6] <= '4'));
  if (!ok)
    return Invalid(name, "expected YYYY or YYYY-Qn, got \"" + period + "\"");
  return Status::Ok();
}

Result<FieldValue> CheckStringList(const FieldSpec& spec, const json& value) {
  if (!value.is_array()) return Invalid(spec.name, "expected an array");
  if (value.size() > spec.max_items) {
    return Invalid(spec.name,
                   "more than " + std::to_string(spec.max_items) + " items");
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string item;
    std::string at = spec.name + "[" + std::to_string(i) + "]";
    EXEMPLAR_RETURN_IF_ERROR(CheckString(value[i], at, kDefaultStringLength,
                                         TextLines::kOne, &item));
    if (!spec.values.empty() && !Contains(spec.values, item)) {
      return Invalid(at, "not one of the allowed values: \"" + item + "\"");
    }
    if (Contains(items, item)) return Invalid(at, "duplicate \"" + item + "\"");
    items.push_back(std::move(item));
  }
  return FieldValue(std::move(items));
}

Result<FieldValue> CheckCriteria(const FieldSpec& spec, const json& value) {
  if (!value.is_array()) return Invalid(spec.name, "expected an array");
  if (value.size() > spec.max_items) {
    return Invalid(spec.name,
                   "more than " + std::to_string(spec.max_items) + " criteria");
  }
  std::vector<CriterionResult> results;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string at = spec.name + "[" + std::to_string(i) + "]";
    const json& item = value[i];
    if (!item.is_object() || !item.contains("criterion") ||
        !item.contains("met") || !item["met"].is_boolean()) {
      return Invalid(at, "expected {\"criterion\", \"met\", \"evidence\"}");
    }
    CriterionResult result;
    EXEMPLAR_RETURN_IF_ERROR(CheckString(item["criterion"], at + ".criterion",
                                         kDefaultStringLength, TextLines::kOne,
                                         &result.criterion));
    result.met = item["met"].get<bool>();
    if (item.contains("evidence") && !item["evidence"].is_null()) {
      EXEMPLAR_RETURN_IF_ERROR(CheckString(item["evidence"], at + ".evidence",
                                           kDefaultTextLength, TextLines::kMany,
                                           &result.evidence));
    }
    for (const CriterionResult& earlier : results) {
      if (earlier.criterion == result.criterion) {
        return Invalid(at, "criterion \"" + result.criterion + "\" twice");
      }
    }
    results.push_back(std::move(result));
  }
  return FieldValue(std::move(results));
}

// Hashes of documents the actor uploaded and the command claimed, each
// once.
Result<FieldValue> CheckDocuments(const FieldSpec& spec, const json& value,
                                  const FieldContext& ctx) {
  if (!value.is_array()) {
    return Invalid(spec.name, "expected an array of document hashes");
  }
  if (value.size() > spec.max_items) {
    return Invalid(spec.name, "more than " + std::to_string(spec.max_items) +
                                  " documents");
  }
  if (value.empty() && spec.required) {
    return Invalid(spec.name, "at least one document");
  }
  std::vector<DocumentRef> documents;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string at = spec.name + "[" + std::to_string(i) + "]";
    if (!value[i].is_string()) return Invalid(at, "expected a document hash");
    const std::string hash = value[i].get<std::string>();
    const bool claimed =
        ctx.documents != nullptr && ctx.documents->contains(hash);
    if (!claimed) {
      return Invalid(at,
                     "no document you uploaded is waiting under this "
                     "hash (upload it with POST /v1/documents; an upload "
                     "waits 24 hours)");
    }
    for (const DocumentRef& earlier : documents) {
      if (earlier.hash == hash) return Invalid(at, "the same document twice");
    }
    documents.push_back(ctx.documents->at(hash));
  }
  return FieldValue(std::move(documents));
}

// One answer for an exemplar that does not exist and one the user may not
// see.
bool SeesExemplar(const FieldContext& ctx, const std::string& id) {
  if (ctx.exemplar_units == nullptr) return false;
  auto unit = ctx.exemplar_units->find(id);
  return unit != ctx.exemplar_units->end() &&
         SeesUnit(ctx.authority, ctx.user_id, unit->second, ctx.at_us);
}

// A reference to a user, unit, campaign or award form that must exist (and
// be active or open) at the time of the command.
Result<FieldValue> CheckReference(const FieldSpec& spec, const json& value,
                                  const FieldContext& ctx) {
  std::string id;
  EXEMPLAR_RETURN_IF_ERROR(CheckString(value, spec.name, kDefaultStringLength,
                                       TextLines::kOne, &id));
  if (!ctx.check_references && spec.type != FieldType::kAwardForm) {
    return FieldValue(std::move(id));
  }
  bool known = false;
  switch (spec.type) {
    case FieldType::kUser: {
      const UserRecord* user = ctx.authority.FindUser(id);
      known = user != nullptr && user->ActiveAt(ctx.at_us);
      break;
    }
    case FieldType::kUnit: {
      const UnitRecord* unit = ctx.authority.FindUnit(id);
      known = unit != nullptr && unit->OpenAt(ctx.at_us);
      break;
    }
    case FieldType::kCampaign: {
      const CampaignRecord* campaign = ctx.authority.FindCampaign(id);
      known = campaign != nullptr && campaign->OpenAt(ctx.at_us);
      break;
    }
    case FieldType::kExemplar:
      known = SeesExemplar(ctx, id);
      break;
    default:
      known = ctx.definition.FindAwardForm(id) != nullptr;
  }
  if (!known) {
    return Invalid(spec.name, std::string("no active or open ") +
                                  FieldTypeName(spec.type) + " \"" + id + "\"");
  }
  return FieldValue(std::move(id));
}

Result<FieldValue> CheckValue(const FieldSpec& spec, const json& value,
                              const FieldContext& ctx) {
  switch (spec.type) {
    case FieldType::kString:
    case FieldType::kText:
    case FieldType::kEnum:
    case FieldType::kPeriod: {
      const bool free_text = spec.type == FieldType::kText;
      std::size_t limit = spec.max_length;
      if (limit == 0) {
        limit = free_text ? kDefaultTextLength : kDefaultStringLength;
      }
      std::string text;
      EXEMPLAR_RETURN_IF_ERROR(
          CheckString(value, spec.name, limit,
                      free_text ? TextLines::kMany : TextLines::kOne, &text));
      if (spec.type == FieldType::kEnum && !Contains(spec.values, text)) {
        return Invalid(spec.name,
                       "not one of the allowed values: \"" + text + "\"");
      }
      if (spec.type == FieldType::kPeriod) {
        EXEMPLAR_RETURN_IF_ERROR(CheckPeriod(spec.name, text));
      }
      return FieldValue(std::move(text));
    }
    case FieldType::kInt: {
      if (!value.is_number_integer()) {
        return Invalid(spec.name, "expected an integer");
      }
      std::int64_t number = value.get<std::int64_t>();
      if (value.is_number_unsigned() &&
          value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        return Invalid(spec.name, "too large");
      }
      EXEMPLAR_RETURN_IF_ERROR(CheckRange(spec, static_cast<double>(number)));
      return FieldValue(number);
    }
    case FieldType::kNumber: {
      if (!value.is_number()) return Invalid(spec.name, "expected a number");
      double number = value.get<double>();
      if (!std::isfinite(number)) return Invalid(spec.name, "not finite");
      EXEMPLAR_RETURN_IF_ERROR(CheckRange(spec, number));
      return FieldValue(number);
    }
    case FieldType::kBool:
      if (!value.is_boolean()) return Invalid(spec.name, "expected a boolean");
      return FieldValue(value.get<bool>());
    case FieldType::kDate: {
      if (!value.is_string()) return Invalid(spec.name, "expected a date");
      Result<CivilDate> date = CivilDate::Parse(value.get<std::string>());
      if (!date.ok()) return Invalid(spec.name, date.status().message());
      return FieldValue(*date);
    }
    case FieldType::kStringList:
      return CheckStringList(spec, value);
    case FieldType::kCriteriaResults:
      return CheckCriteria(spec, value);
    case FieldType::kDocuments:
      return CheckDocuments(spec, value, ctx);
    default:
      return CheckReference(spec, value, ctx);
  }
}

}  // namespace

Status Invalid(const std::string& field, const std::string& message) {
  return Status::Rejected("validation_failed", field + ": " + message, field);
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Result<Fields> ValidateFields(const ActionSpec& action, const json& input,
                              const FieldContext& ctx) {
  if (!input.is_null() && !input.is_object()) {
    return Invalid("fields", "expected an object");
  }
  Fields out;
  if (input.is_object()) {
    for (const auto& [name, value] : input.items()) {
      if (action.FindField(name) == nullptr) {
        return Invalid(name,
                       "action \"" + action.name + "\" has no such field");
      }
    }
  }
  for (const FieldSpec& spec : action.fields) {
    auto it = input.is_object() ? input.find(spec.name) : input.end();
    if (!input.is_object() || it == input.end() || it->is_null()) {
      if (spec.required) return Invalid(spec.name, "required");
      continue;
    }
    Result<FieldValue> value = CheckValue(spec, *it, ctx);
    if (!value.ok()) return value.status();
    out.emplace(spec.name, std::move(*value));
  }
  return out;
}

}  // namespace exemplar
