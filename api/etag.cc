#include "api/etag.h"

#include <string_view>

namespace exemplar::api {
namespace {

std::string_view Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string VersionETag(std::uint64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

bool NoneMatchHolds(const Request& request, const std::string& etag) {
  auto header = request.find(http::field::if_none_match);
  if (header == request.end()) return false;
  std::string_view list(header->value().data(), header->value().size());
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view tag = Trimmed(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view()
                                           : list.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

Response NotModified(const Request& request, const std::string& etag) {
  Response response(http::status::not_modified, request.version());
  response.set(http::field::etag, etag);
  response.keep_alive(request.keep_alive());
  return response;
}

}  // namespace exemplar::api
