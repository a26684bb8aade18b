#include "events/envelope.h"

#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>
#include <sstream>

namespace exemplar {

std::string EncodeEventBody(const EventRecord& record) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::BinaryOutputArchive archive(out);
    archive(record);
  }
  return std::move(out).str();
}

std::string SealEventRecord(EventRecord* record) {
  std::string stored = EncodeEventBody(*record);
  record->hash = Sha256({AsBytes(record->prev_hash), stored});
  stored.append(AsBytes(record->hash));
  return stored;
}

Result<EventRecord> DecodeEventRecord(std::string_view stored,
                                      std::uint64_t position) {
  constexpr size_t kHashSize = 32;
  if (stored.size() < kHashSize) {
    return Status::Corruption("record too short to hold a hash", position);
  }
  std::string_view body = stored.substr(0, stored.size() - kHashSize);
  EventRecord record;
  try {
    std::istringstream in(std::string(body), std::ios::binary);
    cereal::BinaryInputArchive archive(in);
    archive(record);
    if (static_cast<size_t>(in.tellg()) != body.size()) {
      return Status::Corruption("trailing bytes after the event body",
                                position);
    }
  } catch (const std::exception& e) {
    return Status::Corruption(
        std::string("event body does not decode: ") + e.what(), position);
  }
  std::copy(stored.end() - kHashSize, stored.end(), record.hash.begin());
  if (record.position != position) {
    return Status::Corruption(
        "record claims position " + std::to_string(record.position), position);
  }
  if (Sha256({AsBytes(record.prev_hash), body}) != record.hash) {
    return Status::Corruption("event hash does not match its bytes", position);
  }
  return record;
}

}  // namespace exemplar
