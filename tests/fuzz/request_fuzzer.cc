// libFuzzer target (-DEXEMPLAR_FUZZ=ON with clang): see api/fuzz_entry.h.
#include <cstddef>
#include <cstdint>

#include "api/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  exemplar::api::FuzzRequestBytes(data, size);
  return 0;
}
