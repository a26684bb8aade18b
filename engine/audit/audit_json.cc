#include "engine/audit/audit_json.h"

#include <span>
#include <string>

namespace exemplar::audit {
namespace {

using nlohmann::json;

std::string BytesToHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xF]);
  }
  return hex;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Fills `out` from exactly 2 * out.size() hex digits.
bool HexToBytes(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  for (size_t i = 0; i < out.size(); ++i) {
    int high = HexDigit(hex[2 * i]);
    int low = HexDigit(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

Status BadMember(const std::string& name, const std::string& expected) {
  return Status::InvalidArgument(name + " must be " + expected, name);
}

const json* Member(const json& object, const std::string& name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

Status ReadUnsigned(const json& object, const std::string& name,
                    std::uint64_t* out) {
  const json* value = Member(object, name);
  if (value == nullptr || !value->is_number_unsigned()) {
    return BadMember(name, "a non-negative integer");
  }
  *out = value->get<std::uint64_t>();
  return Status::Ok();
}

Status ReadSigned(const json& object, const std::string& name,
                  std::int64_t* out) {
  const json* value = Member(object, name);
  bool fits =
      value != nullptr && value->is_number_integer() &&
      (!value->is_number_unsigned() ||
       value->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX));
  if (!fits) return BadMember(name, "a 64-bit integer");
  *out = value->get<std::int64_t>();
  return Status::Ok();
}

Status HexOf(const json* value, const std::string& name,
             std::span<std::uint8_t> out) {
  if (value == nullptr || !value->is_string() ||
      !HexToBytes(value->get_ref<const std::string&>(), out)) {
    return BadMember(name, std::to_string(out.size() * 2) + " hex characters");
  }
  return Status::Ok();
}

Status ReadHex(const json& object, const std::string& name,
               std::span<std::uint8_t> out) {
  return HexOf(Member(object, name), name, out);
}

json PathToJson(const std::vector<Hash256>& path) {
  json array = json::array();
  for (const Hash256& hash : path) array.push_back(ToHex(hash));
  return array;
}

Status ReadPath(const json& object, std::vector<Hash256>* path) {
  const json* array = Member(object, "path");
  if (array == nullptr || !array->is_array()) {
    return BadMember("path", "an array of hashes");
  }
  path->resize(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    EXEMPLAR_RETURN_IF_ERROR(HexOf(&(*array)[i], "path", (*path)[i]));
  }
  return Status::Ok();
}

}  // namespace

json ToJson(const SignedTreeHead& head) {
  return {{"tree_size", head.tree_size},
          {"timestamp_us", head.timestamp_us},
          {"root_hash", ToHex(head.root_hash)},
          {"signature", BytesToHex(head.signature)}};
}

json ToJson(const InclusionProofData& proof) {
  return {{"leaf_index", proof.leaf_index},
          {"tree_size", proof.tree_size},
          {"event_hash", ToHex(proof.event_hash)},
          {"path", PathToJson(proof.path)}};
}

json ToJson(const ConsistencyProofData& proof) {
  return {{"first_size", proof.first_size},
          {"second_size", proof.second_size},
          {"path", PathToJson(proof.path)}};
}

template <>
Result<SignedTreeHead> FromJson<SignedTreeHead>(const json& object) {
  SignedTreeHead head;
  EXEMPLAR_RETURN_IF_ERROR(ReadUnsigned(object, "tree_size", &head.tree_size));
  EXEMPLAR_RETURN_IF_ERROR(
      ReadSigned(object, "timestamp_us", &head.timestamp_us));
  EXEMPLAR_RETURN_IF_ERROR(ReadHex(object, "root_hash", head.root_hash));
  EXEMPLAR_RETURN_IF_ERROR(ReadHex(object, "signature", head.signature));
  return head;
}

template <>
Result<InclusionProofData> FromJson<InclusionProofData>(const json& object) {
  InclusionProofData proof;
  EXEMPLAR_RETURN_IF_ERROR(
      ReadUnsigned(object, "leaf_index", &proof.leaf_index));
  EXEMPLAR_RETURN_IF_ERROR(ReadUnsigned(object, "tree_size", &proof.tree_size));
  EXEMPLAR_RETURN_IF_ERROR(ReadHex(object, "event_hash", proof.event_hash));
  EXEMPLAR_RETURN_IF_ERROR(ReadPath(object, &proof.path));
  return proof;
}

template <>
Result<ConsistencyProofData> FromJson<ConsistencyProofData>(
    const json& object) {
  ConsistencyProofData proof;
  EXEMPLAR_RETURN_IF_ERROR(
      ReadUnsigned(object, "first_size", &proof.first_size));
  EXEMPLAR_RETURN_IF_ERROR(
      ReadUnsigned(object, "second_size", &proof.second_size));
  EXEMPLAR_RETURN_IF_ERROR(ReadPath(object, &proof.path));
  return proof;
}

}  // namespace exemplar::audit
