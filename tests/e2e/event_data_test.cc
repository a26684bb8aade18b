// Events as an integrator reads them from the real binary: every event's
// fields as `data`, beside the stored bytes, in /v1/events, an exemplar's
// history and the event stream, with Vietnamese text byte for byte. The
// stored bytes hold personal values sealed; the API opens them for its
// readers, and the event stream, which fans out beyond them, withholds
// them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "events/event_json.h"
#include "tests/e2e/api_test_world.h"
#include "tests/support/opaque_id.h"
#include "tests/support/sse_client.h"

namespace exemplar::testing {
namespace {

const std::string kLan = OpaqueId("lan");

using boost::beast::http::verb;
using nlohmann::json;

const std::string kName = "Hộ bà Nguyễn Thị Lan — Ấp Đông, Đắk Lắk";

// Detects exemplar kLan named kName as the reporter; returns its position.
std::uint64_t DetectLan(ApiWorld& world) {
  json fields = DetectFields();
  fields["exemplar_id"] = kLan;
  fields["name"] = kName;
  HttpReply reply = world.As("reporter", "/v1/exemplars", fields);
  EXPECT_EQ(reply.status, 201) << reply.body;
  return json::parse(reply.body)["position"];
}

// The detection's event: `data` holds the action and the command's fields,
// and the stored bytes are still there.
void ExpectDetectionData(const json& event) {
  EXPECT_EQ(event["type"], "exemplar_detected");
  EXPECT_FALSE(event["payload_base64"].get<std::string>().empty());
  const json& data = event["data"];
  EXPECT_EQ(data["action"], "detect") << event.dump();
  EXPECT_EQ(data["definition"], "exemplar");
  EXPECT_EQ(data["fields"]["name"].get<std::string>(), kName);
  EXPECT_EQ(data["fields"]["unit_id"], "c1");
  EXPECT_EQ(data["fields"]["cultured_family"], true);
}

TEST(EventDataTest, EventsHistoryAndTheStreamCarryTheFieldsAsData) {
  ApiWorld world;
  const std::uint64_t position = DetectLan(world);

  HttpReply page = world.server().Request(
      verb::get, "/v1/events?from=" + std::to_string(position) + "&limit=1");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(kName), std::string::npos) << page.body;
  const json logged = json::parse(page.body)["events"][0];
  ExpectDetectionData(logged);
  const std::string stored =
      Base64Decode(logged["payload_base64"].get<std::string>()).value();
  EXPECT_EQ(stored.find(kName), std::string::npos);
  EXPECT_EQ(stored.find("Nguyễn"), std::string::npos);

  HttpReply history = world.server().RequestWith(
      verb::get,
      "/v1/exemplars/" + kLan +
          "/history?min_position=" + std::to_string(position),
      {{"Authorization", "Bearer " + world.token("reporter")}});
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_NE(history.body.find(kName), std::string::npos) << history.body;
  ExpectDetectionData(json::parse(history.body)["events"][0]);

  SseClientOptions admin;
  admin.headers.emplace_back("Authorization",
                             std::string("Bearer ") + kTestAdminToken);
  SseClient stream(world.server().port(),
                   "/v1/events/stream?from=" + std::to_string(position), admin);
  ASSERT_EQ(stream.status(), 200);
  auto event = stream.NextEvent();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->data.find("Nguyễn"), std::string::npos) << event->data;
  const json streamed = json::parse(event->data);
  EXPECT_EQ(streamed["data"]["action"], "detect");
  EXPECT_EQ(streamed["data"]["fields"]["unit_id"], "c1");
  EXPECT_FALSE(streamed["data"]["fields"].contains("name"));
  EXPECT_EQ(streamed["data"]["withheld"], (json{"name", "summary"}));
  // The staff member's address: opened for the API's reader, withheld from
  // the stream, stored sealed beside both.
  EXPECT_EQ(logged["remote_address"], "127.0.0.1");
  EXPECT_TRUE(logged.contains("remote_address_sealed_base64"));
  EXPECT_TRUE(streamed["remote_address"].is_null()) << event->data;
  EXPECT_EQ(event->data.find("127.0.0.1"), std::string::npos) << event->data;
}

TEST(EventDataTest, SystemEventsCarryTheirFieldsAsData) {
  ApiWorld world;
  HttpReply page = world.server().Request(
      verb::get, "/v1/events?from=1&limit=1000&types=unit_created");
  ASSERT_EQ(page.status, 200) << page.body;
  const json body = json::parse(page.body);
  json unit_kh;
  for (const json& event : body["events"]) {
    if (event["data"]["unit_id"] == "kh") unit_kh = event["data"];
  }
  EXPECT_EQ(unit_kh, (json{{"unit_id", "kh"},
                           {"name", "Tỉnh Khánh Hòa"},
                           {"level", "province"},
                           {"parent_id", "vn"}}))
      << page.body;
  EXPECT_NE(page.body.find("Tỉnh Khánh Hòa"), std::string::npos);
}

}  // namespace
}  // namespace exemplar::testing
