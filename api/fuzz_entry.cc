#include "api/fuzz_entry.h"

#include <string_view>

#include "api/json_body.h"
#include "api/router.h"
#include "events/system_events.h"

namespace exemplar::api {
namespace {

// Decodes `body` as each organisation command would.
void DecodeCommands(const nlohmann::json& body) {
  (void)PayloadFromJson<UnitCreated>(body);
  (void)PayloadFromJson<UnitMoved>(body);
  (void)PayloadFromJson<UserRegistered>(body);
  (void)PayloadFromJson<RoleGranted>(body);
  (void)PayloadFromJson<RoleRevoked>(body);
  (void)PayloadFromJson<CampaignLaunched>(body);
}

}  // namespace

void FuzzRequestBytes(const std::uint8_t* data, std::size_t size) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code error;
  parser.put(boost::asio::buffer(data, size), error);
  if (!error && !parser.is_done()) parser.put_eof(error);
  if (error || !parser.is_done()) return;
  Request request = parser.release();
  std::string_view target(request.target().data(), request.target().size());
  std::map<std::string, std::string> query;
  if (size_t question = target.find('?'); question != target.npos) {
    (void)ParseQuery(target.substr(question + 1), &query);
  }
  nlohmann::json body;
  if (!ParseJsonObject(request, &body)) DecodeCommands(body);
}

}  // namespace exemplar::api
