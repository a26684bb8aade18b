#include "events/text.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace exemplar {
namespace {

// Calls `visit(codepoint)` for each code point; false when not UTF-8.
template <typename Visit>
bool ForEachCodePoint(std::string_view text, Visit visit) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(text.size());
  while (remaining > 0) {
    utf8proc_int32_t codepoint = 0;
    utf8proc_ssize_t used = utf8proc_iterate(bytes, remaining, &codepoint);
    if (used <= 0) return false;
    visit(codepoint);
    bytes += used;
    remaining -= used;
  }
  return true;
}

bool IsSpace(utf8proc_int32_t codepoint) {
  if (codepoint == '\t' || codepoint == '\n' || codepoint == '\r' ||
      codepoint == '\v' || codepoint == '\f') {
    return true;
  }
  utf8proc_category_t category = utf8proc_category(codepoint);
  return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

// `text` in NFC, or kInvalidArgument naming `field` when it is not UTF-8.
Result<std::string> ToNfc(std::string_view text, std::string_view field) {
  if (!ForEachCodePoint(text, [](utf8proc_int32_t) {})) {
    return Status::InvalidArgument(std::string(field) + ": not valid UTF-8",
                                   std::string(field));
  }
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped,
                                                                &std::free);
  if (length < 0) {
    return Status::InvalidArgument(
        std::string(field) + ": " + utf8proc_errmsg(length),
        std::string(field));
  }
  return std::string(reinterpret_cast<const char*>(mapped),
                     static_cast<size_t>(length));
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
}

}  // namespace

Status ValidateText(std::string_view text, std::string_view field) {
  // ASCII is valid UTF-8 and already NFC: most ids and codes skip the
  // normaliser, which every command pays for each text field otherwise.
  if (IsAscii(text)) return Status::Ok();
  Result<std::string> nfc = ToNfc(text, field);
  if (!nfc.ok()) return nfc.status();
  if (*nfc != text) {
    return Status::InvalidArgument(
        std::string(field) + ": text is not in Unicode normal form C (NFC)",
        std::string(field));
  }
  return Status::Ok();
}

Status CheckControlCharacters(std::string_view text, std::string_view field,
                              TextLines lines) {
  utf8proc_int32_t refused = -1;
  ForEachCodePoint(text, [&](utf8proc_int32_t c) {
    if (refused >= 0) return;
    bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
    bool allowed = lines == TextLines::kMany && (c == '\n' || c == '\t');
    bool separator = lines == TextLines::kOne && (c == 0x2028 || c == 0x2029);
    if ((control && !allowed) || separator) refused = c;
  });
  if (refused < 0) return Status::Ok();
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(refused));
  return Status::InvalidArgument(
      std::string(field) + ": control character " + code, std::string(field));
}

bool IsBlank(std::string_view text) {
  bool blank = true;
  ForEachCodePoint(text, [&](utf8proc_int32_t codepoint) {
    if (!IsSpace(codepoint)) blank = false;
  });
  return blank;
}

std::size_t CodePointCount(std::string_view text) {
  std::size_t count = 0;
  ForEachCodePoint(text, [&](utf8proc_int32_t) { ++count; });
  return count;
}

}  // namespace exemplar
