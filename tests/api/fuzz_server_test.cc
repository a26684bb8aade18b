// The whole request path fuzzed from a fixed seed: mutated requests with
// real tokens go over loopback to the real service in process (session,
// router, guard, handlers, store, rendering). No input may stop the server
// or leave it unable to answer. The libFuzzer target
// (tests/fuzz/server_fuzzer.cc, scripts/fuzz server) runs the same server
// with coverage guidance; this run, bounded in time, is what every build
// checks. EXEMPLAR_FUZZ_SECONDS changes its length (default 60).
#include "tests/support/fuzz_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tests/support/mutate.h"

namespace exemplar::testing {
namespace {

// Fragments a hostile client likes: bytes that are not UTF-8, escapes of
// them, numbers that wrap, nesting, framing that smuggles, control bytes.
const std::vector<std::string>& Dictionary() {
  static const std::vector<std::string> words = {
      "\xff",
      "\xc3\x28",
      "%FF",
      "%C3%28",
      "%00",
      "18446744073709551615",
      "4294967297",
      "-1",
      "1e309",
      std::string(200, '['),
      "{\"a\":",
      "\\u0000",
      "\\ud800",
      "\r\nTransfer-Encoding: chunked, identity",
      "\r\nContent-Length: 99999999999",
      "\r\nIf-Match: \"99999999999999999999\"",
      "\r\nIdempotency-Key: k:1",
      "\r\nX-Acting-Role: \xff",
      "\r\nLast-Event-ID: 18446744073709551615",
      "?as_of=2025-06-30",
      "?as_of_position=18446744073709551615",
      "?min_position=999999",
      "\x1b[2J",
      std::string(1, '\0'),
  };
  return words;
}

std::chrono::seconds RunLength() {
  const char* given = std::getenv("EXEMPLAR_FUZZ_SECONDS");
  return std::chrono::seconds(given ? std::atoi(given) : 60);
}

TEST(FuzzServerTest, MutatedRequestsNeverStopTheServer) {
  FuzzServer server;
  const auto seeds = FuzzServer::SeedRequests();
  // Every seed passes parsing, routing and authentication, so mutations
  // start from inside each handler, not from the guard's refusal.
  for (const std::string& seed : seeds) {
    std::string answer = server.Send(seed);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 2") ||
                answer.starts_with("HTTP/1.1 422"))
        << seed << "\n"
        << answer;
  }
  std::mt19937 random(20261202);
  const auto end = std::chrono::steady_clock::now() + RunLength();
  int sent = 0;
  while (std::chrono::steady_clock::now() < end) {
    std::string input =
        Mutate(seeds[random() % seeds.size()], random, seeds, Dictionary(), 6);
    std::string answer = server.Send(input);
    // Whatever was sent, what comes back is HTTP (or nothing, for bytes
    // that never formed a request): never a half-written crash.
    if (!answer.empty()) {
      ASSERT_TRUE(answer.starts_with("HTTP/1.")) << input << "\n" << answer;
      ASSERT_EQ(answer.find(" 500 Internal Server Error"), std::string::npos)
          << "an internal error for:\n"
          << input << "\n"
          << answer;
    }
    if (++sent % 200 == 0) {
      ASSERT_TRUE(server.Healthy()) << "after " << sent;
    }
  }
  EXPECT_TRUE(server.Healthy());
  EXPECT_GT(sent, 1000);
  std::printf("fuzzed the server with %d requests\n", sent);
}

}  // namespace
}  // namespace exemplar::testing
