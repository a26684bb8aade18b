#include "events/envelope.h"

#include <algorithm>
#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>
#include <cstring>
#include <sstream>

namespace exemplar {
namespace {

// A binary input archive that knows how many bytes the record holds, so
// that a corrupted length cannot make the decoder allocate more than that.
class BoundedInputArchive : public cereal::BinaryInputArchive {
 public:
  BoundedInputArchive(std::istream& in, size_t bytes)
      : cereal::BinaryInputArchive(in), bytes_(bytes) {}
  size_t bytes() const { return bytes_; }

 private:
  size_t bytes_;
};

// A string with cereal's usual wire form whose load checks the budget.
struct Text {
  std::string& value;

  template <class Archive>
  void save(Archive& ar) const {
    ar(cereal::make_size_tag(static_cast<cereal::size_type>(value.size())));
    ar(cereal::binary_data(value.data(), value.size()));
  }
  template <class Archive>
  void load(Archive& ar) {
    cereal::size_type size = 0;
    ar(cereal::make_size_tag(size));
    // Records are only ever decoded through a BoundedInputArchive; cereal
    // hands us its base class.
    if (size > static_cast<BoundedInputArchive&>(ar).bytes()) {
      throw cereal::Exception("string length exceeds the record");
    }
    value.resize(size);
    ar(cereal::binary_data(value.data(), size));
  }
};

}  // namespace

template <class Archive>
void EventRecord::serialize(Archive& ar) {
  ar(position, Text{stream_id}, stream_version, Text{type}, schema_version,
     recorded_at_us, Text{actor.user_id}, Text{actor.role}, Text{actor.unit_id},
     Text{on_behalf_of}, Text{reason}, Text{request_id}, Text{remote_address},
     Text{correlation_id}, Text{causation_id}, Text{idempotency_key},
     Text{payload}, prev_hash);
}

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
  EventRecord record;
  EventRecordDecoder decoder;
  EXEMPLAR_RETURN_IF_ERROR(decoder.Decode(stored, position, &record));
  return record;
}

void EventRecordDecoder::ViewBuffer::Reset(std::string_view bytes) {
  // The get area is only read from; streambuf's interface is not const.
  char* begin = const_cast<char*>(bytes.data());
  setg(begin, begin, begin + bytes.size());
}

std::streamsize EventRecordDecoder::ViewBuffer::xsgetn(char* out,
                                                       std::streamsize size) {
  size = std::min<std::streamsize>(size, egptr() - gptr());
  std::memcpy(out, gptr(), static_cast<std::size_t>(size));
  setg(eback(), gptr() + size, egptr());
  return size;
}

Status EventRecordDecoder::Decode(std::string_view stored,
                                  std::uint64_t position, EventRecord* record) {
  constexpr size_t kHashSize = 32;
  if (stored.size() < kHashSize) {
    return Status::Corruption("record too short to hold a hash", position);
  }
  std::string_view body = stored.substr(0, stored.size() - kHashSize);
  buffer_.Reset(body);
  stream_.clear();
  try {
    BoundedInputArchive archive(stream_, body.size());
    archive(*record);
    if (buffer_.consumed() != body.size()) {
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
