#include "events/status.h"

namespace exemplar {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kVersionConflict:
      return "version_conflict";
    case StatusCode::kIdempotencyReused:
      return "idempotency_key_reused";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kRejected:
      return "rejected";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kDropped:
      return "dropped";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string text = StatusCodeName(code_);
  if (!reason_.empty()) text += "/" + reason_;
  text += ": " + message_;
  return text;
}

}  // namespace exemplar
