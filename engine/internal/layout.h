// How the store lays its data out in RocksDB (docs/architecture.md,
// "Storage layout"): the column families, the keys within them, and the
// fixed-width big-endian integers that make keys sort by number and
// encodings not depend on the host. The one place these are spelled.
//
// Private to engine/: nothing outside it includes engine/internal/, except
// tests/support/raw_db.h, which tampers with stored bytes for corruption
// tests (tests/check_private_includes.cmake enforces this).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace exemplar::layout {

// Column families.
inline constexpr char kEventsFamily[] = "events";
inline constexpr char kStreamsFamily[] = "streams";
inline constexpr char kIdempotencyFamily[] = "idempotency";
inline constexpr char kAuditFamily[] = "audit";
inline constexpr char kProjectionsFamily[] = "projections";
inline constexpr char kMetaFamily[] = "meta";
// The key vault's wrapped keys (crypto/key_vault.h), kept out of the
// events' family so that shredding one rewrites only the vault's tables.
inline constexpr char kVaultFamily[] = "vault";

// Appends the 8 big-endian bytes of `value` to `out`.
inline void AppendBigEndian64(std::uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

// The 8 big-endian bytes of `value`.
inline std::string BigEndian64(std::uint64_t value) {
  std::string out;
  AppendBigEndian64(value, &out);
  return out;
}

// Reads a big-endian number from the first 8 bytes of `bytes` (fewer when
// it is shorter).
inline std::uint64_t ReadBigEndian64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    value = value << 8 | static_cast<std::uint8_t>(bytes[i]);
  }
  return value;
}

// meta: the last durable event, as BE8 position || 32-byte hash.
inline constexpr char kHeadKey[] = "head";

// meta: the layout of the stored records, as BE8. Absent in stores written
// before it existed (format 1); written when a store is created.
inline constexpr char kFormatKey[] = "format";
// Format 2: the envelope carries remote_address after request_id.
// Format 3: the same records, with personal values sealed from the first
// event on (engine/workflow/personal_data.h); a format 2 store may hold
// them in plain text.
inline constexpr std::uint64_t kStoreFormat = 3;
inline constexpr std::uint64_t kOldestReadableFormat = 2;

// events: the position, big-endian.
inline std::string PositionKey(std::uint64_t position) {
  return BigEndian64(position);
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
  AppendBigEndian64(version, &key);
  return key;
}

// The side store's spaces (engine/side_store.h) within their families.
// projections: rows, "name\0key", no prefix of the space's own.
// meta: projection checkpoints, "projection_checkpoint\0name" -> BE8.
inline constexpr std::string_view kProjectionCheckpointPrefix{
    "projection_checkpoint\0", 22};
// meta: relay checkpoints, "relay/<stream>/checkpoint" -> BE8.
inline constexpr std::string_view kRelayCheckpointPrefix = "relay/";
// audit: signed tree heads, 'h' || tree size BE8 (engine/audit/signed_head.h);
// the Merkle tree's nodes and size share the family under other keys
// (engine/audit/rocksdb_nodes.h).
inline constexpr std::string_view kSignedHeadPrefix = "h";
// meta: people's password hashes, "password/<user id>" -> Argon2id string.
inline constexpr std::string_view kPasswordPrefix = "password/";
// meta: signed-in sessions, "session/<hex SHA-256 of the secret>" -> JSON.
inline constexpr std::string_view kWebSessionPrefix = "session/";
// meta: nothing; the vault space of a follower of a store without a vault.
inline constexpr std::string_view kNoVaultPrefix = "no-vault/";

}  // namespace exemplar::layout
