#include "events/event_json.h"

#include <date/date.h>

#include <chrono>
#include <utility>

namespace exemplar {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  const char* found = std::char_traits<char>::find(kAlphabet, 64, c);
  return found ? static_cast<int>(found - kAlphabet) : -1;
}

template <typename T>
Status Read(const nlohmann::json& json, const char* field, T* out) {
  auto it = json.find(field);
  if (it == json.end()) {
    return Status::InvalidArgument(std::string(field) + " is missing", field);
  }
  try {
    *out = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument(std::string(field) + " has the wrong type",
                                   field);
  }
  return Status::Ok();
}

Status ReadHash(const nlohmann::json& json, const char* field, Hash256* out) {
  std::string hex;
  EXEMPLAR_RETURN_IF_ERROR(Read(json, field, &hex));
  if (!FromHex(hex, out)) {
    return Status::InvalidArgument(
        std::string(field) + " must be 64 hex characters", field);
  }
  return Status::Ok();
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t n = std::uint8_t(bytes[i]) << 16 |
                      std::uint8_t(bytes[i + 1]) << 8 |
                      std::uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[n >> shift & 63]);
  }
  if (i < bytes.size()) {
    std::uint32_t n = std::uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= std::uint8_t(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[n >> 18 & 63]);
    out.push_back(kAlphabet[n >> 12 & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[n >> 6 & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return Status::InvalidArgument("base64 length is not a multiple of 4");
  }
  std::string out;
  for (size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t n = 0;
    int padding = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + k];
      bool last_group = i + 4 == text.size();
      if (c == '=' && last_group && k >= 2 && (k == 3 || text[i + 3] == '=')) {
        ++padding;
        n <<= 6;
        continue;
      }
      int value = Base64Value(c);
      if (value < 0 || padding > 0) {
        return Status::InvalidArgument("bad base64 character");
      }
      n = n << 6 | value;
    }
    out.push_back(static_cast<char>(n >> 16 & 0xFF));
    if (padding < 2) out.push_back(static_cast<char>(n >> 8 & 0xFF));
    if (padding < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

std::string FormatTimestamp(std::int64_t micros) {
  date::sys_time<std::chrono::microseconds> time{
      std::chrono::microseconds(micros)};
  return date::format("%FT%TZ", time);
}

namespace {

// The record's text members as its JSON names them, one list for writing
// and reading.
const std::pair<const char*, std::string EventRecord::*> kTextMembers[] = {
    {"stream_id", &EventRecord::stream_id},
    {"type", &EventRecord::type},
    {"on_behalf_of", &EventRecord::on_behalf_of},
    {"reason", &EventRecord::reason},
    {"request_id", &EventRecord::request_id},
    {"remote_address", &EventRecord::remote_address},
    {"correlation_id", &EventRecord::correlation_id},
    {"causation_id", &EventRecord::causation_id},
    {"idempotency_key", &EventRecord::idempotency_key},
};

}  // namespace

nlohmann::json EventToJson(const EventRecord& r) {
  nlohmann::json json = {
      {"position", r.position},
      {"stream_version", r.stream_version},
      {"schema_version", r.schema_version},
      {"recorded_at", FormatTimestamp(r.recorded_at_us)},
      {"recorded_at_us", r.recorded_at_us},
      {"actor",
       {{"user_id", r.actor.user_id},
        {"role", r.actor.role},
        {"unit_id", r.actor.unit_id}}},
      {"payload_base64", Base64Encode(r.payload)},
      {"prev_hash", ToHex(r.prev_hash)},
      {"hash", ToHex(r.hash)},
  };
  for (const auto& [name, member] : kTextMembers) {
    // A sealed value (a NUL byte leads it; text never holds one) is not
    // text: it travels as its bytes in base64, beside a null for readers.
    const std::string& value = r.*member;
    if (value.find('\0') == std::string::npos) {
      json[name] = value;
    } else {
      json[name] = nullptr;
      json[std::string(name) + kSealedSuffix] = Base64Encode(value);
    }
  }
  return json;
}

Result<EventRecord> EventFromJson(const nlohmann::json& json) {
  if (!json.is_object()) {
    return Status::InvalidArgument("an event must be a JSON object");
  }
  EventRecord r;
  nlohmann::json actor;
  std::string payload;
  EXEMPLAR_RETURN_IF_ERROR(Read(json, "position", &r.position));
  EXEMPLAR_RETURN_IF_ERROR(Read(json, "stream_version", &r.stream_version));
  EXEMPLAR_RETURN_IF_ERROR(Read(json, "schema_version", &r.schema_version));
  EXEMPLAR_RETURN_IF_ERROR(Read(json, "recorded_at_us", &r.recorded_at_us));
  EXEMPLAR_RETURN_IF_ERROR(Read(json, "actor", &actor));
  EXEMPLAR_RETURN_IF_ERROR(Read(actor, "user_id", &r.actor.user_id));
  EXEMPLAR_RETURN_IF_ERROR(Read(actor, "role", &r.actor.role));
  EXEMPLAR_RETURN_IF_ERROR(Read(actor, "unit_id", &r.actor.unit_id));
  for (const auto& [name, member] : kTextMembers) {
    const std::string sealed_name = std::string(name) + kSealedSuffix;
    if (!json.contains(sealed_name)) {
      EXEMPLAR_RETURN_IF_ERROR(Read(json, name, &(r.*member)));
      continue;
    }
    std::string text;
    EXEMPLAR_RETURN_IF_ERROR(Read(json, sealed_name.c_str(), &text));
    Result<std::string> bytes = Base64Decode(text);
    if (!bytes.ok()) {
      return Status::InvalidArgument(bytes.status().message(), sealed_name);
    }
    r.*member = std::move(bytes).value();
  }
  EXEMPLAR_RETURN_IF_ERROR(Read(json, "payload_base64", &payload));
  auto decoded = Base64Decode(payload);
  if (!decoded.ok()) {
    return Status::InvalidArgument(decoded.status().message(),
                                   "payload_base64");
  }
  r.payload = std::move(decoded).value();
  EXEMPLAR_RETURN_IF_ERROR(ReadHash(json, "prev_hash", &r.prev_hash));
  EXEMPLAR_RETURN_IF_ERROR(ReadHash(json, "hash", &r.hash));
  return r;
}

}  // namespace exemplar
