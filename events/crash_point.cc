#include "events/crash_point.h"

#include <cstdlib>
#include <string>

namespace exemplar {

void CrashPoint(std::string_view name) {
  static const std::string armed = [] {
    const char* value = std::getenv("EXEMPLAR_TEST_CRASH_AT");
    return std::string(value == nullptr ? "" : value);
  }();
  if (!armed.empty() && armed == name) std::_Exit(kCrashPointExitCode);
}

}  // namespace exemplar
