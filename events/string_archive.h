// A cereal output archive that appends cereal binary to a std::string.
//
// cereal's BinaryOutputArchive writes through a std::ostream, and building
// one (its buffer, its locale) per value costs more than encoding a small
// payload: every command encodes several. This archive appends to a string
// the caller owns, which may be reused.
//
// Wire form: the same bytes as cereal::BinaryOutputArchive writes, so
// BoundedInputArchive (and cereal's own) reads them back.
#pragma once

#include <cereal/cereal.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

#include "events/bounded_archive.h"

namespace exemplar {

class StringOutputArchive
    : public cereal::OutputArchive<StringOutputArchive,
                                   cereal::AllowEmptyClassElision> {
 public:
  // Appends to `out`, which must outlive the archive.
  explicit StringOutputArchive(std::string* out)
      : cereal::OutputArchive<StringOutputArchive,
                              cereal::AllowEmptyClassElision>(this),
        out_(out) {}

  void saveBinary(const void* data, std::size_t size) {
    out_->append(static_cast<const char*>(data), size);
  }

 private:
  std::string* out_;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_SAVE_FUNCTION_NAME(
    StringOutputArchive& ar, const T& value) {
  ar.saveBinary(std::addressof(value), sizeof(value));
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(StringOutputArchive& ar,
                               const cereal::NameValuePair<T>& pair) {
  ar(pair.value);
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(StringOutputArchive& ar,
                               const cereal::SizeTag<T>& tag) {
  ar(tag.size);
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(StringOutputArchive& ar,
                               const cereal::BinaryData<T>& data) {
  ar.saveBinary(data.data, static_cast<std::size_t>(data.size));
}

}  // namespace exemplar

CEREAL_REGISTER_ARCHIVE(exemplar::StringOutputArchive)

// Half of CEREAL_SETUP_ARCHIVE_TRAITS, as in bounded_archive.h: the input
// archive that reads what this one writes.
namespace cereal::traits::detail {
template <>
struct get_input_from_output<exemplar::StringOutputArchive> {
  using type = exemplar::BoundedInputArchive;
};
}  // namespace cereal::traits::detail
