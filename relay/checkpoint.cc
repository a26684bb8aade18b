#include "relay/checkpoint.h"

#include <rocksdb/db.h>

namespace exemplar::relay {
namespace {

constexpr char kMetaFamily[] = "meta";

std::string EncodePosition(std::uint64_t position) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i, position >>= 8) {
    bytes[i] = static_cast<char>(position & 0xFF);
  }
  return bytes;
}

std::uint64_t DecodePosition(const std::string& bytes) {
  std::uint64_t position = 0;
  for (unsigned char byte : bytes) position = position << 8 | byte;
  return position;
}

}  // namespace

std::string CheckpointKey(const std::string& stream_name) {
  return "relay/" + stream_name + "/checkpoint";
}

Result<std::uint64_t> LoadCheckpoint(const EventStore& store,
                                     const std::string& stream_name) {
  std::string value;
  rocksdb::Status s = store.db()->Get({}, store.family(kMetaFamily),
                                      CheckpointKey(stream_name), &value);
  if (s.IsNotFound()) return std::uint64_t{0};
  if (!s.ok()) return Status::IoError(s.ToString());
  if (value.size() != 8) {
    return Status::Corruption(
        "relay checkpoint for stream " + stream_name + " is malformed", 0);
  }
  return DecodePosition(value);
}

Status SaveCheckpoint(const EventStore& store, const std::string& stream_name,
                      std::uint64_t position) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  rocksdb::Status s =
      store.db()->Put(sync, store.family(kMetaFamily),
                      CheckpointKey(stream_name), EncodePosition(position));
  if (!s.ok()) return Status::IoError(s.ToString());
  return Status::Ok();
}

}  // namespace exemplar::relay
