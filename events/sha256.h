// SHA-256 digests (OpenSSL) and their hex form, used by the hash chain, the
// Merkle tree and token storage.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace exemplar {

using Hash256 = std::array<std::uint8_t, 32>;

// SHA-256 over the concatenation of `parts`. Thread-safe.
Hash256 Sha256(std::initializer_list<std::string_view> parts);

// Lower-case hex, 64 characters.
std::string ToHex(const Hash256& hash);
// Parses 64 hex characters; false when `hex` is not exactly that.
bool FromHex(std::string_view hex, Hash256* out);

inline std::string_view AsBytes(const Hash256& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

}  // namespace exemplar
