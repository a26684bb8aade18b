// Text rules shared by every module that accepts strings from people:
// valid UTF-8, Unicode normalisation form C, and "not blank".
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

// True when `text` holds only white space (Unicode separators and ASCII
// white space) or nothing. `text` must be valid UTF-8.
bool IsBlank(std::string_view text);

// Number of Unicode code points in valid UTF-8 `text`.
std::size_t CodePointCount(std::string_view text);

}  // namespace exemplar
