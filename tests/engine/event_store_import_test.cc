// The import path (EventStore::AppendSealed), the read-only follower and
// checkpoints: what export, import and backup are built on.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "engine/audit/verify.h"
#include "engine/event_store.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

using testing::TempDir;

NewEvent MakeEvent(const std::string& type, const std::string& payload) {
  NewEvent event;
  event.type = type;
  event.payload = payload;
  event.actor = {"u-lan", "reporter", "unit-hanoi"};
  event.reason = "nộp hồ sơ";
  return event;
}

AppendRequest MakeRequest(const std::string& stream, int events,
                          const std::string& key = {}) {
  AppendRequest request;
  request.stream_id = stream;
  request.idempotency_key = key;
  for (int i = 0; i < events; ++i) {
    request.events.push_back(
        MakeEvent("recorded", stream + " event " + std::to_string(i)));
  }
  return request;
}

std::vector<EventRecord> ReadWholeLog(const EventStore& store) {
  return store.ReadAll(1, 1u << 20).value().events;
}

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = EventStore::Open(source_dir_.str()).value();
    // Streams interleaved; multi-event appends with and without keys.
    for (int i = 0; i < 6; ++i) {
      std::string stream = "exemplar-" + std::to_string(i % 3);
      std::string key = i % 2 ? "key-" + std::to_string(i) : "";
      ASSERT_TRUE(source_->Append(MakeRequest(stream, 1 + i % 3, key)).ok());
    }
    records_ = ReadWholeLog(*source_);
    target_ = EventStore::Open(target_dir_.str()).value();
  }

  // Expects AppendSealed to refuse `records` at `position` and write nothing.
  void ExpectRefusedAt(std::vector<EventRecord> records,
                       std::uint64_t position) {
    Status status = target_->AppendSealed(std::move(records));
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    EXPECT_EQ(status.number(), std::optional<std::uint64_t>(position))
        << status.ToString();
    EXPECT_EQ(target_->head().position, 0u);
    EXPECT_TRUE(ReadWholeLog(*target_).empty());
  }

  TempDir source_dir_, target_dir_;
  std::unique_ptr<EventStore> source_, target_;
  std::vector<EventRecord> records_;
};

TEST_F(ImportTest, SealedRecordsReproduceHashesIndexesAndMerkleRoot) {
  // Two calls, split between two appends.
  std::vector<EventRecord> first(records_.begin(), records_.begin() + 3);
  std::vector<EventRecord> rest(records_.begin() + 3, records_.end());
  ASSERT_TRUE(target_->AppendSealed(first).ok());
  ASSERT_TRUE(target_->AppendSealed(rest).ok());

  EXPECT_EQ(ReadWholeLog(*target_), records_);
  auto source_report = audit::VerifyStore(*source_, std::nullopt);
  auto target_report = audit::VerifyStore(*target_, std::nullopt);
  ASSERT_TRUE(target_report.ok()) << target_report.status().ToString();
  EXPECT_EQ(target_report->root, source_report->root);
  for (const char* stream : {"exemplar-0", "exemplar-1", "exemplar-2"}) {
    EXPECT_EQ(target_->StreamVersion(stream).value(),
              source_->StreamVersion(stream).value());
  }
  // The idempotency index holds the original request's digest: a retry of
  // it is recognised, and another request under its key is refused.
  auto retry = target_->Append(MakeRequest("exemplar-1", 2, "key-1"));
  ASSERT_TRUE(retry.ok()) << retry.status().ToString();
  EXPECT_TRUE(retry->deduplicated);
  EXPECT_EQ(retry->first_position, 2u);
  auto reused = target_->Append(MakeRequest("exemplar-1", 1, "key-1"));
  EXPECT_EQ(reused.status().code(), StatusCode::kIdempotencyReused);
  // And the log goes on from the imported head.
  auto next = target_->Append(MakeRequest("exemplar-0", 1));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->first_position, records_.size() + 1);
}

TEST_F(ImportTest, RecordsThatDoNotStartAtTheHeadAreRefused) {
  ExpectRefusedAt({records_.begin() + 1, records_.end()}, 2);
}

TEST_F(ImportTest, GapIsRefusedAtThePositionAfterIt) {
  std::vector<EventRecord> records = records_;
  records.erase(records.begin() + 3);
  ExpectRefusedAt(records, 5);
}

TEST_F(ImportTest, BrokenChainIsRefused) {
  std::vector<EventRecord> records = records_;
  records[4].prev_hash[0] ^= 1;
  SealEventRecord(&records[4]);  // its own hash matches its fields
  ExpectRefusedAt(records, 5);
}

TEST_F(ImportTest, ChangedFieldIsRefusedAsAHashMismatch) {
  std::vector<EventRecord> records = records_;
  records[2].payload[0] ^= 1;
  ExpectRefusedAt(records, 3);
}

TEST_F(ImportTest, StreamVersionJumpIsRefused) {
  std::vector<EventRecord> records = records_;
  records[3].stream_version += 1;
  SealEventRecord(&records[3]);
  for (size_t i = 4; i < records.size(); ++i) {
    records[i].prev_hash = records[i - 1].hash;
    SealEventRecord(&records[i]);
  }
  ExpectRefusedAt(records, 4);
}

TEST_F(ImportTest, KeyAlreadyInTheStoreIsRefused) {
  // Positions 2-3 carry key-1; importing them again after the first six
  // would need them at new positions with the same key.
  ASSERT_TRUE(target_->AppendSealed(records_).ok());
  std::vector<EventRecord> again = {records_[1]};
  again[0].position = records_.size() + 1;
  again[0].stream_version = records_.back().stream_version + 1;
  again[0].stream_id = records_.back().stream_id;
  again[0].prev_hash = records_.back().hash;
  SealEventRecord(&again[0]);
  Status status = target_->AppendSealed(again);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_EQ(status.number(), std::optional<std::uint64_t>(again[0].position));
}

TEST(ReadOnlyStoreTest, FollowsAWriterAndRefusesAppends) {
  TempDir dir;
  auto writer = EventStore::Open(dir.str()).value();
  ASSERT_TRUE(writer->Append(MakeRequest("s", 3)).ok());
  StoreOptions options;
  options.read_only = true;
  auto reader = EventStore::Open(dir.str(), options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->head().position, 3u);
  EXPECT_EQ(ReadWholeLog(**reader), ReadWholeLog(*writer));
  EXPECT_EQ((*reader)->Append(MakeRequest("s", 1)).status().code(),
            StatusCode::kUnavailable);
}

TEST(ReadOnlyStoreTest, MissingStoreIsNotFound) {
  TempDir dir;
  StoreOptions options;
  options.read_only = true;
  auto reader = EventStore::Open(dir.str() + "/none", options);
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
}

TEST(CheckpointTest, FollowerCopyTakenDuringAppendsVerifies) {
  TempDir dir, copies;
  auto writer = EventStore::Open(dir.str()).value();
  std::atomic<bool> done{false};
  std::thread appender([&] {
    for (int i = 0; !done || i < 50; ++i) {
      ASSERT_TRUE(
          writer->Append(MakeRequest("s-" + std::to_string(i % 7), 2)).ok());
    }
  });
  StoreOptions follower;
  follower.read_only = true;
  for (int copy = 0; copy < 3; ++copy) {
    std::string dest = copies.str() + "/copy-" + std::to_string(copy);
    {
      auto reader = EventStore::Open(dir.str(), follower).value();
      ASSERT_TRUE(reader->Checkpoint(dest).ok());
    }
    StoreOptions existing;
    existing.create_if_missing = false;
    auto copied = EventStore::Open(dest, existing);
    ASSERT_TRUE(copied.ok()) << copied.status().ToString();
    auto report = audit::VerifyStore(**copied, std::nullopt);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
  }
  done = true;
  appender.join();
}

}  // namespace
}  // namespace exemplar
