// The annual registration funnel and the propagation score over HTTP,
// against the real binary: a commune registers for 2025 (after the due
// date, so late), the district selects from it and submits to the Home
// Affairs department, refusals carry their code and field, and the reports
// show it as JSON and CSV.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/api_test_world.h"
#include "tests/support/opaque_id.h"

namespace exemplar {
namespace {

const std::string kLan = testing::OpaqueId("lan");
const std::string kBinh = testing::OpaqueId("binh");
const std::string kCuong = testing::OpaqueId("cuong");

using boost::beast::http::verb;
using nlohmann::json;
using testing::ApiWorld;
using testing::DetectFields;
using testing::HttpReply;

class FunnelE2eTest : public ::testing::Test {
 protected:
  FunnelE2eTest() {
    world_.Post("/v1/units", {{"unit_id", "snv"},
                              {"name", "Sở Nội vụ"},
                              {"level", "department"},
                              {"parent_id", "kh"}});
    for (const std::string& id : {kLan, kBinh, kCuong}) {
      json fields = DetectFields("c1");
      fields["exemplar_id"] = id;
      EXPECT_EQ(world_.As("reporter", "/v1/exemplars", fields).status, 201);
    }
  }

  json Get(const std::string& target) {
    HttpReply reply = world_.server().Request(verb::get, target);
    EXPECT_EQ(reply.status, 200) << target << " " << reply.body;
    return json::parse(reply.body);
  }

  static void ExpectRefused(const HttpReply& reply, int status,
                            const std::string& type, const std::string& field) {
    EXPECT_EQ(reply.status, status) << reply.body;
    json problem = json::parse(reply.body);
    EXPECT_EQ(problem["type"], type) << reply.body;
    if (!field.empty()) {
      EXPECT_EQ(problem["field"], field) << reply.body;
    }
  }

  ApiWorld world_;
};

TEST_F(FunnelE2eTest, RegisterSelectSubmitAndReport) {
  const json list = {
      {"unit_id", "c1"}, {"year", 2025}, {"exemplar_ids", {kLan, kBinh}}};
  HttpReply registered = world_.As("nominator", "/v1/registrations", list);
  ASSERT_EQ(registered.status, 201) << registered.body;
  EXPECT_EQ(json::parse(registered.body)["registration_id"], "2025-c1");
  ExpectRefused(world_.As("nominator", "/v1/registrations", list), 422,
                "already_registered", "year");
  // The commune's officer may not see or register another unit.
  ExpectRefused(
      world_.As("nominator", "/v1/registrations",
                {{"unit_id", "c2"}, {"year", 2025}, {"exemplar_ids", {kLan}}}),
      404, "unknown_unit", "unit_id");
  ExpectRefused(world_.As("nominator", "/v1/registrations",
                          {{"unit_id", "c1"}, {"year", "2025"}}),
                422, "validation_failed", "year");
  // A number past the years is refused, not cut down to one.
  ExpectRefused(world_.As("nominator", "/v1/registrations",
                          {{"unit_id", "c1"},
                           {"year", 4294969321LL},
                           {"exemplar_ids", {kCuong}}}),
                422, "validation_failed", "year");

  // Until the 2025 reform the district selects from its communes' lists.
  ExpectRefused(
      world_.As(
          "approver", "/v1/selections",
          {{"unit_id", "d1"}, {"year", 2025}, {"exemplar_ids", {kCuong}}}),
      422, "not_registered_by_child", "exemplar_ids[0]");
  HttpReply selected =
      world_.As("approver", "/v1/selections",
                {{"unit_id", "d1"}, {"year", 2025}, {"exemplar_ids", {kLan}}});
  ASSERT_EQ(selected.status, 201) << selected.body;
  // From 1 July 2025 the definition gives the district no step.
  ExpectRefused(
      world_.As("approver", "/v1/selections",
                {{"unit_id", "d1"}, {"year", 2026}, {"exemplar_ids", {kLan}}}),
      422, "no_registration_step", "unit_id");
  ExpectRefused(world_.As("approver", "/v1/registrations/2025-d1/submit",
                          {{"recipient_unit_id", "c1"}}),
                422, "invalid_recipient", "recipient_unit_id");
  HttpReply submitted =
      world_.As("approver", "/v1/registrations/2025-d1/submit",
                {{"recipient_unit_id", "snv"}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;

  const std::uint64_t head = world_.Head();
  json report =
      Get("/v1/reports/registrations?year=2025&unit=d1&min_position=" +
          std::to_string(head));
  json c1, d1;
  for (const json& row : report["rows"]) {
    if (row["unit_id"] == "c1") c1 = row;
    if (row["unit_id"] == "d1") d1 = row;
  }
  ASSERT_FALSE(c1.is_null()) << report.dump();
  EXPECT_EQ(c1["status"], "late");  // registered after 15 January 2025
  EXPECT_EQ(c1["listed"], 2);
  EXPECT_EQ(c1["short"], true);
  EXPECT_EQ(c1["selected_above"], 1);
  ASSERT_FALSE(d1.is_null()) << report.dump();
  EXPECT_EQ(d1["step"], "select");
  EXPECT_EQ(d1["exemplars"][0]["registered_by"], "c1");
  EXPECT_EQ(d1["submitted_to"], "snv");

  HttpReply csv = world_.server().RequestWith(
      verb::get, "/v1/reports/registrations?year=2025&unit=d1",
      {{"Accept", "text/csv"},
       {"Authorization", "Bearer " + world_.token("approver")}},
      "");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("status (tình trạng)"), std::string::npos);
  EXPECT_NE(csv.body.find("2025,c1,"), std::string::npos) << csv.body;
}

TEST_F(FunnelE2eTest, AReviewerScoresPropagation) {
  HttpReply scored = world_.As("approver", "/v1/propagation-assessments",
                               {{"unit_id", "c1"},
                                {"period", "2026-H1"},
                                {"score", 80},
                                {"comment", "Tuyên truyền đa dạng"}});
  ASSERT_EQ(scored.status, 201) << scored.body;
  ExpectRefused(
      world_.As("nominator", "/v1/propagation-assessments",
                {{"unit_id", "c1"}, {"period", "2026"}, {"score", 5}}),
      403, "not_authorised", "");
  ExpectRefused(
      world_.As("approver", "/v1/propagation-assessments",
                {{"unit_id", "c1"}, {"period", "2026"}, {"score", 500}}),
      422, "validation_failed", "score");
  json report =
      Get("/v1/reports/propagation?period=2026-H1&unit=c1&min_position=" +
          std::to_string(world_.Head()));
  ASSERT_EQ(report["rows"].size(), 1u) << report.dump();
  EXPECT_EQ(report["rows"][0]["score"], 80);
  EXPECT_EQ(report["rows"][0]["scored_by"], "approver");
  EXPECT_EQ(report["rows"][0]["items"], 0);
}

}  // namespace
}  // namespace exemplar
