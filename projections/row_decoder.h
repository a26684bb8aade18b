// Decoding cereal binary in place, for the hot loops of the projections:
// loading stored rows and folding event payloads. Private to projections/.
#pragma once

#include <cereal/archives/binary.hpp>
#include <exception>
#include <istream>
#include <streambuf>
#include <string_view>

namespace exemplar::projections {

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
  struct ViewBuffer : std::streambuf {
    void Reset(std::string_view bytes) {
      // The get area is only read from; streambuf's interface is not const.
      char* begin = const_cast<char*>(bytes.data());
      setg(begin, begin, begin + bytes.size());
    }
    bool consumed() const { return gptr() == egptr(); }
  };
  ViewBuffer buffer_;
  std::istream stream_{&buffer_};
};

}  // namespace exemplar::projections
