// The raw RocksDB database of a closed store, opened behind the store's back
// so that tests can tamper with what it holds.
#pragma once

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/keys.h"

namespace exemplar::testing {

class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name :
         {"default", keys::kEventsFamily, keys::kStreamsFamily,
          keys::kIdempotencyFamily, keys::kAuditFamily,
          keys::kProjectionsFamily, keys::kMetaFamily}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* db = nullptr;
    EXPECT_TRUE(rocksdb::DB::Open({}, path, families, &handles_, &db).ok());
    db_.reset(db);
  }
  ~RawDb() {
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* events() { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* streams() { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* meta() { return handles_[6]; }

  // The stored bytes of the event at `position`.
  std::string Get(std::uint64_t position) {
    std::string value;
    EXPECT_TRUE(
        db_->Get({}, events(), keys::PositionKey(position), &value).ok());
    return value;
  }
  // Replaces the stored bytes of the event at `position`.
  void Put(std::uint64_t position, const std::string& value) {
    EXPECT_TRUE(
        db_->Put({}, events(), keys::PositionKey(position), value).ok());
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace exemplar::testing
