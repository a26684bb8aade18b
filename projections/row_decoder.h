// Decoding and encoding cereal binary without a stream per value, for the
// hot loops of the projections: loading stored rows, folding event payloads
// and writing rows. Private to projections/.
#pragma once

#include <algorithm>
#include <cereal/archives/binary.hpp>
#include <cstring>
#include <exception>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "events/workflow_event.h"

namespace exemplar::projections {

// A read-only stream buffer over bytes someone else keeps.
struct ViewBuffer : std::streambuf {
  void Reset(std::string_view bytes) {
    // The get area is only read from; streambuf's interface is not const.
    char* begin = const_cast<char*>(bytes.data());
    setg(begin, begin, begin + bytes.size());
  }
  bool consumed() const { return gptr() == egptr(); }
  // One copy per read, instead of streambuf's general loop: cereal reads
  // every value through here.
  std::streamsize xsgetn(char* out, std::streamsize size) override {
    size = std::min<std::streamsize>(size, egptr() - gptr());
    if (size == 0) return 0;  // `out` may be null for an empty value
    std::memcpy(out, gptr(), static_cast<std::size_t>(size));
    setg(eback(), gptr() + size, egptr());
    return size;
  }
};

// Decodes values in place: no copy of their bytes and no stream built per
// value (an istringstream per value dominated loading and folding). One
// decoder per thread.
class RowDecoder {
 public:
  // True when `bytes` decode to `out` exactly, with nothing left over.
  template <typename T>
  bool Decode(std::string_view bytes, T* out) {
    buffer_.Reset(bytes);
    stream_.clear();
    try {
      cereal::BinaryInputArchive archive(stream_);
      archive(*out);
    } catch (const std::exception&) {
      return false;
    }
    return buffer_.consumed();
  }

 private:
  ViewBuffer buffer_;
  std::istream stream_{&buffer_};
};

// Decodes current-schema workflow payloads (WorkflowEvent::kSchemaVersion)
// into a WorkflowEvent the caller keeps: the same event RowDecoder gives,
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
  void LoadFields(cereal::BinaryInputArchive& archive, Fields* fields);

  // Map nodes of earlier payloads, reused for the next fields.
  std::vector<Fields::node_type> spare_;
  ViewBuffer buffer_;
  std::istream stream_{&buffer_};
};

// Encodes values into one reused buffer: the same bytes as EncodePayload
// (events/payload_codec.h) without a stream and a string built per value.
// One encoder per thread.
class RowEncoder {
 public:
  // The encoding of `value`, valid until the next Encode.
  template <typename T>
  std::string_view Encode(const T& value) {
    buffer_.bytes.clear();
    {
      cereal::BinaryOutputArchive archive(stream_);
      archive(value);
    }
    return buffer_.bytes;
  }

 private:
  struct StringBuffer : std::streambuf {
    std::string bytes;
    std::streamsize xsputn(const char* data, std::streamsize size) override {
      bytes.append(data, static_cast<std::size_t>(size));
      return size;
    }
    int_type overflow(int_type c) override {
      if (!traits_type::eq_int_type(c, traits_type::eof())) {
        bytes.push_back(traits_type::to_char_type(c));
      }
      return traits_type::not_eof(c);
    }
  };
  StringBuffer buffer_;
  std::ostream stream_{&buffer_};
};

}  // namespace exemplar::projections
