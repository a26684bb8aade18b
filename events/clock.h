// The wall clock the engine stamps events and signed heads with.
#pragma once

#include <chrono>
#include <cstdint>

namespace exemplar {

// Microseconds since the Unix epoch, UTC, from the system clock.
inline std::int64_t SystemClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace exemplar
