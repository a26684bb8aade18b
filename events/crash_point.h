// Crash points: places where a test may end the process as a power cut
// would, to prove what the next start recovers. A point fires when the
// environment variable EXEMPLAR_TEST_CRASH_AT names it: the process ends
// at once (std::_Exit with kCrashPointExitCode), with no destructor, flush
// or reply, so only what was synced survives. Unset, a point costs a
// comparison with an empty string.
//
// Thread safety: thread-safe.
#pragma once

#include <string_view>

namespace exemplar {

// The exit status of a process a crash point ended.
inline constexpr int kCrashPointExitCode = 86;

// Ends the process when EXEMPLAR_TEST_CRASH_AT is `name`.
void CrashPoint(std::string_view name);

}  // namespace exemplar
