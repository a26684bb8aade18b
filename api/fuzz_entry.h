// The fuzzing entry point: random bytes through what a hostile client
// reaches first, the HTTP request parser (with the server's limits), the
// query and JSON body readers, and the decoding of organisation commands
// from JSON. Built into a libFuzzer target with -DEXEMPLAR_FUZZ=ON (clang),
// and run by the test suite over fixed-seed inputs with a plain driver.
#pragma once

#include <cstddef>
#include <cstdint>

namespace exemplar::api {

// Must never crash, hang or leak, whatever `data` holds. Thread-compatible.
void FuzzRequestBytes(const std::uint8_t* data, std::size_t size);

}  // namespace exemplar::api
