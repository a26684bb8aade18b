// Status and Result<T>: how every module reports errors across its boundary.
//
// Modelled on LevelDB's Status: a code, a human message, and (for errors a
// caller can act on) a detail such as the offending field, position or the
// actual stream version. Exceptions from third-party libraries are caught at
// the edge of the module that calls them and turned into a Status.
//
// Status lives in events/ because events/ is the one module every other
// module depends on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace exemplar {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // the input is malformed or out of limits
  kNotFound,           // the named thing does not exist
  kVersionConflict,    // expected version does not match; see actual_version
  kIdempotencyReused,  // an idempotency key was reused with other content
  kCorruption,         // stored bytes do not decode or do not hash; see
                       // position
  kRejected,           // a business rule refused the command; see reason
  kPermissionDenied,   // the actor may not do this
  kUnavailable,        // the store is closed or shutting down
  kDropped,            // a subscriber fell behind; see position to resume
  kIoError,            // the storage layer failed
  kInternal,           // a bug: an invariant of ours does not hold
};

// Stable snake_case name of a code, used in logs and API error types.
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message, std::string field = {}) {
    Status s(StatusCode::kInvalidArgument, std::move(message));
    s.field_ = std::move(field);
    return s;
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status VersionConflict(std::string message,
                                std::optional<std::uint64_t> actual_version) {
    Status s(StatusCode::kVersionConflict, std::move(message));
    s.number_ = actual_version;
    return s;
  }
  static Status IdempotencyReused(std::string message) {
    return Status(StatusCode::kIdempotencyReused, std::move(message));
  }
  static Status Corruption(std::string message, std::uint64_t position) {
    Status s(StatusCode::kCorruption, std::move(message));
    s.number_ = position;
    return s;
  }
  // `reason` is a stable machine code such as "four_eyes_violation".
  static Status Rejected(std::string reason, std::string message,
                         std::string field = {}) {
    Status s(StatusCode::kRejected, std::move(message));
    s.reason_ = std::move(reason);
    s.field_ = std::move(field);
    return s;
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Dropped(std::string message, std::uint64_t resume_position) {
    Status s(StatusCode::kDropped, std::move(message));
    s.number_ = resume_position;
    return s;
  }
  static Status IoError(std::string message) {
    return Status(StatusCode::kIoError, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The offending field, for kInvalidArgument and kRejected; may be empty.
  const std::string& field() const { return field_; }
  // The machine reason code, for kRejected.
  const std::string& reason() const { return reason_; }
  // kVersionConflict: the actual stream version (empty when the stream does
  // not exist). kCorruption: the bad position. kDropped: where to resume.
  std::optional<std::uint64_t> number() const { return number_; }

  // A kRejected refusal's words for a person in Vietnamese and English,
  // when the refusal brings its own (a definition rule's); empty otherwise,
  // and the catalogue's texts for reason() apply (events/refusal_texts.h).
  const std::string& text_vi() const { return text_vi_; }
  const std::string& text_en() const { return text_en_; }
  Status WithTexts(std::string vi, std::string en) && {
    text_vi_ = std::move(vi);
    text_en_ = std::move(en);
    return std::move(*this);
  }

  // "code: message" for logs and tests.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::string reason_;
  std::optional<std::uint64_t> number_;
  std::string text_vi_;
  std::string text_en_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace exemplar

// Returns early from the enclosing function when `expr` is not OK.
#define EXEMPLAR_RETURN_IF_ERROR(expr) \
  do {                                 \
    ::exemplar::Status _st = (expr);   \
    if (!_st.ok()) return _st;         \
  } while (false)
