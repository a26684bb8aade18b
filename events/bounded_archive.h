// A cereal input archive that reads cereal binary straight from bytes the
// caller keeps, and never believes a length the bytes cannot hold.
//
// cereal's own BinaryInputArchive resizes a string or container to whatever
// length the bytes claim before reading it, so one corrupt length asks the
// allocator for exabytes. Here every size tag is checked against the bytes
// that remain: a value of any type we store takes at least one byte per
// element, so a claim beyond the remainder is corrupt and throws
// cereal::Exception before anything is allocated. Reading from memory also
// spares a stream per value on the hot decoding paths.
//
// Wire form: the same bytes as cereal::BinaryOutputArchive writes.
#pragma once

#include <cereal/archives/binary.hpp>
#include <cereal/cereal.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace exemplar {

class BoundedInputArchive
    : public cereal::InputArchive<BoundedInputArchive,
                                  cereal::AllowEmptyClassElision> {
 public:
  explicit BoundedInputArchive(std::string_view bytes)
      : cereal::InputArchive<BoundedInputArchive,
                             cereal::AllowEmptyClassElision>(this),
        bytes_(bytes) {}

  // Copies the next `size` bytes to `data`; throws past the end.
  void loadBinary(void* data, std::size_t size) {
    if (size > bytes_.size()) {
      throw cereal::Exception("value runs past the end of its bytes");
    }
    if (size != 0) std::memcpy(data, bytes_.data(), size);
    bytes_.remove_prefix(size);
  }

  std::size_t remaining() const { return bytes_.size(); }

 private:
  std::string_view bytes_;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_LOAD_FUNCTION_NAME(
    BoundedInputArchive& ar, T& value) {
  ar.loadBinary(std::addressof(value), sizeof(value));
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar,
                               cereal::NameValuePair<T>& pair) {
  ar(pair.value);
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar,
                               cereal::SizeTag<T>& tag) {
  ar(tag.size);
  if (static_cast<std::uint64_t>(tag.size) > ar.remaining()) {
    throw cereal::Exception("length " + std::to_string(tag.size) +
                            " exceeds the " + std::to_string(ar.remaining()) +
                            " bytes that remain");
  }
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar,
                               cereal::BinaryData<T>& data) {
  ar.loadBinary(data.data, static_cast<std::size_t>(data.size));
}

}  // namespace exemplar

CEREAL_REGISTER_ARCHIVE(exemplar::BoundedInputArchive)

// Half of CEREAL_SETUP_ARCHIVE_TRAITS: cereal's binary output archive
// already names its own input archive as its partner.
namespace cereal::traits::detail {
template <>
struct get_output_from_input<exemplar::BoundedInputArchive> {
  using type = cereal::BinaryOutputArchive;
};
}  // namespace cereal::traits::detail
