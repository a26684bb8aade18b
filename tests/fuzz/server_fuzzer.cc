// libFuzzer target (-DEXEMPLAR_FUZZ=ON with clang, `scripts/fuzz server`):
// each input goes, as raw bytes on a new loopback connection, to the whole
// service in process (tests/support/fuzz_server.h), with real tokens in the
// seeds. A crash, a sanitizer report or an input after which the server no
// longer answers is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tests/support/fuzz_server.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static exemplar::testing::FuzzServer server;
  static int inputs = 0;
  server.Send(std::string_view(reinterpret_cast<const char*>(data), size));
  if (++inputs % 100 == 0 && !server.Healthy()) std::abort();
  return 0;
}
