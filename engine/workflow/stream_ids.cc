#include "engine/workflow/stream_ids.h"

#include <array>
#include <utility>

namespace exemplar {
namespace {

constexpr std::array<std::pair<StreamKind, std::string_view>, 10> kPrefixes = {{
    {StreamKind::kExemplar, "exemplar-"},
    {StreamKind::kUnit, "unit-"},
    {StreamKind::kUser, "user-"},
    {StreamKind::kToken, "token-"},
    {StreamKind::kCampaign, "campaign-"},
    {StreamKind::kCredential, "credential-"},
    {StreamKind::kReorganisation, "reorganisation-"},
    {StreamKind::kRegistration, "registration-"},
    {StreamKind::kAssessment, "assessment-"},
    {StreamKind::kWorkflow, "workflow-"},
}};

}  // namespace

std::string_view StreamPrefix(StreamKind kind) {
  for (const auto& [known, prefix] : kPrefixes) {
    if (known == kind) return prefix;
  }
  return {};
}

std::string StreamIdOf(StreamKind kind, std::string_view id) {
  std::string stream(StreamPrefix(kind));
  stream.append(id);
  return stream;
}

std::optional<StreamName> ParseStreamId(std::string_view stream_id) {
  for (const auto& [kind, prefix] : kPrefixes) {
    if (stream_id.starts_with(prefix)) {
      return StreamName{kind, stream_id.substr(prefix.size())};
    }
  }
  return std::nullopt;
}

bool IsSystemStream(std::string_view stream_id) {
  std::optional<StreamName> name = ParseStreamId(stream_id);
  return name &&
         (name->kind == StreamKind::kUnit || name->kind == StreamKind::kUser ||
          name->kind == StreamKind::kCampaign ||
          name->kind == StreamKind::kReorganisation ||
          name->kind == StreamKind::kWorkflow);
}

const std::vector<std::string>& SystemStreamPrefixes() {
  static const std::vector<std::string> kSystem = {
      std::string(StreamPrefix(StreamKind::kUnit)),
      std::string(StreamPrefix(StreamKind::kUser)),
      std::string(StreamPrefix(StreamKind::kCampaign)),
      std::string(StreamPrefix(StreamKind::kReorganisation)),
      std::string(StreamPrefix(StreamKind::kWorkflow))};
  return kSystem;
}

}  // namespace exemplar
