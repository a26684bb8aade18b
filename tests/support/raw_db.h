// The raw RocksDB database of a closed store, opened behind the store's back
// so that tests can tamper with what it holds, or check the bytes it keeps.
// The one file outside engine/ that may see the store's private layout
// (engine/internal/layout.h; tests/check_private_includes.cmake).
#pragma once

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/internal/layout.h"

namespace exemplar::testing {

class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", layout::kEventsFamily,
                             layout::kStreamsFamily, layout::kIdempotencyFamily,
                             layout::kAuditFamily, layout::kProjectionsFamily,
                             layout::kMetaFamily, layout::kVaultFamily}) {
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

  // The bytes under `key` in family `family`; nullopt when absent.
  std::optional<std::string> Find(const std::string& family,
                                  std::string_view key) {
    std::string value;
    rocksdb::Status s = db_->Get({}, Family(family), key, &value);
    EXPECT_TRUE(s.ok() || s.IsNotFound()) << s.ToString();
    if (!s.ok()) return std::nullopt;
    return value;
  }

  // The stored bytes of the event at `position`.
  std::string Get(std::uint64_t position) {
    std::string value;
    EXPECT_TRUE(
        db_->Get({}, events(), layout::PositionKey(position), &value).ok());
    return value;
  }
  // Removes the event at `position`.
  void Delete(std::uint64_t position) {
    EXPECT_TRUE(db_->Delete({}, events(), layout::PositionKey(position)).ok());
  }
  // Writes `value` under `key` in family `family`.
  void PutIn(const std::string& family, std::string_view key,
             std::string_view value) {
    EXPECT_TRUE(db_->Put({}, Family(family), key, value).ok());
  }
  // Removes `key` from family `family`.
  void DeleteIn(const std::string& family, std::string_view key) {
    EXPECT_TRUE(db_->Delete({}, Family(family), key).ok());
  }
  // The paths of the live table files of family `family`.
  std::vector<std::string> TableFiles(const std::string& family) {
    std::vector<rocksdb::LiveFileMetaData> files;
    db_->GetLiveFilesMetaData(&files);
    std::vector<std::string> paths;
    for (const rocksdb::LiveFileMetaData& file : files) {
      if (file.column_family_name == family) {
        paths.push_back(file.db_path + file.name);
      }
    }
    return paths;
  }
  // Replaces the stored bytes of the event at `position`.
  void Put(std::uint64_t position, const std::string& value) {
    EXPECT_TRUE(
        db_->Put({}, events(), layout::PositionKey(position), value).ok());
  }

 private:
  rocksdb::ColumnFamilyHandle* events() { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* Family(const std::string& name) {
    for (auto* handle : handles_) {
      if (handle->GetName() == name) return handle;
    }
    ADD_FAILURE() << "no family " << name;
    return handles_[0];
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace exemplar::testing
