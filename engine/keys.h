// Key encodings of the RocksDB column families (DESIGN.md, "RocksDB layout").
// Private to engine/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace exemplar::keys {

inline constexpr char kEventsFamily[] = "events";
inline constexpr char kStreamsFamily[] = "streams";
inline constexpr char kIdempotencyFamily[] = "idempotency";
inline constexpr char kAuditFamily[] = "audit";
inline constexpr char kProjectionsFamily[] = "projections";
inline constexpr char kMetaFamily[] = "meta";

// meta: the last durable event, as BE8 position || 32-byte hash.
inline constexpr char kHeadKey[] = "head";

// meta: the layout of the stored records, as BE8. Absent in stores written
// before it existed (format 1); written when a store is created.
inline constexpr char kFormatKey[] = "format";
// Format 2: the envelope carries remote_address after request_id.
inline constexpr std::uint64_t kStoreFormat = 2;

inline void AppendBigEndian(std::uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

inline std::uint64_t ReadBigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    value = value << 8 | static_cast<std::uint8_t>(bytes[i]);
  }
  return value;
}

inline std::string PositionKey(std::uint64_t position) {
  std::string key;
  AppendBigEndian(position, &key);
  return key;
}

// streams: stream id, 0x00, version big-endian. Stream ids never hold 0x00.
inline std::string StreamPrefix(std::string_view stream_id) {
  std::string key(stream_id);
  key.push_back('\0');
  return key;
}

inline std::string StreamKey(std::string_view stream_id,
                             std::uint64_t version) {
  std::string key = StreamPrefix(stream_id);
  AppendBigEndian(version, &key);
  return key;
}

}  // namespace exemplar::keys
