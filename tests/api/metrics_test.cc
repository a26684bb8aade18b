#include "api/metrics.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "api/process_metrics.h"

namespace exemplar::api {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MetricsTest, ALabelledFamilyHasOneTypeLineAndASampleForEachValue) {
  Metrics metrics;
  metrics.RegisterFamily("exemplar_things", "gauge", "Things.", "kind", [] {
    return std::vector<Metrics::LabelledValue>{{"a", 1}, {"b\"c", 2}};
  });
  const std::string text = metrics.Render();
  EXPECT_TRUE(Has(text,
                  "# TYPE exemplar_things gauge\n"
                  "exemplar_things{kind=\"a\"} 1\n"
                  "exemplar_things{kind=\"b\\\"c\"} 2\n"))
      << text;
}

TEST(MetricsTest, EachSyncedBatchIsCountedAndItsWriteTimedInBuckets) {
  Metrics metrics;
  metrics.RecordSyncedBatch({3, std::chrono::microseconds(700)});
  metrics.RecordSyncedBatch({2, std::chrono::milliseconds(30)});
  const std::string text = metrics.Render();
  EXPECT_TRUE(Has(text, "exemplar_store_appended_events_total 5\n")) << text;
  EXPECT_TRUE(Has(text, "# TYPE exemplar_fsync_seconds histogram\n"));
  EXPECT_TRUE(Has(text, "exemplar_fsync_seconds_bucket{le=\"0.0005\"} 0\n"));
  EXPECT_TRUE(Has(text, "exemplar_fsync_seconds_bucket{le=\"0.001\"} 1\n"));
  EXPECT_TRUE(Has(text, "exemplar_fsync_seconds_bucket{le=\"0.05\"} 2\n"));
  EXPECT_TRUE(Has(text, "exemplar_fsync_seconds_count 2\n"));
  EXPECT_TRUE(Has(text, "exemplar_fsync_seconds_sum 0.030")) << text;
}

TEST(ProcessMetricsTest, FiguresComeFromThisProcess) {
  auto stats = ReadProcessStats();
  ASSERT_TRUE(stats);
  EXPECT_GT(stats->resident_bytes, 1 << 20);
  EXPECT_GE(stats->cpu_seconds, 0);
  const double now = static_cast<double>(time(nullptr));
  EXPECT_GT(stats->start_time_seconds, now - 3600);
  EXPECT_LT(stats->start_time_seconds, now + 5);

  auto before = CountOpenFds();
  ASSERT_TRUE(before);
  int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(CountOpenFds(), *before + 1);
  close(fd);
}

}  // namespace
}  // namespace exemplar::api
