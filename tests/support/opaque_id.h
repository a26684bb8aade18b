// Readable names for the exemplars tests create through the API, which
// takes only opaque ids from a client (engine/workflow/ids.h): the same
// name always gives the same UUID.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace exemplar::testing {

// A UUID made of `name`'s 64-bit FNV-1a hash.
inline std::string OpaqueId(std::string_view name) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : name) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8%03llx-%012llx",
                static_cast<unsigned long long>(hash >> 52),
                static_cast<unsigned long long>(hash & 0xffffffffffffull));
  return id;
}

}  // namespace exemplar::testing
