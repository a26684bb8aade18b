#include "api/forwarded.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>

namespace exemplar::api {
namespace {

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return lower;
}

std::string_view Header(const Request& request, http::field field) {
  auto found = request.find(field);
  if (found == request.end()) return {};
  return std::string_view(found->value().data(), found->value().size());
}

std::string_view HeaderNamed(const Request& request, std::string_view name) {
  auto found =
      request.find(boost::beast::string_view(name.data(), name.size()));
  if (found == request.end()) return {};
  return std::string_view(found->value().data(), found->value().size());
}

}  // namespace

Client ClientOf(const Request& request, const std::string& peer,
                const std::string& trusted_proxy) {
  Client client{peer, false};
  if (trusted_proxy.empty() || peer != trusted_proxy) return client;
  std::string_view forwarded = HeaderNamed(request, "X-Forwarded-For");
  const std::size_t comma = forwarded.rfind(',');
  std::string_view last =
      Trimmed(comma == std::string_view::npos ? forwarded
                                              : forwarded.substr(comma + 1));
  boost::system::error_code error;
  auto address = boost::asio::ip::make_address(std::string(last), error);
  if (!last.empty() && !error) client.address = address.to_string();
  auto proto = request.find("X-Forwarded-Proto");
  client.https = proto != request.end() &&
                 Lower(Trimmed(std::string_view(
                     proto->value().data(), proto->value().size()))) == "https";
  return client;
}

Result<std::string> OriginOf(std::string_view url) {
  const std::string lower = Lower(url);
  std::string scheme;
  if (lower.starts_with("https://")) {
    scheme = "https";
  } else if (lower.starts_with("http://")) {
    scheme = "http";
  } else {
    return Status::InvalidArgument(
        "the public URL must start with http:// or https://", "public_url");
  }
  std::string authority = lower.substr(scheme.size() + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string::npos) {
    return Status::InvalidArgument("the public URL names no host",
                                   "public_url");
  }
  const std::string default_port = scheme == "https" ? ":443" : ":80";
  if (authority.ends_with(default_port)) {
    authority.resize(authority.size() - default_port.size());
  }
  return scheme + "://" + authority;
}

bool FromForeignOrigin(const Request& request, const RequestContext& context,
                       const std::string& public_origin) {
  auto origin = request.find(http::field::origin);
  if (origin == request.end()) return false;
  std::string own = public_origin;
  if (own.empty()) {
    Result<std::string> from_host =
        OriginOf(std::string(context.https ? "https://" : "http://") +
                 std::string(Header(request, http::field::host)));
    if (!from_host.ok()) return true;
    own = *from_host;
  }
  Result<std::string> named = OriginOf(
      std::string_view(origin->value().data(), origin->value().size()));
  return !named.ok() || *named != own;
}

}  // namespace exemplar::api
