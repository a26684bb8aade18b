#include "engine/internal/storage_fault.h"

#include <optional>
#include <regex>
#include <string_view>
#include <vector>

#include "engine/internal/layout.h"

namespace exemplar {
namespace {

// What each column family holds (docs/architecture.md, "Storage layout").
std::string_view FamilyHolds(std::string_view family) {
  if (family == layout::kEventsFamily) return "the log's events";
  if (family == layout::kStreamsFamily) return "the stream index";
  if (family == layout::kIdempotencyFamily) return "the idempotency index";
  if (family == layout::kAuditFamily) {
    return "the Merkle tree's nodes and the signed tree heads";
  }
  if (family == layout::kProjectionsFamily) return "the read models' rows";
  if (family == layout::kMetaFamily) {
    return "the log's head, its record format and the checkpoints";
  }
  return "nothing the store reads";
}

// The first "NNNNNN.sst" in `message`.
std::optional<std::string> TableFileIn(const std::string& message) {
  static const std::regex kTableFile("([0-9]+\\.sst)");
  std::smatch match;
  if (!std::regex_search(message, match, kTableFile)) return std::nullopt;
  return match[1].str();
}

std::vector<rocksdb::LiveFileMetaData> LiveFiles(rocksdb::DB* db) {
  std::vector<rocksdb::LiveFileMetaData> files;
  if (db) db->GetLiveFilesMetaData(&files);
  return files;
}

// The live table file named `name` ("000012.sst").
std::optional<rocksdb::LiveFileMetaData> FileNamed(rocksdb::DB* db,
                                                   const std::string& name) {
  for (rocksdb::LiveFileMetaData& file : LiveFiles(db)) {
    if (file.name == "/" + name || file.name == name) return file;
  }
  return std::nullopt;
}

// The live table file of the events family whose keys span `position`.
std::optional<rocksdb::LiveFileMetaData> FileHolding(rocksdb::DB* db,
                                                     std::uint64_t position) {
  const std::string key = layout::PositionKey(position);
  for (rocksdb::LiveFileMetaData& file : LiveFiles(db)) {
    if (file.column_family_name == layout::kEventsFamily &&
        file.smallestkey <= key && key <= file.largestkey) {
      return file;
    }
  }
  return std::nullopt;
}

std::string Describe(const rocksdb::LiveFileMetaData& file) {
  std::string path = file.db_path + file.name;
  return "table file " + path + " (column family \"" + file.column_family_name +
         "\": " + std::string(FamilyHolds(file.column_family_name)) + ")";
}

}  // namespace

bool IsStorageCorruption(const Status& fault) {
  return (fault.code() == StatusCode::kIoError ||
          fault.code() == StatusCode::kCorruption) &&
         fault.message().find("Corruption: ") != std::string::npos;
}

Status NameDamagedFile(rocksdb::DB* db, Status fault) {
  if (!IsStorageCorruption(fault)) return fault;
  const std::uint64_t position = fault.number().value_or(0);
  std::optional<std::string> named = TableFileIn(fault.message());
  std::optional<rocksdb::LiveFileMetaData> file =
      named ? FileNamed(db, *named) : FileHolding(db, position);
  std::string what = file    ? Describe(*file)
                     : named ? "table file " + *named
                             : "a file of the store";
  return Status::Corruption(what + " is damaged: " + fault.message(), position);
}

}  // namespace exemplar
