#include "engine/side_store.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "engine/event_store.h"
#include "tests/support/raw_db.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

using testing::RawDb;
using testing::TempDir;

class SideStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto store = EventStore::Open(dir_.str());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  SideStore& side() { return store_->side_store(); }

  void Put(SideSpace space, const std::string& key, const std::string& value,
           Durability durability = Durability::kBuffered) {
    SideStore::Batch batch = side().NewBatch();
    batch.Put(space, key, value);
    ASSERT_TRUE(side().Write(&batch, durability).ok());
    EXPECT_TRUE(batch.empty());
  }

  std::map<std::string, std::string> ScanAll(SideSpace space,
                                             const std::string& begin = "",
                                             const std::string& end = "") {
    std::map<std::string, std::string> seen;
    EXPECT_TRUE(side()
                    .Scan(space, begin, end,
                          [&](std::string_view key, std::string_view value) {
                            seen.emplace(key, value);
                            return true;
                          })
                    .ok());
    return seen;
  }

  TempDir dir_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(SideStoreTest, SpacesSharingAFamilyNeverSeeEachOthersKeys) {
  Put(SideSpace::kRelayCheckpoints, "orders/checkpoint", "r");
  Put(SideSpace::kProjectionCheckpoints, "ledger", "p");
  // The store's own head and format keys share the meta family too.
  AppendRequest request;
  request.stream_id = "s";
  request.events.emplace_back();
  request.events.back().type = "t";
  ASSERT_TRUE(store_->Append(std::move(request)).ok());

  EXPECT_EQ(ScanAll(SideSpace::kRelayCheckpoints),
            (std::map<std::string, std::string>{{"orders/checkpoint", "r"}}));
  EXPECT_EQ(ScanAll(SideSpace::kProjectionCheckpoints),
            (std::map<std::string, std::string>{{"ledger", "p"}}));
  EXPECT_FALSE(side().Get(SideSpace::kRelayCheckpoints, "ledger")->has_value());
  EXPECT_EQ(**side().Get(SideSpace::kProjectionCheckpoints, "ledger"), "p");
}

TEST_F(SideStoreTest, KeysKeepTheBytesExistingStoresHold) {
  Put(SideSpace::kRelayCheckpoints, "orders/checkpoint", "r",
      Durability::kSynced);
  Put(SideSpace::kProjectionCheckpoints, "ledger", "p");
  Put(SideSpace::kProjectionRows, std::string("ledger\0k", 8), "row");
  Put(SideSpace::kSignedHeads, EncodePosition(7), "head");
  store_.reset();

  RawDb raw(dir_.str());
  EXPECT_EQ(raw.Find("meta", "relay/orders/checkpoint"), "r");
  EXPECT_EQ(raw.Find("meta", std::string("projection_checkpoint\0ledger", 28)),
            "p");
  EXPECT_EQ(raw.Find("projections", std::string("ledger\0k", 8)), "row");
  EXPECT_EQ(raw.Find("audit", "h" + EncodePosition(7)), "head");
}

TEST_F(SideStoreTest, ScanStopsAtTheEndOfItsRangeAndWhenTold) {
  for (const char* key : {"a\0"
                          "1",
                          "a\0"
                          "2",
                          "b\0"
                          "1"}) {
    Put(SideSpace::kProjectionRows, std::string(key, 3), "v");
  }
  EXPECT_EQ(
      ScanAll(SideSpace::kProjectionRows, std::string("a\0", 2), "a\1").size(),
      2u);
  EXPECT_EQ(ScanAll(SideSpace::kProjectionRows,
                    std::string("a\0"
                                "2",
                                3),
                    "")
                .size(),
            2u);
  int visited = 0;
  ASSERT_TRUE(side()
                  .Scan(SideSpace::kProjectionRows, "", "",
                        [&](std::string_view, std::string_view) {
                          return ++visited < 2;
                        })
                  .ok());
  EXPECT_EQ(visited, 2);
}

// Passwords share the family "meta" with the relay's checkpoints, whose
// keys sort right after theirs: a backward scan from the end of one space
// starts at its own greatest key.
TEST_F(SideStoreTest, ScanBackwardVisitsItsRangeInReverseWithinItsSpace) {
  for (const char* key : {"a1", "a2", "a3", "b1"}) {
    Put(SideSpace::kPasswords, key, "v");
  }
  Put(SideSpace::kRelayCheckpoints, "a", "another space");
  std::vector<std::string> keys;
  auto collect = [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return true;
  };
  ASSERT_TRUE(
      side().ScanBackward(SideSpace::kPasswords, "a", "a3", collect).ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"a2", "a1"}));
  keys.clear();
  ASSERT_TRUE(
      side().ScanBackward(SideSpace::kPasswords, "a2", "", collect).ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"b1", "a3", "a2"}));
  int visited = 0;
  ASSERT_TRUE(side()
                  .ScanBackward(SideSpace::kPasswords, "", "",
                                [&](std::string_view, std::string_view) {
                                  return ++visited < 2;
                                })
                  .ok());
  EXPECT_EQ(visited, 2);
}

TEST_F(SideStoreTest, LastIsTheGreatestKeyOfItsSpaceOnly) {
  EXPECT_FALSE(side().Last(SideSpace::kSignedHeads)->has_value());
  // Four events store Merkle nodes and the tree size in the audit family.
  for (int i = 0; i < 4; ++i) {
    AppendRequest request;
    request.stream_id = "s";
    request.events.emplace_back();
    request.events.back().type = "t";
    ASSERT_TRUE(store_->Append(std::move(request)).ok());
  }
  EXPECT_FALSE(side().Last(SideSpace::kSignedHeads)->has_value());
  Put(SideSpace::kSignedHeads, EncodePosition(2), "two");
  Put(SideSpace::kSignedHeads, EncodePosition(300), "three hundred");
  Put(SideSpace::kSignedHeads, EncodePosition(5), "five");
  auto last = side().Last(SideSpace::kSignedHeads);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ(DecodePosition((*last)->first), 300u);
  EXPECT_EQ((*last)->second, "three hundred");
}

TEST_F(SideStoreTest, ABatchIsWrittenWholeAndSurvivesAReopen) {
  SideStore::Batch batch = side().NewBatch();
  batch.Put(SideSpace::kProjectionRows,
            std::string("x\0"
                        "1",
                        3),
            "1");
  batch.Put(SideSpace::kProjectionRows,
            std::string("x\0"
                        "2",
                        3),
            "2");
  batch.Put(SideSpace::kProjectionCheckpoints, "x", EncodePosition(9));
  EXPECT_FALSE(batch.empty());
  EXPECT_TRUE(ScanAll(SideSpace::kProjectionRows).empty());
  ASSERT_TRUE(side().Write(&batch, Durability::kBuffered).ok());
  Reopen();
  EXPECT_EQ(ScanAll(SideSpace::kProjectionRows).size(), 2u);
  EXPECT_EQ(
      DecodePosition(**side().Get(SideSpace::kProjectionCheckpoints, "x")), 9u);

  batch = side().NewBatch();
  batch.DeleteRange(SideSpace::kProjectionRows, std::string("x\0", 2), "x\1");
  batch.Delete(SideSpace::kProjectionCheckpoints, "x");
  ASSERT_TRUE(side().Write(&batch, Durability::kSynced).ok());
  ASSERT_TRUE(side()
                  .Flush({SideSpace::kProjectionRows,
                          SideSpace::kProjectionCheckpoints})
                  .ok());
  Reopen();
  EXPECT_TRUE(ScanAll(SideSpace::kProjectionRows).empty());
  EXPECT_FALSE(side().Get(SideSpace::kProjectionCheckpoints, "x")->has_value());
}

}  // namespace
}  // namespace exemplar
