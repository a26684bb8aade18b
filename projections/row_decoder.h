// Decoding and encoding cereal binary without a stream per value, for the
// hot loops of the projections: loading stored rows, folding event payloads
// and writing rows. Private to projections/.
#pragma once

#include <cereal/archives/binary.hpp>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "events/bounded_archive.h"
#include "events/string_archive.h"
#include "events/workflow_event.h"

namespace exemplar::projections {

// True when `bytes` decode to `*out` exactly, with nothing left over.
template <typename T>
bool DecodeRow(std::string_view bytes, T* out) {
  try {
    BoundedInputArchive archive(bytes);
    archive(*out);
    return archive.remaining() == 0;
  } catch (const std::exception&) {
    return false;
  }
}

// Decodes current-schema workflow payloads (WorkflowEvent::kSchemaVersion)
// into a WorkflowEvent the caller keeps: the same event DecodeRow gives,
// but its strings, field values and map nodes keep their storage from one
// payload to the next (cereal's own load rebuilds the map and every value),
// so a warmed-up decoder allocates little. One decoder per thread.
class WorkflowEventDecoder {
 public:
  // True when `bytes` decode to `*event` exactly, with nothing left over;
  // on false `*event` holds a partial decode.
  bool Decode(std::string_view bytes, WorkflowEvent* event);

 private:
  using Fields = decltype(WorkflowEvent::fields);
  void LoadFields(BoundedInputArchive& archive, Fields* fields);

  // Map nodes of earlier payloads, reused for the next fields.
  std::vector<Fields::node_type> spare_;
};

// Encodes values into one reused buffer: the same bytes as EncodePayload
// (events/payload_codec.h) without a string built per value. One encoder
// per thread.
class RowEncoder {
 public:
  // The encoding of `value`, valid until the next Encode.
  template <typename T>
  std::string_view Encode(const T& value) {
    bytes_.clear();
    {
      StringOutputArchive archive(&bytes_);
      archive(value);
    }
    return bytes_;
  }

 private:
  std::string bytes_;
};

}  // namespace exemplar::projections
