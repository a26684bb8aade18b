// Text rules shared by every module that accepts strings from people:
// valid UTF-8, Unicode normalisation form C, no control characters, and
// "not blank".
//
// Vietnamese text can be typed precomposed ("ệ") or decomposed ("e" plus two
// combining marks); both look the same but compare differently. The log only
// accepts NFC so that names, searches and hashes agree.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "events/status.h"

namespace exemplar {

// OK when `text` is valid UTF-8 in NFC. Otherwise kInvalidArgument naming
// `field`, with a message that says which rule failed.
Status ValidateText(std::string_view text, std::string_view field);

// How many lines a text field may span.
enum class TextLines {
  kOne,   // names, titles, ids: no control character at all
  kMany,  // free text: line feed and tab allowed
};

// OK when valid UTF-8 `text` holds no control character beyond what `lines`
// allows. Refused: C0 (U+0000 to U+001F, so NUL, ESC, CR, LF, tab...), DEL
// (U+007F) and C1 (U+0080 to U+009F); in one line also the line and
// paragraph separators U+2028 and U+2029. Free text keeps LF and tab, not
// CR: lines end with LF. Otherwise kInvalidArgument naming `field` and the
// character, e.g. "name: control character U+001B".
Status CheckControlCharacters(std::string_view text, std::string_view field,
                              TextLines lines);

// True when `text` holds only white space (Unicode separators and ASCII
// white space) or nothing. `text` must be valid UTF-8.
bool IsBlank(std::string_view text);

// Number of Unicode code points in valid UTF-8 `text`.
std::size_t CodePointCount(std::string_view text);

}  // namespace exemplar
