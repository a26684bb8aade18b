#include "relay/subjects.h"

#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar::relay {
namespace {

constexpr int kMaxUnitDepth = 64;

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

void UnitTree::Apply(const EventRecord& record) {
  if (record.type == UnitCreated::kType) {
    auto created =
        DecodePayload<UnitCreated>(record.schema_version, record.payload);
    if (created.ok()) parent_of_[created->unit_id] = created->parent_id;
  } else if (record.type == UnitMoved::kType) {
    auto moved =
        DecodePayload<UnitMoved>(record.schema_version, record.payload);
    if (moved.ok()) parent_of_[moved->unit_id] = moved->parent_id;
  }
}

std::vector<std::string> UnitTree::PathOf(const std::string& unit_id) const {
  std::vector<std::string> path{unit_id};
  for (int depth = 1; depth < kMaxUnitDepth; ++depth) {
    auto parent = parent_of_.find(path.back());
    if (parent == parent_of_.end() || parent->second.empty()) break;
    path.push_back(parent->second);
  }
  return {path.rbegin(), path.rend()};
}

std::string SubjectFor(std::string_view prefix, const UnitTree& units,
                       const EventRecord& record) {
  std::string subject(prefix);
  if (record.actor.unit_id.empty()) {
    subject += "._";
  } else {
    for (const std::string& unit : units.PathOf(record.actor.unit_id)) {
      subject += '.';
      subject += EscapeSubjectToken(unit);
    }
  }
  subject += '.';
  subject += EscapeSubjectToken(record.type);
  return subject;
}

}  // namespace exemplar::relay
