#include "projections/fold_text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace exemplar::projections {

std::string FoldForSearch(std::string_view text) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                     UTF8PROC_CASEFOLD));
  if (length < 0) return {};
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped,
                                                                &std::free);
  // "đ" (U+0111) is a letter of its own, not d with a mark, so stripping
  // marks keeps it; Vietnamese readers still expect it to match "d".
  static constexpr std::string_view kDStroke = "\xC4\x91";
  const std::string_view mapped_text(reinterpret_cast<const char*>(mapped),
                                     static_cast<size_t>(length));
  std::string folded;
  folded.reserve(mapped_text.size());
  for (size_t i = 0; i < mapped_text.size(); ++i) {
    if (mapped_text.substr(i, kDStroke.size()) == kDStroke) {
      folded.push_back('d');
      i += kDStroke.size() - 1;
    } else {
      folded.push_back(mapped_text[i]);
    }
  }
  return folded;
}

}  // namespace exemplar::projections
