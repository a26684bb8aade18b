#include "api/json_body.h"

#include <cctype>
#include <cstdint>

namespace exemplar::api {
namespace {

bool IsJsonMediaType(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  std::string lower(type);
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  return lower == "application/json" ||
         (lower.starts_with("application/") && lower.ends_with("+json"));
}

// Deeper than any request this API takes: its bodies are flat objects with
// a few small arrays and objects inside.
constexpr int kMaxJsonDepth = 64;

// True when arrays and objects in `text` nest deeper than `limit`, judged
// on the bytes before parsing: a deeply nested document is refused before
// anything recursive (a copy, a destructor) walks it.
bool NestsDeeperThan(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int extra;
    std::uint32_t point;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      point = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      point = (point << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (point < kSmallest[extra] || point > 0x10FFFF ||
        (point >= 0xD800 && point <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::optional<Response> ParseJsonObject(const Request& request,
                                        nlohmann::json* out) {
  const std::string& body = request.body();
  if (body.empty()) {
    *out = nlohmann::json::object();
    return std::nullopt;
  }
  auto type = request.find(http::field::content_type);
  if (type == request.end() ||
      !IsJsonMediaType(
          std::string_view(type->value().data(), type->value().size()))) {
    return Problem(request, http::status::unsupported_media_type,
                   "unsupported_media_type",
                   "the body must be application/json");
  }
  if (!IsValidUtf8(body)) {
    return Problem(request, http::status::bad_request, "invalid_utf8",
                   "the body is not valid UTF-8");
  }
  if (NestsDeeperThan(body, kMaxJsonDepth)) {
    return Problem(request, http::status::bad_request, "malformed_json",
                   "the body nests arrays and objects deeper than " +
                       std::to_string(kMaxJsonDepth) + " levels");
  }
  nlohmann::json parsed =
      nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Problem(request, http::status::bad_request, "malformed_json",
                   "the body is not well-formed JSON");
  }
  if (!parsed.is_object()) {
    return Problem(request, http::status::unprocessable_entity,
                   "validation_failed", "the body must be a JSON object");
  }
  *out = std::move(parsed);
  return std::nullopt;
}

}  // namespace exemplar::api
