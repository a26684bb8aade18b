// The rebuild's read-ahead of the log: every event handed over once, in
// order, whatever the batch size; and a missing, tampered or unchained
// event stopping the rebuild at its position, never folded.
#include "projections/log_scan.h"

#include <chrono>
#include <functional>
#include <thread>

#include "tests/projections/projection_fixture.h"
#include "tests/support/raw_db.h"

namespace exemplar::testing {
namespace {

using projections::LogScan;
using projections::Projections;
using projections::ScannedEvent;

class LogScanTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    for (int i = 0; i < 5; ++i) {
      const std::string id = "scan" + std::to_string(i);
      Detect(id, "Hộ số " + std::to_string(i), At(2024, 4, 1) + i * kHour);
      AdvanceTo(id, "approved", At(2024, 4, 2) + i * kHour);
    }
  }

  // Changes the stored log behind the store's back (which has no path to
  // change an event), as damage on disk would, with the store closed.
  void Tamper(const std::function<void(RawDb&)>& change) {
    CloseStore();
    {
      RawDb raw(dir_.str());
      change(raw);
    }
    OpenStore();
  }

  // Rebuilds and expects it to stop with kCorruption at `position`.
  void ExpectRebuildStopsAt(std::uint64_t position) {
    Status rebuilt = Projections::Rebuild(store_.get(), &DefaultDefinition(),
                                          {}, SmallBatches());
    EXPECT_EQ(rebuilt.code(), StatusCode::kCorruption) << rebuilt.ToString();
    EXPECT_EQ(rebuilt.number(), position) << rebuilt.ToString();
    Result<std::map<std::string, std::uint64_t>> checkpoints =
        projections::ReadCheckpoints(*store_);
    ASSERT_TRUE(checkpoints.ok());
    for (const auto& [name, checkpoint] : *checkpoints) {
      EXPECT_LT(checkpoint, position) << name;
    }
  }

  static projections::ProjectionsOptions SmallBatches() {
    projections::ProjectionsOptions options;
    options.rebuild_batch_events = 7;
    return options;
  }
};

TEST_F(LogScanTest, HandsOverEveryEventOnceInOrderWhateverTheBatchSize) {
  const Head head = store_->head();
  for (std::size_t batch_events : {1, 7, 4096}) {
    LogScan scan(*store_, head,
                 {.batch_events = batch_events, .batches_ahead = 2});
    std::uint64_t expected = 1;
    for (;;) {
      Result<std::span<const ScannedEvent>> events = scan.Next();
      ASSERT_TRUE(events.ok()) << events.status().ToString();
      if (events->empty()) break;
      EXPECT_LE(events->size(), batch_events);
      for (const ScannedEvent& event : *events) {
        EXPECT_EQ(event.record.position, expected++);
      }
    }
    EXPECT_EQ(expected, head.position + 1) << batch_events;
  }
}

// What the reading thread prepares ahead of the fold is done before the
// event is handed over, to every event whose payload it decoded ahead, and
// the consumer gets the event as prepared.
TEST_F(LogScanTest, PreparesAheadEveryEventItDecodedBeforeHandingItOver) {
  LogScan scan(*store_, store_->head(),
               {.batch_events = 3,
                .batches_ahead = 2,
                .prepare_ahead = [&](ScannedEvent* event) {
                  EXPECT_TRUE(event->workflow_decoded);
                  event->workflow.action = "prepared";
                }});
  int decoded = 0;
  for (;;) {
    Result<std::span<const ScannedEvent>> events = scan.Next();
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    if (events->empty()) break;
    for (const ScannedEvent& event : *events) {
      if (!event.workflow_decoded) continue;
      EXPECT_EQ(event.workflow.action, "prepared") << event.record.position;
      ++decoded;
    }
    // A consumer slower than the reader: it decodes ahead.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(decoded, 0);
}

TEST_F(LogScanTest, StoppingEarlyLeavesNothingRunning) {
  LogScan scan(*store_, store_->head(), {.batch_events = 1});
  Result<std::span<const ScannedEvent>> first = scan.Next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 1u);
  // The destructor stops the reader while it waits for room.
}

TEST_F(LogScanTest, RebuildStopsAtAMissingEvent) {
  const std::uint64_t missing = store_->head().position - 3;
  Tamper([&](RawDb& raw) { raw.Delete(missing); });
  ExpectRebuildStopsAt(missing);
}

TEST_F(LogScanTest, RebuildStopsAtAnEventWhoseBytesChanged) {
  const std::uint64_t tampered = store_->head().position / 2;
  Tamper([&](RawDb& raw) {
    std::string bytes = raw.Get(tampered);
    bytes[bytes.size() / 2] ^= 0x01;
    raw.Put(tampered, bytes);
  });
  ExpectRebuildStopsAt(tampered);
}

TEST_F(LogScanTest, RebuildStopsAtAnEventOutsideTheChain) {
  // Resealed with a different previous hash: its own hash matches its
  // bytes, but it does not follow the event before it.
  const std::uint64_t forged = store_->head().position / 3;
  Result<EventRecord> record = store_->ReadEvent(forged);
  ASSERT_TRUE(record.ok());
  record->prev_hash[0] ^= 0x01;
  Tamper([&](RawDb& raw) { raw.Put(forged, SealEventRecord(&*record)); });
  ExpectRebuildStopsAt(forged);
}

}  // namespace
}  // namespace exemplar::testing
