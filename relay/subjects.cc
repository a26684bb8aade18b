#include "relay/subjects.h"

#include <cstdint>
#include <limits>

namespace exemplar::relay {
namespace {

bool NeedsEscape(unsigned char c) {
  return c <= ' ' || c >= 0x7F || c == '.' || c == '*' || c == '>' || c == '%';
}

}  // namespace

std::string EscapeSubjectToken(std::string_view text) {
  if (text.empty()) return "_";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string token;
  token.reserve(text.size());
  for (unsigned char c : text) {
    if (NeedsEscape(c)) {
      token += '%';
      token += kHex[c >> 4];
      token += kHex[c & 0xF];
    } else {
      token += static_cast<char>(c);
    }
  }
  return token;
}

std::string SubjectFor(std::string_view prefix, const UnitTree& units,
                       const std::string& event_unit,
                       const EventRecord& record) {
  std::string subject(prefix);
  if (event_unit.empty()) {
    subject += "._";
  } else {
    // The tree as folded so far: its latest links, whatever the event's
    // recorded time says.
    const std::int64_t latest = std::numeric_limits<std::int64_t>::max();
    for (const std::string& unit : units.PathAt(event_unit, latest)) {
      subject += '.';
      subject += EscapeSubjectToken(unit);
    }
  }
  subject += '.';
  subject += EscapeSubjectToken(record.type);
  return subject;
}

}  // namespace exemplar::relay
