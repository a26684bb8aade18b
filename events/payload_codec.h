// Payload codec: turns a typed event payload into the bytes stored in a
// NewEvent and back, with upcasting of older schema versions.
//
// Every payload type T has `static constexpr std::uint32_t kSchemaVersion`
// and a cereal `serialize`. Bytes are cereal binary. When a stored event was
// written with an older schema version than T::kSchemaVersion, decoding goes
// through `static Result<T> T::Upcast(std::uint32_t version,
// std::string_view bytes)`, which the type provides once its layout has
// changed; a type without Upcast only decodes its current version.
#pragma once

#include <cereal/archives/binary.hpp>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/bounded_archive.h"
#include "events/envelope.h"
#include "events/status.h"
#include "events/string_archive.h"

namespace exemplar {

// A payload type that knows how to read its own older schema versions.
template <typename T>
concept Upcastable = requires(std::uint32_t version, std::string_view bytes) {
  { T::Upcast(version, bytes) } -> std::same_as<Result<T>>;
};

// Encodes `value` as cereal binary. Never fails.
template <typename T>
std::string EncodePayload(const T& value) {
  std::string out;
  {
    StringOutputArchive archive(&out);
    archive(value);
  }
  return out;
}

// Decodes bytes written with exactly T's layout, whatever version is named.
// Fails with kCorruption (position 0) when the bytes do not decode or leave
// trailing bytes. Used by Upcast implementations to read their old layouts.
template <typename T>
Result<T> DecodeExactLayout(std::string_view bytes) {
  T value;
  try {
    BoundedInputArchive archive(bytes);
    archive(value);
    if (archive.remaining() != 0) {
      return Status::Corruption("trailing bytes after the payload", 0);
    }
  } catch (const std::exception& e) {
    return Status::Corruption(
        std::string("payload does not decode: ") + e.what(), 0);
  }
  return value;
}

// Decodes a payload stored with `schema_version`. Errors (kCorruption with
// position 0): the version is 0 or newer than T::kSchemaVersion, it is older
// and T has no Upcast, or the bytes do not decode.
template <typename T>
Result<T> DecodePayload(std::uint32_t schema_version, std::string_view bytes) {
  if (schema_version == 0 || schema_version > T::kSchemaVersion) {
    return Status::Corruption(
        "unsupported payload schema version " + std::to_string(schema_version),
        0);
  }
  if (schema_version < T::kSchemaVersion) {
    if constexpr (Upcastable<T>) {
      return T::Upcast(schema_version, bytes);
    } else {
      return Status::Corruption("no upcast from payload schema version " +
                                    std::to_string(schema_version),
                                0);
    }
  }
  return DecodeExactLayout<T>(bytes);
}

// Decodes the payload of a stored record, naming its position on failure.
template <typename T>
Result<T> DecodeRecordPayload(const EventRecord& record) {
  Result<T> decoded = DecodePayload<T>(record.schema_version, record.payload);
  if (!decoded.ok()) {
    return Status::Corruption(record.type + ": " + decoded.status().message(),
                              record.position);
  }
  return decoded;
}

}  // namespace exemplar
