// MerkleObserver against a real RocksDB: the tree written in the same batch
// as the events survives a reopen, and a failed batch leaves no trace.
// Leaves are read from the events' stored records, so the tests write a
// record ending in each event's hash, as the store does.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "engine/audit/merkle_observer.h"
#include "engine/audit/rocksdb_nodes.h"
#include "engine/internal/layout.h"
#include "tests/engine/audit_test_util.h"

namespace exemplar::audit {
namespace {

using testing::FakeEventHash;
using testing::NaiveMth;

// A database with the "default", "audit" and "events" column families.
class AuditDb {
 public:
  explicit AuditDb(const std::filesystem::path& path) {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
        {layout::kAuditFamily, rocksdb::ColumnFamilyOptions()},
        {layout::kEventsFamily, rocksdb::ColumnFamilyOptions()}};
    rocksdb::DB* db = nullptr;
    status_ =
        rocksdb::DB::Open(options, path.string(), families, &handles_, &db);
    db_.reset(db);
  }
  ~AuditDb() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
  }

  const rocksdb::Status& status() const { return status_; }
  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* audit() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* events() const { return handles_[2]; }

 private:
  rocksdb::Status status_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

class MerkleObserverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("merkle-observer");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Seals events next_position_.. (count of them) through `observer`, and
  // adds their records (a body, then the hash) to `batch` in `events`.
  Status Seal(MerkleObserver* observer, int count, rocksdb::WriteBatch* batch,
              rocksdb::ColumnFamilyHandle* events) {
    std::vector<EventRecord> records(count);
    std::vector<const EventRecord*> pointers;
    for (int i = 0; i < count; ++i) {
      records[i].position = next_position_ + i;
      records[i].hash = FakeEventHash(records[i].position - 1);
      pointers.push_back(&records[i]);
      std::string stored = "body" + std::string(AsBytes(records[i].hash));
      EXPECT_TRUE(
          batch->Put(events, layout::PositionKey(records[i].position), stored)
              .ok());
    }
    return observer->OnSealed(pointers, batch);
  }

  // Seals and writes `count` events, as the store's sequencer does.
  void Commit(AuditDb* db, MerkleObserver* observer, int count) {
    rocksdb::WriteBatch batch;
    Status sealed = Seal(observer, count, &batch, db->events());
    ASSERT_TRUE(sealed.ok()) << sealed.ToString();
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE(db->db()->Write(sync, &batch).ok());
    for (int i = 0; i < count; ++i) {
      leaf_hashes_.push_back(
          LeafHash(AsBytes(FakeEventHash(next_position_ - 1))));
      ++next_position_;
    }
  }

  std::filesystem::path dir_;
  std::uint64_t next_position_ = 1;
  std::vector<Hash256> leaf_hashes_;
};

TEST_F(MerkleObserverTest, StoredTreeReopensToTheSameRoot) {
  Hash256 live_root{};
  {
    AuditDb db(dir_);
    ASSERT_TRUE(db.status().ok()) << db.status().ToString();
    Result<std::unique_ptr<MerkleObserver>> observer =
        MerkleObserver::Open(db.db(), db.audit(), db.events());
    ASSERT_TRUE(observer.ok()) << observer.status().ToString();
    EXPECT_EQ((*observer)->tree().size(), 0u);
    for (int count : {1, 2, 5, 8, 1, 30, 3}) {
      Commit(&db, observer->get(), count);
    }
    live_root = (*observer)->tree().Root();
    EXPECT_EQ(live_root, NaiveMth(leaf_hashes_, 0, leaf_hashes_.size()));
  }
  AuditDb db(dir_);
  ASSERT_TRUE(db.status().ok()) << db.status().ToString();
  Result<std::unique_ptr<MerkleObserver>> reopened =
      MerkleObserver::Open(db.db(), db.audit(), db.events());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->tree().size(), 50u);
  EXPECT_EQ((*reopened)->tree().Root(), live_root);

  RocksDbNodeSource source(db.db(), db.audit(), db.events());
  EXPECT_EQ(*source.TreeSize(), 50u);
  EXPECT_EQ(*TreeHash(source, 0, 50), live_root);
  Result<std::vector<Hash256>> proof = InclusionProof(source, 17, 50);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  EXPECT_TRUE(
      VerifyInclusion(leaf_hashes_[17], 17, 50, *proof, live_root).ok());

  Commit(&db, reopened->get(), 14);  // appending goes on after the reopen
  EXPECT_EQ((*reopened)->tree().Root(), NaiveMth(leaf_hashes_, 0, 64));
  EXPECT_EQ(*TreeHash(source, 0, 64), NaiveMth(leaf_hashes_, 0, 64));
}

TEST_F(MerkleObserverTest, AbortedBatchRollsTheFrontierBack) {
  AuditDb db(dir_);
  ASSERT_TRUE(db.status().ok());
  std::unique_ptr<MerkleObserver> observer =
      std::move(MerkleObserver::Open(db.db(), db.audit(), db.events())).value();
  Commit(&db, observer.get(), 5);
  Hash256 before = observer->tree().Root();

  rocksdb::WriteBatch abandoned;
  ASSERT_TRUE(Seal(observer.get(), 4, &abandoned, db.events()).ok());
  EXPECT_EQ(observer->tree().size(), 9u);
  observer->OnAborted();
  EXPECT_EQ(observer->tree().size(), 5u);
  EXPECT_EQ(observer->tree().Root(), before);

  Commit(&db, observer.get(), 4);  // the same positions, now written
  EXPECT_EQ(observer->tree().Root(), NaiveMth(leaf_hashes_, 0, 9));
}

TEST_F(MerkleObserverTest, OutOfOrderPositionIsRejectedAndChangesNothing) {
  AuditDb db(dir_);
  ASSERT_TRUE(db.status().ok());
  std::unique_ptr<MerkleObserver> observer =
      std::move(MerkleObserver::Open(db.db(), db.audit(), db.events())).value();
  Commit(&db, observer.get(), 3);
  Hash256 before = observer->tree().Root();

  next_position_ = 5;  // a gap: position 4 is missing
  rocksdb::WriteBatch batch;
  Status sealed = Seal(observer.get(), 2, &batch, db.events());
  EXPECT_EQ(sealed.code(), StatusCode::kInternal);
  EXPECT_EQ(observer->tree().size(), 3u);
  EXPECT_EQ(observer->tree().Root(), before);
}

TEST_F(MerkleObserverTest, TheLowestLevelsAreComputedFromTheEventsNotStored) {
  AuditDb db(dir_);
  ASSERT_TRUE(db.status().ok());
  std::unique_ptr<MerkleObserver> observer =
      std::move(MerkleObserver::Open(db.db(), db.audit(), db.events())).value();
  Commit(&db, observer.get(), 9);
  std::unique_ptr<rocksdb::Iterator> it(
      db.db()->NewIterator(rocksdb::ReadOptions(), db.audit()));
  std::vector<int> levels;
  for (it->Seek("n"); it->Valid() && it->key().starts_with("n"); it->Next()) {
    levels.push_back(it->key()[1]);
  }
  EXPECT_EQ(levels, (std::vector<int>{2, 2, 3}));  // of 9 leaves: 4+2+1 above
  RocksDbNodeSource source(db.db(), db.audit(), db.events());
  for (std::uint64_t i = 0; i < 9; ++i) {
    EXPECT_EQ(*source.Node(0, i), leaf_hashes_[i]);
  }
  for (std::uint64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(*source.Node(1, i), NaiveMth(leaf_hashes_, 2 * i, 2 * i + 2));
  }
  EXPECT_EQ(source.Node(0, 9).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(source.Node(1, 4).status().code(), StatusCode::kNotFound);
}

TEST_F(MerkleObserverTest, NodeKeysAreLevelThenBigEndianIndex) {
  std::string key = NodeKey(3, 0x0102030405060708);
  EXPECT_EQ(key, std::string("n\x03\x01\x02\x03\x04\x05\x06\x07\x08", 10));
}

}  // namespace
}  // namespace exemplar::audit
