// GET /metrics of the real binary as Prometheus reads it: families and their
// types, counters named `_total`, labelled families, the process metrics
// and the fsync latency histogram.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/server_process.h"

namespace exemplar::testing {
namespace {

using boost::beast::http::verb;

// One scrape: each family's type, and each sample ("name{labels}") with its
// value.
struct Scrape {
  std::map<std::string, std::string> types;
  std::map<std::string, double> samples;

  double at(const std::string& sample) const {
    auto found = samples.find(sample);
    EXPECT_NE(found, samples.end()) << sample;
    return found == samples.end() ? -1 : found->second;
  }
  // The values of family `name`'s label `label`.
  std::set<std::string> LabelValues(const std::string& name,
                                    const std::string& label) const {
    std::set<std::string> values;
    const std::string prefix = name + "{" + label + "=\"";
    for (const auto& [sample, value] : samples) {
      if (sample.rfind(prefix, 0) == 0) {
        values.insert(sample.substr(
            prefix.size(), sample.find('"', prefix.size()) - prefix.size()));
      }
    }
    return values;
  }
};

Scrape ScrapeMetrics(ServerProcess& server) {
  HttpReply reply = server.Request(verb::get, "/metrics");
  EXPECT_EQ(reply.status, 200);
  Scrape scrape;
  std::istringstream lines(reply.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      EXPECT_EQ(scrape.types.count(name), 0u) << "family twice: " << name;
      scrape.types[name] = type;
    } else if (!line.empty() && line[0] != '#') {
      const std::size_t space = line.rfind(' ');
      scrape.samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
  }
  return scrape;
}

TEST(MetricsTest, FamiliesAreNamedAndTypedAsPrometheusExpects) {
  TempDir dir;
  ServerProcess server(dir.str());
  Scrape scrape = ScrapeMetrics(server);

  for (const auto& [name, type] : scrape.types) {
    if (type == "counter") {
      EXPECT_TRUE(name.size() > 6 && name.substr(name.size() - 6) == "_total")
          << "counter without _total: " << name;
    }
    EXPECT_EQ(name.find("exemplar_projection_lag_events_"), std::string::npos)
        << "a family per projection: " << name;
  }
  EXPECT_EQ(scrape.types["exemplar_http_requests_total"], "counter");
  EXPECT_EQ(scrape.types["exemplar_store_appended_events_total"], "counter");
  EXPECT_EQ(scrape.types["exemplar_log_head_position"], "gauge");
  EXPECT_EQ(scrape.types["exemplar_fsync_seconds"], "histogram");
  EXPECT_EQ(scrape.types["exemplar_store_batch_events"], "histogram");

  const std::set<std::string> projections = {"authority",   "exemplars",
                                             "ledger",      "unit_records",
                                             "propagation", "timeline"};
  EXPECT_EQ(scrape.types["exemplar_projection_lag_events"], "gauge");
  EXPECT_EQ(scrape.LabelValues("exemplar_projection_lag_events", "projection"),
            projections);
  EXPECT_EQ(scrape.types["exemplar_projection_position"], "gauge");
  EXPECT_EQ(scrape.LabelValues("exemplar_projection_position", "projection"),
            projections);

  EXPECT_EQ(scrape.types["process_cpu_seconds_total"], "counter");
  EXPECT_EQ(scrape.types["process_resident_memory_bytes"], "gauge");
  EXPECT_EQ(scrape.types["process_open_fds"], "gauge");
  EXPECT_EQ(scrape.types["process_start_time_seconds"], "gauge");
  EXPECT_GE(scrape.at("process_cpu_seconds_total"), 0);
  EXPECT_GT(scrape.at("process_resident_memory_bytes"), 1 << 20);
  EXPECT_GT(scrape.at("process_open_fds"), 3);
  const double now = std::chrono::duration<double>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  EXPECT_GT(scrape.at("process_start_time_seconds"), now - 600);
  EXPECT_LT(scrape.at("process_start_time_seconds"), now + 5);
}

TEST(MetricsTest, ACommandsGroupCommitIsTimedInTheFsyncHistogram) {
  TempDir dir;
  ServerProcess server(dir.str());
  Scrape before = ScrapeMetrics(server);
  const double fsyncs = before.at("exemplar_fsync_seconds_count");
  EXPECT_GT(fsyncs, 0) << "the first start's bootstrap was synced";
  EXPECT_EQ(before.at("exemplar_fsync_seconds_bucket{le=\"+Inf\"}"), fsyncs);

  HttpReply created = server.Request(verb::post, "/v1/units",
                                     nlohmann::json{{"unit_id", "kh"},
                                                    {"name", "Tỉnh Khánh Hòa"},
                                                    {"level", "province"},
                                                    {"parent_id", "vn"}}
                                         .dump());
  ASSERT_LT(created.status, 300) << created.body;
  Scrape after = ScrapeMetrics(server);
  EXPECT_EQ(after.at("exemplar_fsync_seconds_count"), fsyncs + 1);
  EXPECT_GT(after.at("exemplar_fsync_seconds_sum"),
            before.at("exemplar_fsync_seconds_sum"));
  EXPECT_EQ(after.at("exemplar_store_appended_events_total"),
            before.at("exemplar_store_appended_events_total") + 1);
  EXPECT_EQ(after.at("exemplar_log_head_position"),
            before.at("exemplar_log_head_position") + 1);
}

}  // namespace
}  // namespace exemplar::testing
