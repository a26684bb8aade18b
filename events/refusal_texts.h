// The catalogue of refusal codes: what each stable code the engine and the
// API answer with (a rejection's reason, a problem+json `type`) says to a
// person, in Vietnamese and in English. One catalogue for every client:
// problem+json `detail` in the language the request prefers, the actions a
// caller may take and why not, the console. A rule of the workflow
// definition brings its own texts (Status::text_vi, text_en), since one code
// may name several rules (four_eyes_violation); the catalogue covers every
// other code. tests/events/refusal_texts_test.cc fails when a code in use
// has no entry.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "events/status.h"

namespace exemplar {

struct RefusalText {
  std::string_view code;
  std::string_view vi;
  std::string_view en;
};

// Every entry of the catalogue, in code order.
std::span<const RefusalText> RefusalCatalogue();

// The entry for `code`; nullptr when the catalogue has none.
const RefusalText* FindRefusalText(std::string_view code);

// A refusal's words in both languages.
struct RefusalWords {
  std::string vi;
  std::string en;
};

// The words of `status` refused as `code`: the texts the status brings
// (a definition rule's), else the catalogue's for `code`, else the status's
// own message in both.
RefusalWords WordsOf(const Status& status, std::string_view code);

}  // namespace exemplar
