// Damages a file's bytes in place, as a failing disk would. For tests of
// what the store and its tools say about damaged table files.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace exemplar::testing {

// Inverts `count` bytes of `path` from `offset` (inside a table file's
// first data block for small offsets).
inline void DamageBytes(const std::string& path, std::streamoff offset = 16,
                        std::streamsize count = 16) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(file) << "cannot open " << path;
  std::string bytes(count, '\0');
  file.seekg(offset);
  ASSERT_TRUE(file.read(bytes.data(), count)) << path << " is too short";
  for (char& byte : bytes) byte = static_cast<char>(~byte);
  file.seekp(offset);
  ASSERT_TRUE(file.write(bytes.data(), count));
}

}  // namespace exemplar::testing
