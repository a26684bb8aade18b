#include "events/envelope.h"

#include <algorithm>
#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>

#include "events/bounded_archive.h"
#include "events/string_archive.h"

namespace exemplar {

template <class Archive>
void EventRecord::serialize(Archive& ar) {
  ar(position, stream_id, stream_version, type, schema_version, recorded_at_us,
     actor.user_id, actor.role, actor.unit_id, on_behalf_of, reason, request_id,
     remote_address, correlation_id, causation_id, idempotency_key, payload,
     prev_hash);
}

std::string EncodeEventBody(const EventRecord& record) {
  std::string out;
  {
    StringOutputArchive archive(&out);
    archive(record);
  }
  return out;
}

std::string SealEventRecord(EventRecord* record) {
  std::string stored = EncodeEventBody(*record);
  record->hash = Sha256({AsBytes(record->prev_hash), stored});
  stored.append(AsBytes(record->hash));
  return stored;
}

Result<EventRecord> DecodeEventRecord(std::string_view stored,
                                      std::uint64_t position) {
  EventRecord record;
  EXEMPLAR_RETURN_IF_ERROR(DecodeEventRecord(stored, position, &record));
  return record;
}

Status DecodeEventRecord(std::string_view stored, std::uint64_t position,
                         EventRecord* record) {
  constexpr size_t kHashSize = 32;
  if (stored.size() < kHashSize) {
    return Status::Corruption("record too short to hold a hash", position);
  }
  std::string_view body = stored.substr(0, stored.size() - kHashSize);
  try {
    BoundedInputArchive archive(body);
    archive(*record);
    if (archive.remaining() != 0) {
      return Status::Corruption("trailing bytes after the event body",
                                position);
    }
  } catch (const std::exception& e) {
    return Status::Corruption(
        std::string("event body does not decode: ") + e.what(), position);
  }
  std::copy(stored.end() - kHashSize, stored.end(), record->hash.begin());
  if (record->position != position) {
    return Status::Corruption(
        "record claims position " + std::to_string(record->position), position);
  }
  if (Sha256({AsBytes(record->prev_hash), body}) != record->hash) {
    return Status::Corruption("event hash does not match its bytes", position);
  }
  return Status::Ok();
}

}  // namespace exemplar
