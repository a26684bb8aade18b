#include "projections/fold_text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <functional>
#include <memory>
#include <unordered_map>

namespace exemplar::projections {
namespace {

bool IsAscii(char c) { return static_cast<unsigned char>(c) < 0x80; }

char FoldAscii(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

// Appends the folded form of `run` (no ASCII in it) to `folded`; false when
// it is not valid UTF-8.
bool AppendFoldedRun(std::string_view run, std::string* folded) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
      static_cast<utf8proc_ssize_t>(run.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                     UTF8PROC_CASEFOLD));
  if (length < 0) return false;
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped,
                                                                &std::free);
  // "đ" (U+0111) is a letter of its own, not d with a mark, so stripping
  // marks keeps it; Vietnamese readers still expect it to match "d".
  static constexpr std::string_view kDStroke = "\xC4\x91";
  const std::string_view mapped_text(reinterpret_cast<const char*>(mapped),
                                     static_cast<size_t>(length));
  for (size_t i = 0; i < mapped_text.size(); ++i) {
    if (mapped_text.substr(i, kDStroke.size()) == kDStroke) {
      folded->push_back('d');
      i += kDStroke.size() - 1;
    } else {
      folded->push_back(mapped_text[i]);
    }
  }
  return true;
}

// Runs folded before, per thread: Vietnamese text repeats a hundred-odd
// accented letters, each a run of its own between ASCII letters. Bounded
// in entries and run length, so unusual text cannot grow it without end.
class FoldedRuns {
 public:
  bool Append(std::string_view run, std::string* folded) {
    if (run.size() > kMaxRunBytes) return AppendFoldedRun(run, folded);
    auto it = runs_.find(run);
    if (it == runs_.end()) {
      std::string fold;
      if (!AppendFoldedRun(run, &fold)) return false;
      if (runs_.size() == kMaxRuns) runs_.clear();
      it = runs_.emplace(run, std::move(fold)).first;
    }
    folded->append(it->second);
    return true;
  }

 private:
  static constexpr std::size_t kMaxRuns = 4096;
  static constexpr std::size_t kMaxRunBytes = 15;
  struct Hash : std::hash<std::string_view> {
    using is_transparent = void;
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> runs_;
};

}  // namespace

std::string FoldForSearch(std::string_view text) {
  thread_local FoldedRuns runs;
  // ASCII only needs lower-casing, and, being neither a mark nor reordered
  // with marks, it splits the text into runs that fold apart exactly as
  // they fold together; utf8proc, costly per call, folds only the rest.
  std::string folded;
  folded.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (IsAscii(text[i])) {
      folded.push_back(FoldAscii(text[i++]));
      continue;
    }
    size_t end = i;
    while (end < text.size() && !IsAscii(text[end])) ++end;
    if (!runs.Append(text.substr(i, end - i), &folded)) return {};
    i = end;
  }
  return folded;
}

}  // namespace exemplar::projections
