// Fixed-width big-endian integers for audit keys and signed bytes, so that
// keys sort by number and encodings do not depend on the host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace exemplar::audit {

// Appends the 8 big-endian bytes of `value` to `out`.
inline void AppendBigEndian64(std::uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

// Reads 8 big-endian bytes from the start of `bytes`, which must hold at
// least 8.
inline std::uint64_t ReadBigEndian64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = value << 8 | static_cast<std::uint8_t>(bytes[i]);
  }
  return value;
}

}  // namespace exemplar::audit
