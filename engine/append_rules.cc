#include "engine/internal/append_rules.h"

#include "engine/internal/layout.h"
#include "events/sha256.h"

namespace exemplar {
namespace {

bool IsStreamIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
}

}  // namespace

Status ValidateRequest(const AppendRequest& request,
                       const StoreOptions& options) {
  const std::string& id = request.stream_id;
  if (id.empty()) {
    return Status::InvalidArgument("stream id is empty", "stream_id");
  }
  if (id.size() > options.max_stream_id_length) {
    return Status::InvalidArgument(
        "stream id is longer than " +
            std::to_string(options.max_stream_id_length) + " bytes",
        "stream_id");
  }
  for (char c : id) {
    if (!IsStreamIdChar(c)) {
      return Status::InvalidArgument(
          "stream id may only hold letters, digits and . _ : -", "stream_id");
    }
  }
  if (request.events.empty()) {
    return Status::InvalidArgument("an append needs at least one event",
                                   "events");
  }
  if (request.events.size() > options.max_events_per_append) {
    return Status::InvalidArgument(
        "more than " + std::to_string(options.max_events_per_append) +
            " events in one append",
        "events");
  }
  if (request.idempotency_key.size() > options.max_idempotency_key_length) {
    return Status::InvalidArgument("idempotency key is too long",
                                   "idempotency_key");
  }
  for (const NewEvent& event : request.events) {
    if (event.type.empty()) {
      return Status::InvalidArgument("event type is empty", "type");
    }
    if (event.payload.size() > options.max_payload_bytes) {
      return Status::InvalidArgument(
          "event payload is larger than " +
              std::to_string(options.max_payload_bytes) + " bytes",
          "payload");
    }
  }
  return Status::Ok();
}

Hash256 RequestDigest(const AppendRequest& request) {
  std::string text = request.stream_id;
  for (const NewEvent& e : request.events) {
    text += '\0' + e.type + '\0' + std::to_string(e.schema_version) + '\0' +
            std::to_string(e.payload.size()) + ':' + e.payload + '\0' +
            e.actor.user_id + '\0' + e.actor.role + '\0' + e.actor.unit_id +
            '\0' + e.on_behalf_of + '\0' + e.reason + '\0' + e.causation_id +
            '\0' + e.correlation_id;
  }
  return Sha256({text});
}

Status CheckExpectedVersion(const ExpectedVersion& expected,
                            std::optional<std::uint64_t> actual,
                            const std::string& stream_id) {
  auto conflict = [&](const std::string& wanted) {
    std::string now =
        actual ? "at version " + std::to_string(*actual) : "has no events";
    return Status::VersionConflict(
        "stream " + stream_id + " was expected " + wanted + " but " + now,
        actual);
  };
  switch (expected.kind()) {
    case ExpectedVersion::Kind::kAny:
      return Status::Ok();
    case ExpectedVersion::Kind::kNoStream:
      return actual ? conflict("to have no events") : Status::Ok();
    case ExpectedVersion::Kind::kStreamExists:
      return actual ? Status::Ok() : conflict("to exist");
    case ExpectedVersion::Kind::kExact:
      if (actual && *actual == expected.version()) return Status::Ok();
      return conflict("at version " + std::to_string(expected.version()));
  }
  return Status::Internal("unknown expected-version kind");
}

std::string IdempotencyEntry::Encode() const {
  std::string value;
  layout::AppendBigEndian64(result.first_position, &value);
  layout::AppendBigEndian64(result.last_position, &value);
  layout::AppendBigEndian64(result.stream_version, &value);
  value.append(AsBytes(request_digest));
  return value;
}
bool IdempotencyEntry::Decode(std::string_view value, IdempotencyEntry* out) {
  if (value.size() != 24 + 32) return false;
  out->result.first_position = layout::ReadBigEndian64(value.substr(0, 8));
  out->result.last_position = layout::ReadBigEndian64(value.substr(8, 8));
  out->result.stream_version = layout::ReadBigEndian64(value.substr(16, 8));
  std::copy(value.begin() + 24, value.end(), out->request_digest.begin());
  return true;
}

}  // namespace exemplar
