// The fuzz entry point over fixed-seed inputs, so every build (g++ too) runs
// what the libFuzzer target runs: valid requests, each mutated byte by byte,
// truncated and spliced, must all pass without a crash.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "api/fuzz_entry.h"
#include "tests/support/mutate.h"

namespace exemplar::api {
namespace {

const std::vector<std::string>& Seeds() {
  static const std::vector<std::string> seeds = {
      "POST /v1/units HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 71\r\n\r\n"
      R"({"unit_id":"kh","name":"Tỉnh Khánh Hòa","level":"province","parent_id":""})",
      "POST /v1/users/u/grants?x=%41&y HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "1a\r\n{\"role\":\"admin\",\"unit_id\":\r\n5\r\n\"vn\"}\r\n0\r\n\r\n",
      "GET /v1/events?from=1&limit=10 HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /v1/campaigns HTTP/1.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 96\r\n\r\n"
      R"({"campaign_id":"c","name":"n","unit_id":"kh","period_start":"2025-01-01","period_end":"2025-13-01"})",
  };
  return seeds;
}

void Feed(const std::string& bytes) {
  FuzzRequestBytes(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                   bytes.size());
}

TEST(FuzzRequestTest, MutatedRequestsNeverCrashTheParsers) {
  std::mt19937 random(20260611);
  int runs = 0;
  for (const std::string& seed : Seeds()) {
    Feed(seed);
    for (int i = 0; i < 3000; ++i) {
      Feed(testing::Mutate(seed, random, Seeds()));
      ++runs;
    }
  }
  EXPECT_EQ(runs, 3000 * static_cast<int>(Seeds().size()));
}

}  // namespace
}  // namespace exemplar::api
