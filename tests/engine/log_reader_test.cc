#include "engine/log_reader.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "tests/support/raw_db.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

using testing::RawDb;
using testing::TempDir;

class LogReaderTest : public ::testing::Test {
 protected:
  static constexpr std::uint64_t kEvents = 20;

  void SetUp() override {
    Open();
    for (std::uint64_t i = 0; i < kEvents; ++i) {
      AppendRequest request;
      request.stream_id = "stream-" + std::to_string(i % 3);
      request.events.emplace_back();
      request.events.back().type = "t";
      request.events.back().payload = std::to_string(i);
      ASSERT_TRUE(store_->Append(std::move(request)).ok());
    }
  }

  void Open() {
    auto store = EventStore::Open(dir_.str());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  // Reads everything `reader` gives in batches of `batch`; the positions
  // read, and the status that ended the reading.
  static Status ReadAll(LogReader* reader, std::size_t batch,
                        std::vector<std::uint64_t>* positions) {
    std::vector<EventRecord> events;
    while (!reader->done()) {
      Status read = reader->Next(&events, batch);
      for (const EventRecord& event : events) {
        positions->push_back(event.position);
      }
      if (!read.ok()) return read;
    }
    return Status::Ok();
  }

  TempDir dir_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(LogReaderTest, ReadsEveryEventOnceInOrderWhateverTheBatch) {
  for (std::size_t batch : {1, 3, 7, 100}) {
    LogReader reader(*store_, 1, store_->head());
    std::vector<std::uint64_t> positions;
    ASSERT_TRUE(ReadAll(&reader, batch, &positions).ok()) << batch;
    ASSERT_EQ(positions.size(), kEvents) << batch;
    for (std::uint64_t i = 0; i < kEvents; ++i) {
      EXPECT_EQ(positions[i], i + 1);
    }
    std::vector<EventRecord> none;
    EXPECT_TRUE(reader.Next(&none, batch).ok());
    EXPECT_TRUE(none.empty());
  }
}

TEST_F(LogReaderTest, ReadsARangeChainedToTheEventBeforeIt) {
  Result<EventRecord> tenth = store_->ReadEvent(10);
  ASSERT_TRUE(tenth.ok());
  LogReader reader(*store_, 5, Head{10, tenth->hash});
  std::vector<std::uint64_t> positions;
  ASSERT_TRUE(ReadAll(&reader, 4, &positions).ok());
  EXPECT_EQ(positions, (std::vector<std::uint64_t>{5, 6, 7, 8, 9, 10}));

  EventRecord record;
  LogReader one_by_one(*store_, kEvents, store_->head());
  EXPECT_EQ(*one_by_one.Next(&record), true);
  EXPECT_EQ(record.position, kEvents);
  EXPECT_EQ(*one_by_one.Next(&record), false);
}

TEST_F(LogReaderTest, AMissingEventStopsTheReadingAtItsPosition) {
  store_.reset();
  RawDb(dir_.str()).Delete(12);
  Open();
  LogReader reader(*store_, 1, store_->head());
  std::vector<std::uint64_t> positions;
  Status read = ReadAll(&reader, 5, &positions);
  EXPECT_EQ(read.code(), StatusCode::kCorruption) << read.ToString();
  EXPECT_EQ(read.number(), std::optional<std::uint64_t>(12));
  EXPECT_EQ(read.message(), "event missing from the log");
  EXPECT_EQ(positions.size(), 11u);  // every event before it
  EXPECT_TRUE(reader.done());
}

TEST_F(LogReaderTest, AnEventResealedOutOfTheChainIsNamed) {
  Result<EventRecord> record = store_->ReadEvent(7);
  ASSERT_TRUE(record.ok());
  record->prev_hash[0] ^= 0x01;
  const std::string forged = SealEventRecord(&*record);
  store_.reset();
  RawDb(dir_.str()).Put(7, forged);
  Open();
  LogReader reader(*store_, 1, store_->head());
  std::vector<std::uint64_t> positions;
  Status read = ReadAll(&reader, 100, &positions);
  EXPECT_EQ(read.number(), std::optional<std::uint64_t>(7));
  EXPECT_EQ(read.message(), "previous-hash link is broken");
}

TEST_F(LogReaderTest, ALogThatDoesNotEndAtTheHeadIsNamedAtTheHead) {
  Head head = store_->head();
  head.hash[0] ^= 0x01;
  LogReader reader(*store_, 1, head);
  std::vector<std::uint64_t> positions;
  Status read = ReadAll(&reader, 100, &positions);
  EXPECT_EQ(read.number(), std::optional<std::uint64_t>(kEvents));
  EXPECT_EQ(read.message(), "log does not end at the recorded head");
}

}  // namespace
}  // namespace exemplar
