// Where a request comes from when a reverse proxy (TLS in front) stands
// between the client and the server, and which origin browsers name for
// this server. X-Forwarded-For and X-Forwarded-Proto are believed only from
// the one trusted proxy's address (`--trusted-proxy`): from anyone else they
// are the client's own words and ignored.
#pragma once

#include <string>
#include <string_view>

#include "api/http.h"
#include "api/router.h"
#include "events/status.h"

namespace exemplar::api {

struct Client {
  std::string address;  // the client's IP address
  bool https = false;   // reached the proxy over TLS
};

// The client of `request` received from `peer`: when `peer` is
// `trusted_proxy`, the last address of X-Forwarded-For (the one the proxy
// itself added; ignored unless it is an IP address) and whether
// X-Forwarded-Proto is "https"; otherwise `peer`, plain HTTP.
Client ClientOf(const Request& request, const std::string& peer,
                const std::string& trusted_proxy);

// The origin of an http(s) URL, "scheme://host[:port]" in lower case with
// no default port and no path. kInvalidArgument (field "public_url") for
// anything else.
Result<std::string> OriginOf(std::string_view url);

// Whether `request` names, in its Origin header, an origin other than this
// server's: `public_origin` when given, else the request's Host over the
// scheme it came by. A request with no Origin header is not foreign.
bool FromForeignOrigin(const Request& request, const RequestContext& context,
                       const std::string& public_origin);

}  // namespace exemplar::api
