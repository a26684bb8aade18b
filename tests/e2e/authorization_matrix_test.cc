// Who may do what, as one table: every route of the API × every role × an
// exemplar (or unit, user, token) inside and outside the caller's scope,
// with the expected status of each cell written below as data, run against
// the real binary. Every command cell runs on an exemplar in a state its
// action may start from, so a refusal is the guard's and not the state's.
// A route the server has (GET /openapi.json) without a row here fails the
// test; so does a row for a route it no longer has.
//
// The organisation, written into the data folder before the server starts
// (so the public-comment window can lie in the past):
//   vn (root) ─ kh (province) ─┬─ d1 (district) ─┬─ c1 (commune)
//                              │                 └─ c3 (commune)
//                              └─ d2 (district) ── c2 (commune)
// reporter, mentor and nominator hold their role at c1; appraiser,
// council_member, approver, propagandist, auditor and integrator at d1;
// admin at vn. "in" is an exemplar of c1; "out" one of c2, outside every
// seat but the admin's.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/bootstrap.h"
#include "api/tokens.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/reorganisation.h"
#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/e2e/seeded_folder.h"
#include "tests/support/opaque_id.h"
#include "tests/support/server_process.h"
#include "tests/support/sse_client.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::HttpReply;
using testing::kTestAdminToken;
using testing::ServerProcess;
using testing::TempDir;

// The roles, in the order of every row's columns.
const std::vector<std::string> kRoles = {
    "reporter", "mentor",       "nominator", "appraiser",  "council_member",
    "approver", "propagandist", "auditor",   "integrator", "admin"};

const std::map<std::string, std::string> kSeats = {
    {"reporter", "c1"},
    {"mentor", "c1"},
    {"nominator", "c1"},
    {"appraiser", "d1"},
    {"council_member", "d1"},
    {"approver", "d1"},
    {"propagandist", "d1"},
    {"auditor", "d1"},
    {"integrator", "d1"},
    {"admin", "vn"},
    {"data_protection_officer", "d1"}};

constexpr std::int64_t kMinute = 60LL * 1000 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

// The secret of holder-in's token that expired in 2025.
constexpr char kExpiredSecret[] = "matrix-token-expired-0123456789";

std::string Secret(const std::string& user) {
  return "matrix-token-" + user + "-0123456789";
}

// ---------------------------------------------------------------------------
// The table. Each row: method and route as OpenAPI names it, and the status
// each role gets, in kRoles order, inside and outside its scope.

struct Row {
  std::string method;
  std::string route;
  std::string in;  // e.g. "403 403 403 403 403 200 403 403 403 200"
  std::string out;
};

// Workflow actions: which roles may take each. Inside the caller's scope a
// role that may act succeeds and any other is refused 403; outside it, an
// exemplar answers 404, as an unknown one does, whatever the role (sight
// is judged before anything else). Detection outside the caller's scope
// has nothing to hide: 403.
const std::map<std::string, std::set<std::string>> kActionRoles = {
    {"detect", {"reporter", "mentor", "nominator"}},
    {"assign_mentor", {"nominator", "approver", "admin"}},
    {"reassign_mentor", {"nominator", "approver", "admin"}},
    {"release_mentor", {"nominator", "approver", "admin"}},
    {"log_support_visit", {"mentor"}},
    {"inform_authorities", {"mentor", "nominator", "approver"}},
    {"document_experience", {"mentor", "reporter"}},
    {"set_development_plan", {"mentor", "nominator"}},
    {"declare_conflict",
     {"appraiser", "council_member", "approver", "nominator", "admin"}},
    {"nominate", {"nominator"}},
    {"withdraw_nomination", {"nominator"}},
    {"appraise", {"appraiser"}},
    {"open_public_comment", {"appraiser", "approver"}},
    {"record_comment", {"appraiser", "approver", "reporter"}},
    {"record_vote", {"council_member"}},
    {"approve", {"approver"}},
    {"reject", {"approver"}},
    {"return_for_revision", {"approver", "appraiser"}},
    {"honour", {"approver"}},
    {"recommend_higher_award", {"approver", "nominator"}},
    {"revoke_award", {"approver"}},
    {"record_propagation", {"propagandist"}},
    {"plan_replication", {"mentor", "nominator", "approver"}},
    {"record_replication_progress", {"mentor", "reporter"}},
    {"evaluate_replication", {"appraiser", "approver", "mentor"}},
    {"register_emulation", {"nominator", "mentor"}},
    {"evaluate", {"appraiser", "mentor"}},
    {"retire", {"approver"}},
    {"adopt_definition_version", {"nominator", "approver", "admin"}},
    // Only a data-protection officer (not a column: seated apart) requests.
    {"request_erasure", {}},
    {"approve_erasure", {"approver", "admin"}},
    {"give_subject_access", {}},
};

// Every other route. "in"/"out" is the exemplar of c1/c2 for exemplar
// routes, a user or unit of d1/d2 for organisation routes, the caller's own
// token or user against another's for token routes.
const std::vector<Row> kRows = {
    // Reads of exemplars, scoped by the exemplar's unit.
    {"get", "/v1/exemplars", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/exemplars/{id}", "200 200 200 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    {"get", "/v1/exemplars/{id}/history",
     "200 200 200 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    // What the caller may do: for every reader (a refusal is in the
    // answer), an exemplar out of sight 404.
    {"get", "/v1/exemplars/{id}/actions",
     "200 200 200 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    {"get", "/v1/actions", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/ledger", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/reports/quotas", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/reports/deadlines", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/reports/follow-up", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/reports/retention", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/reports/registrations",
     "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/reports/propagation",
     "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/units", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    // A unit's lineage: "in" is c1, "out" c2, out of sight as unknown.
    {"get", "/v1/units/{id}/lineage", "200 200 200 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    {"get", "/v1/reports/reorganisation",
     "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/users", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    // Reference data: the definition for every reader; a campaign for those
    // at or below its unit, or above it ("in" is d1's, "out" d2's).
    {"get", "/v1/workflow", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/criteria-sets", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/campaigns", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/campaigns/{id}", "200 200 200 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    // The raw log: whole-tree readers only (a grant at the root).
    {"get", "/v1/events", "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    {"get", "/v1/streams/{id}", "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    {"get", "/v1/events/stream", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    // The audit trail.
    {"get", "/v1/audit/head", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/audit/proof/inclusion",
     "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/audit/proof/consistency",
     "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/audit/public-key", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    // A subject-access document is read by the officer who recorded the
    // step or an admin (tests/e2e/subject_access_test.cc); position 1 is
    // no such step.
    {"get", "/v1/exemplars/{id}/subject-access",
     "404 404 404 404 404 404 404 404 404 404",
     "404 404 404 404 404 404 404 404 404 404"},
    // Evidence documents: anyone signed in uploads (for themselves alone);
    // a document is read in the exemplar's scope (tests/e2e/
    // documents_test.cc), and a hash no event of it recorded answers as
    // one out of scope.
    {"post", "/v1/documents", "201 201 201 201 201 201 201 201 201 201",
     "201 201 201 201 201 201 201 201 201 201"},
    {"get", "/v1/exemplars/{id}/documents/{hash}",
     "404 404 404 404 404 404 404 404 404 404",
     "404 404 404 404 404 404 404 404 404 404"},
    // Proposing the erasures due: the admin's, or the schedule role's (the
    // data-protection officer's, not a column here).
    {"post", "/v1/reports/retention/proposals",
     "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    // Organisation commands: the admin's.
    {"post", "/v1/units", "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    {"post", "/v1/units/{id}/rename", "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    {"post", "/v1/units/{id}/move", "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    {"post", "/v1/units/{id}/close", "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    {"post", "/v1/users", "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    {"post", "/v1/users/{id}/deactivate",
     "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    {"post", "/v1/users/{id}/grants", "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    {"post", "/v1/users/{id}/grants/{grant_id}/revoke",
     "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    {"post", "/v1/campaigns", "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    {"post", "/v1/campaigns/{id}/close",
     "403 403 403 403 403 403 403 403 403 200",
     "403 403 403 403 403 403 403 403 403 200"},
    // Reorganisations: the admin's. One is read, and carried over, by those
    // who may read a unit it ended ("in" ended units of d1, "out" of d2).
    {"post", "/v1/reorganisations/merge",
     "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    {"post", "/v1/reorganisations/split",
     "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    {"post", "/v1/reorganisations/dissolve-level",
     "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    {"get", "/v1/reorganisations", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/v1/reorganisations/{id}",
     "404 404 404 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    {"post", "/v1/reorganisations/{id}/carry-over",
     "404 404 404 403 403 403 403 403 403 200",
     "404 404 404 404 404 404 404 404 404 200"},
    // The registration funnel and the propagation score: the roles the
    // definition gives each step, at the unit or above ("in" is c1 or d1,
    // "out" c2 or d2); a unit out of sight answers as an unknown one. Each
    // unit selects and submits once a year, so one cell succeeds.
    {"post", "/v1/registrations", "403 403 201 403 403 201 403 403 403 403",
     "404 404 404 404 404 404 404 404 404 403"},
    {"post", "/v1/selections", "404 404 404 403 403 201 403 403 403 403",
     "404 404 404 404 404 404 404 404 404 403"},
    {"post", "/v1/registrations/{id}/submit",
     "404 404 404 403 403 201 403 403 403 403",
     "404 404 404 404 404 404 404 404 404 403"},
    {"post", "/v1/propagation-assessments",
     "403 403 403 201 403 201 403 403 403 403",
     "404 404 404 404 404 404 404 404 404 403"},
    // Tokens: one's own, or the admin's for anyone; another user's out of
    // sight answers as an unknown one.
    {"get", "/v1/users/{id}/tokens", "200 200 200 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    {"post", "/v1/users/{id}/tokens", "201 201 201 201 201 201 201 201 201 201",
     "404 404 404 404 404 404 404 404 404 201"},
    {"delete", "/v1/tokens/{token_id}",
     "200 200 200 200 200 200 200 200 200 200",
     "404 404 404 404 404 404 404 404 404 200"},
    // Sessions: one's own Me and sign-out; setup codes are an admin's.
    {"get", "/v1/session", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"delete", "/v1/session", "204 204 204 204 204 204 204 204 204 204",
     "204 204 204 204 204 204 204 204 204 204"},
    {"post", "/v1/users/{id}/setup-codes",
     "403 403 403 403 403 403 403 403 403 201",
     "403 403 403 403 403 403 403 403 403 201"},
    // Public and operational routes. Signing in with a wrong password is
    // one answer for everyone; a too-short new password is refused first.
    {"post", "/v1/session", "401 401 401 401 401 401 401 401 401 401",
     "401 401 401 401 401 401 401 401 401 401"},
    {"post", "/v1/password", "400 400 400 400 400 400 400 400 400 400",
     "400 400 400 400 400 400 400 400 400 400"},
    {"get", "/healthz", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/readyz", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/openapi.json", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
    {"get", "/metrics", "200 200 200 200 200 200 200 200 200 200",
     "200 200 200 200 200 200 200 200 200 200"},
};

// ---------------------------------------------------------------------------
// Fields and states for the workflow actions.

// The state each action is tried in, and what is done after reaching it
// (an action that needs an earlier one of its kind).
struct Setup {
  std::string state;
  std::vector<std::string> then;
};
const std::map<std::string, Setup> kSetups = {
    {"assign_mentor", {"detected", {}}},
    {"reassign_mentor", {"nurturing", {}}},
    {"release_mentor", {"nurturing", {}}},
    {"log_support_visit", {"nurturing", {}}},
    {"inform_authorities", {"nurturing", {}}},
    {"document_experience", {"nurturing", {}}},
    {"set_development_plan", {"nurturing", {}}},
    {"declare_conflict", {"nominated", {}}},
    {"nominate", {"nurturing", {}}},
    {"withdraw_nomination", {"nominated", {}}},
    {"appraise", {"nominated", {}}},
    {"open_public_comment", {"appraised", {}}},
    {"record_comment", {"public_comment", {}}},
    {"record_vote", {"public_comment", {}}},
    {"approve", {"voted", {}}},
    {"reject", {"nominated", {}}},
    {"return_for_revision", {"nominated", {}}},
    {"honour", {"approved", {}}},
    {"recommend_higher_award", {"honoured", {}}},
    {"revoke_award", {"honoured", {}}},
    {"record_propagation", {"nurturing", {}}},
    {"plan_replication", {"approved", {}}},
    {"record_replication_progress", {"approved", {"plan_replication"}}},
    {"evaluate_replication", {"approved", {"plan_replication"}}},
    {"register_emulation", {"nurturing", {}}},
    {"evaluate", {"nurturing", {}}},
    {"retire", {"detected", {}}},
    {"adopt_definition_version", {"nominated", {}}},
    {"request_erasure", {"nurturing", {}}},
    {"give_subject_access", {"nurturing", {}}},
    {"approve_erasure", {"nurturing", {"request_erasure"}}},
};

const std::vector<std::string> kMainPath = {"detect",
                                            "assign_mentor",
                                            "nominate",
                                            "appraise",
                                            "open_public_comment",
                                            "record_vote",
                                            "approve",
                                            "honour"};
const std::map<std::string, std::string> kLastStep = {
    {"detected", "detect"},
    {"nurturing", "assign_mentor"},
    {"nominated", "nominate"},
    {"appraised", "appraise"},
    {"public_comment", "open_public_comment"},
    {"voted", "record_vote"},
    {"approved", "approve"},
    {"honoured", "honour"}};

// Who takes each step of a path, and as which role.
const std::map<std::string, std::string> kPathActor = {
    {"detect", "reporter"},
    {"assign_mentor", "nominator"},
    {"nominate", "nominator"},
    {"appraise", "appraiser"},
    {"open_public_comment", "appraiser"},
    {"record_vote", "council_member"},
    {"approve", "approver"},
    {"honour", "approver"},
    {"plan_replication", "mentor"},
    {"request_erasure", "data_protection_officer"}};

std::vector<std::string> PathFor(const std::string& action) {
  const Setup& setup = kSetups.at(action);
  std::vector<std::string> path;
  for (const std::string& step : kMainPath) {
    path.push_back(step);
    if (step == kLastStep.at(setup.state)) break;
  }
  path.insert(path.end(), setup.then.begin(), setup.then.end());
  return path;
}

std::string LocalDate(std::int64_t at_us) {
  return CivilDate::AtInstant(at_us, 420).ToString();
}

std::string Quarter(std::int64_t at_us) {
  return CivilDate::AtInstant(at_us, 420).QuarterName();
}

// Valid fields for `action` taken at `at_us` on an exemplar of `unit`.
json FieldsFor(const std::string& action, std::int64_t at_us,
               const std::string& unit) {
  const std::string today = LocalDate(at_us);
  if (action == "detect") {
    return {{"subject_kind", "household"},
            {"name", "Hộ bà Nguyễn Thị Lan"},
            {"unit_id", unit},
            {"field", "production_business"},
            {"summary", "Hộ sản xuất kinh doanh giỏi"},
            {"source", "branch_report"},
            {"cultured_family", true}};
  }
  const bool twin = unit == "c2";
  if (action == "assign_mentor") {
    return {{"mentor_id", twin ? "mentor-2" : "mentor"}};
  }
  if (action == "plan_replication") {
    // Within the planner's own unit (a mentor's commune).
    return {{"replication_id", "r1"},
            {"target_unit", unit},
            {"similarity_rationale", "Cùng vùng ven biển"},
            {"plan", "Tham quan học hỏi"}};
  }
  static const std::map<std::string, json> kFixed = {
      {"reassign_mentor",
       {{"mentor_id", "mentor2"}, {"reason", "Chuyển công tác"}}},
      {"release_mentor", {{"reason", "Hết nhiệm vụ"}}},
      {"document_experience",
       {{"title", "Kinh nghiệm nuôi tôm hùm"},
        {"content", "Chọn giống, chăm sóc, phòng bệnh"},
        {"practices", {"chọn giống"}}}},
      {"set_development_plan",
       {{"target_award", "bang_khen"},
        {"target_year", 2027},
        {"milestones", {"2027: mở rộng 2 ha"}}}},
      {"declare_conflict",
       {{"user_id", "council_member"}, {"reason", "Người thân"}}},
      {"withdraw_nomination", {{"reason", "Hồ sơ chưa đầy đủ"}}},
      {"appraise",
       {{"criteria",
         {{{"criterion", "policy_compliance"}, {"met", true}},
          {{"criterion", "outstanding_achievement"},
           {"met", true},
           {"evidence", "Biên bản kiểm tra của xã"}}}}}},
      {"open_public_comment", {{"posted_at", "Nhà văn hóa thôn"}}},
      {"approve", {{"decision_note", "Đồng ý"}}},
      {"reject", {{"reason", "Chưa đạt tiêu chí"}}},
      {"return_for_revision", {{"reason", "Bổ sung minh chứng"}}},
      {"recommend_higher_award",
       {{"proposed_award", "bang_khen"},
        {"to_unit", "kh"},
        {"reason", "Thành tích xuất sắc"}}},
      {"evaluate_replication",
       {{"replication_id", "r1"},
        {"outcome", "replicated"},
        {"evaluation", "Mô hình được nhân rộng"},
        {"adopters", 15}}},
      {"register_emulation",
       {{"partner_exemplar_id", "m-assign_mentor-in"},
        {"pledge", "Cùng thi đua"}}},
      {"evaluate",
       {{"period", "2025"},
        {"effect", "Thu nhập tăng"},
        {"influence", "Lan tỏa toàn xã"},
        {"potential", "Mở rộng quy mô"},
        {"still_meets_standard", true}}},
      {"retire", {{"reason", "Không còn đạt tiêu chuẩn"}}},
      {"adopt_definition_version", {{"reason", "Quy trình mới"}}},
      {"request_erasure",
       {{"retention_class", "exemplar_file"},
        {"legal_article", "Điều 16 Luật Bảo vệ dữ liệu cá nhân"},
        {"legal_reference", "12/2026/ĐN"},
        {"legal_date", "2026-01-05"}}},
      {"approve_erasure", {{"retention_class", "exemplar_file"}}},
      {"give_subject_access",
       {{"legal_reference", "5/2026/YC"}, {"legal_date", "2026-01-05"}}},
  };
  if (auto fixed = kFixed.find(action); fixed != kFixed.end()) {
    return fixed->second;
  }
  if (action == "log_support_visit") {
    return {{"visit_date", today}, {"notes", "Hướng dẫn ghi chép"}};
  }
  if (action == "inform_authorities") {
    return {{"body", "party_committee"}, {"informed_on", today}};
  }
  if (action == "nominate") {
    return {{"campaign_id", "gen"},
            {"nomination_kind", "quarterly"},
            {"period", Quarter(at_us)},
            {"award_form", "giay_khen"},
            {"summary", "Giới thiệu điển hình"}};
  }
  if (action == "record_comment") {
    return {{"commenter", "Chi hội thôn 2"},
            {"content", "Đồng ý"},
            {"received_on", today}};
  }
  if (action == "record_vote") {
    return {{"members", 9},
            {"votes_for", 8},
            {"votes_against", 0},
            {"abstentions", 1},
            {"meeting_date", today}};
  }
  if (action == "honour") {
    return {{"occasion", "periodic_review"},
            {"award_form", "giay_khen"},
            {"decision_number", "12/QĐ-UBND"},
            {"decision_date", today}};
  }
  if (action == "revoke_award") {
    return {{"reason", "Khai man thành tích"},
            {"decision_number", "9/QĐ-UBND"},
            {"decision_date", today}};
  }
  if (action == "record_propagation") {
    return {{"channel", "commune_loudspeaker"},
            {"title", "Gương sáng"},
            {"published_on", today},
            {"reach", 3000}};
  }
  if (action == "record_replication_progress") {
    return {{"replication_id", "r1"},
            {"recorded_on", today},
            {"progress", "12 hộ áp dụng"},
            {"percent_complete", 60}};
  }
  ADD_FAILURE() << "no fields for " << action;
  return json::object();
}

// ---------------------------------------------------------------------------
// The world: seeded through the engine with times in the past, then served.

// The exemplar of c1 with a replication planned into c3.
const std::string kReplicated = "m-replicated";

std::string ExemplarFor(const std::string& action, const std::string& cell) {
  return "m-" + action + "-" + cell;
}

class MatrixWorld {
 public:
  MatrixWorld() {
    Seed();
    server_ = std::make_unique<ServerProcess>(dir_.str());
  }

  ServerProcess& server() { return *server_; }

  // A request as `role` (its user's token).
  HttpReply As(const std::string& role, verb method, const std::string& target,
               const json& body = nullptr) {
    return server_->RequestWith(method, target,
                                {{"Authorization", "Bearer " + TokenOf(role)}},
                                body.is_null() ? "" : body.dump());
  }

  static std::string TokenOf(const std::string& role) {
    return role == "admin" ? std::string(kTestAdminToken) : Secret(role);
  }

 private:
  void Seed();
  void System(SystemAction action);
  void SeedFunnel();
  void Step(const std::string& id, const std::string& action,
            const std::string& unit);

  TempDir dir_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<Definition> definition_;
  std::unique_ptr<CommandHandler> handler_;
  std::int64_t now_ =
      CivilDate::FromYmd(2025, 1, 6).StartUnixMicros(420) + 9 * 60 * kMinute;
  std::unique_ptr<ServerProcess> server_;
};

// Lists for the funnel's cells: each commune registers its exemplar for
// 2024 and 2025, each district selects it for 2024 (the cells select for
// 2025 and submit 2024's).
void MatrixWorld::SeedFunnel() {
  for (const char* side : {"in", "out"}) {
    const bool in = std::string(side) == "in";
    const std::string commune = in ? "c1" : "c2";
    const std::string district = in ? "d1" : "d2";
    const std::vector<std::string> listed = {
        ExemplarFor("assign_mentor", side)};
    const Actor nominator{in ? "nominator" : "nominator-2", "nominator",
                          commune};
    const Actor approver{in ? "approver" : "approver-2", "approver", district};
    for (FunnelAction action :
         {FunnelAction(RegisterList{commune, 2024, listed, ""}),
          FunnelAction(RegisterList{commune, 2025, listed, ""}),
          FunnelAction(SelectList{district, 2024, listed, ""})}) {
      now_ += kMinute;
      const bool selects = std::holds_alternative<SelectList>(action);
      auto done = handler_->Handle(FunnelCommand{
          action, selects ? approver : nominator, now_, "matrix", ""});
      ASSERT_TRUE(done.ok()) << done.status().ToString();
    }
  }
}

void MatrixWorld::System(SystemAction action) {
  now_ += kMinute;
  auto done = handler_->Handle(SystemCommand{
      std::move(action), Actor{"admin", "admin", "vn"}, now_, "matrix", ""});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
}

void MatrixWorld::Step(const std::string& id, const std::string& action,
                       const std::string& unit) {
  now_ += kMinute;
  // In d2 the path is walked by the twins of the d1 seats.
  const std::string role = kPathActor.at(action);
  const bool twin = unit == "c2";
  const std::string seat = kSeats.at(role);
  auto done = handler_->Handle(
      WorkflowCommand{id, action, FieldsFor(action, now_, unit),
                      Actor{twin ? role + "-2" : role, role,
                            twin ? (seat == "c1" ? "c2" : "d2") : seat},
                      now_, "matrix", "", ""});
  ASSERT_TRUE(done.ok()) << id << " " << action << ": "
                         << done.status().ToString();
}

void MatrixWorld::Seed() {
  testing::OpenSeededFolder(dir_.str(), now_, &definition_, &store_, &handler_);
  if (::testing::Test::HasFatalFailure()) return;

  for (const auto& [id, parent, level] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"kh", "vn", "province"},          {"d1", "kh", "district"},
           {"d2", "kh", "district"},          {"c1", "d1", "commune"},
           {"c3", "d1", "commune"},           {"c4", "d2", "commune"},
           {"c2", "d2", "commune"},           {"u-in-rename", "d1", "commune"},
           {"u-out-rename", "d2", "commune"}, {"u-in-move", "d1", "commune"},
           {"u-out-move", "d2", "commune"},   {"u-in-close", "d1", "commune"},
           {"u-out-close", "d2", "commune"},  {"m-in-a", "d1", "commune"},
           {"m-in-b", "d1", "commune"},       {"m-out-a", "d2", "commune"},
           {"m-out-b", "d2", "commune"},      {"s-in", "d1", "commune"},
           {"s-out", "d2", "commune"},        {"dl-in", "d1", "commune"},
           {"dl-in-b", "dl-in", "branch"},    {"dl-out", "d2", "commune"},
           {"dl-out-b", "dl-out", "branch"},  {"r-in-a", "d1", "commune"},
           {"r-in-b", "d1", "commune"},       {"r-out-a", "d2", "commune"},
           {"r-out-b", "d2", "commune"},      {"snv", "kh", "department"}}) {
    System(UnitCreated{id, "Đơn vị " + id, level, parent});
  }
  for (const char* side : {"in", "out"}) {
    const std::string prefix = std::string("r-") + side;
    MergeUnits merge{
        prefix,
        {prefix + "-a", prefix + "-b"},
        UnitSpec{prefix + "-a", "", "", ""},
        LegalBasis{"01/2025/NQ-MAU", CivilDate::FromYmd(2025, 1, 1), "HĐND"},
        {}};
    now_ += kMinute;
    auto done = handler_->Handle(ReorganisationCommand{
        merge, Actor{"admin", "admin", "vn"}, now_, "matrix", ""});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }
  auto person = [&](const std::string& user, const std::string& role,
                    const std::string& unit) {
    System(UserRegistered{user, "Cán bộ " + user, unit});
    System(RoleGranted{"g-" + user, user, role, unit, now_, 0});
  };
  for (const std::string& role : kRoles) {
    if (role != "admin") person(role, role, kSeats.at(role));
  }
  person("data_protection_officer", "data_protection_officer", "d1");
  person("mentor2", "mentor", "c1");
  std::set<std::string> twins;  // the path's roles, once each, in d2
  for (const auto& [action, role] : kPathActor) twins.insert(role);
  for (const std::string& role : twins) {
    person(role + "-2", role, kSeats.at(role) == "c1" ? "c2" : "d2");
  }
  for (const char* side : {"in", "out"}) {
    const std::string unit = std::string(side) == "in" ? "d1" : "d2";
    for (const char* kind : {"deact", "grantee", "revokee", "holder"}) {
      person(std::string(kind) + "-" + side, "reporter", unit);
    }
    System(CampaignLaunched{std::string("camp-") + side, "Phong trào " + unit,
                            unit, CivilDate::FromYmd(2025, 1, 1),
                            CivilDate::FromYmd(2030, 12, 31), "general"});
  }
  System(CampaignLaunched{"gen", "Thi đua yêu nước", "kh",
                          CivilDate::FromYmd(2020, 1, 1),
                          CivilDate::FromYmd(2030, 12, 31), "general"});
  // Tokens live on the wall clock: issued now, through the command handler.
  const std::int64_t wall = SystemClockMicros();
  auto issue = [&](const std::string& user, const std::string& secret,
                   std::int64_t at, std::chrono::seconds lifetime) {
    auto drawn = DrawToken(secret);
    ASSERT_TRUE(drawn.ok()) << drawn.status().ToString();
    auto issued = handler_->Handle(
        SystemCommand{TokenIssuedFor(*drawn, user, at, lifetime),
                      Actor{"admin", "admin", "vn"}, at, "matrix", ""});
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  };
  for (const std::string& role : kRoles) {
    if (role != "admin") issue(role, Secret(role), wall, kUserTokenLifetime);
  }
  // A token whose day ran out long ago: issued at the seeding time.
  issue("holder-in", kExpiredSecret, now_, std::chrono::hours(24));

  // Exemplars, each brought to its action's state stage by stage, so that
  // one wait covers every public-comment window.
  std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>
      exemplars;  // id, unit, path
  for (const auto& [action, roles] : kActionRoles) {
    if (action == "detect") continue;
    const auto path = PathFor(action);
    exemplars.emplace_back(ExemplarFor(action, "in"), "c1", path);
    exemplars.emplace_back(ExemplarFor(action, "out"), "c2", path);
    for (const std::string& role : roles) {
      exemplars.emplace_back(ExemplarFor(action, role), "c1", path);
    }
  }
  // The scope rule's exception: an exemplar of c1 whose replication "r-c3"
  // the district's approver planned into c3, followed there by c3's
  // mentor, who sees nothing of c1 (kTargetCells).
  exemplars.emplace_back(kReplicated, "c1", PathFor("plan_replication"));
  person("mentor-c3", "mentor", "c3");
  issue("mentor-c3", Secret("mentor-c3"), wall, kUserTokenLifetime);
  for (std::size_t stage = 0; stage < 9; ++stage) {
    for (const auto& [id, unit, path] : exemplars) {
      if (stage < path.size()) Step(id, path[stage], unit);
    }
    now_ += 16 * kDay;
  }
  SeedFunnel();
  json plan = FieldsFor("plan_replication", now_, "c3");
  plan["replication_id"] = "r-c3";
  auto planned = handler_->Handle(WorkflowCommand{
      kReplicated, "plan_replication", plan,
      Actor{"approver", "approver", "d1"}, now_, "matrix", "", ""});
  ASSERT_TRUE(planned.ok()) << planned.status().ToString();
  store_->Close();
}

// ---------------------------------------------------------------------------
// The cells.

std::string Codes(const std::vector<int>& codes) {
  std::string text;
  for (int code : codes)
    text += (text.empty() ? "" : " ") + std::to_string(code);
  return text;
}

// The status `role` gets reading route `r` on the cell's `side`.
int RunRead(MatrixWorld& world, const std::string& role, const std::string& r,
            const std::string& side) {
  const std::string exemplar = ExemplarFor("assign_mentor", side);
  auto get = [&](const std::string& target) {
    return world.As(role, verb::get, target).status;
  };
  if (r == "/v1/workflow" || r == "/v1/criteria-sets" || r == "/v1/campaigns") {
    return get(r);
  }
  if (r == "/v1/campaigns/{id}") return get("/v1/campaigns/camp-" + side);
  if (r == "/v1/exemplars") return get("/v1/exemplars?limit=5");
  if (r == "/v1/exemplars/{id}") return get("/v1/exemplars/" + exemplar);
  if (r == "/v1/exemplars/{id}/history") {
    return get("/v1/exemplars/" + exemplar + "/history");
  }
  if (r == "/v1/exemplars/{id}/actions") {
    return get("/v1/exemplars/" + exemplar + "/actions");
  }
  if (r == "/v1/actions") return get(r);
  if (r == "/v1/exemplars/{id}/subject-access") {
    return get("/v1/exemplars/" + exemplar + "/subject-access?position=1");
  }
  if (r == "/v1/exemplars/{id}/documents/{hash}") {
    return get("/v1/exemplars/" + exemplar + "/documents/" +
               std::string(64, 'a'));
  }
  if (r == "/v1/ledger") return get("/v1/ledger?limit=5");
  if (r == "/v1/reports/quotas") return get(r + "?year=2025");
  if (r == "/v1/reports/deadlines") return get(r + "?year=2025&quarter=1");
  if (r == "/v1/reports/registrations") return get(r + "?year=2025");
  if (r == "/v1/reports/propagation") return get(r + "?period=2025");
  if (r == "/v1/units/{id}/lineage") {
    return get("/v1/units/" + std::string(side == "in" ? "c1" : "c2") +
               "/lineage");
  }
  if (r == "/v1/reports/follow-up" || r == "/v1/reports/retention" ||
      r == "/v1/units" || r == "/v1/users" ||
      r == "/v1/reports/reorganisation" || r == "/v1/audit/public-key" ||
      r == "/healthz" || r == "/readyz" || r == "/openapi.json" ||
      r == "/metrics" || r == "/v1/audit/head" || r == "/v1/session") {
    return get(r);
  }
  if (r == "/v1/reorganisations") return get(r);
  if (r == "/v1/reorganisations/{id}") {
    return get("/v1/reorganisations/r-" + side);
  }
  if (r == "/v1/users/{id}/tokens") {
    // One's own tokens, or someone's out of sight (an admin's to read).
    return get("/v1/users/" + (side == "in" ? role : "holder-out") + "/tokens");
  }
  if (r == "/v1/events") return get("/v1/events?from=1&limit=5");
  if (r == "/v1/streams/{id}") return get("/v1/streams/exemplar-" + exemplar);
  if (r == "/v1/events/stream") {
    testing::SseClient stream(
        world.server().port(), "/v1/events/stream",
        {{{"Authorization", "Bearer " + MatrixWorld::TokenOf(role)}}});
    return stream.status();
  }
  if (r == "/v1/audit/proof/inclusion") {
    return get(r + "?position=1&tree_size=2");
  }
  if (r == "/v1/audit/proof/consistency") return get(r + "?from=1&to=2");
  ADD_FAILURE() << "no request for get " << r;
  return 0;
}

// The status `role` gets for one cell of a route that is not a workflow
// action; `side` is "in" or "out", `serial` makes created ids unique.
int RunCell(MatrixWorld& world, const Row& row, const std::string& role,
            const std::string& side, int serial) {
  const bool in = side == "in";
  const std::string unique = role + "-" + side + "-" + std::to_string(serial);
  const std::string district = in ? "d1" : "d2";
  auto post = [&](const std::string& target, const json& body) {
    return world.As(role, verb::post, target, body).status;
  };
  const std::string& r = row.route;
  if (row.method == "get") return RunRead(world, role, r, side);
  if (r == "/v1/units") {
    return post(r, {{"unit_id", "u-" + unique},
                    {"name", "Xã mới"},
                    {"level", "commune"},
                    {"parent_id", district}});
  }
  if (r == "/v1/units/{id}/rename") {
    return post("/v1/units/u-" + side + "-rename/rename",
                {{"name", "Tên mới " + unique}});
  }
  if (r == "/v1/units/{id}/move") {
    return post("/v1/units/u-" + side + "-move/move",
                {{"parent_id", in ? "d2" : "d1"}});
  }
  if (r == "/v1/units/{id}/close") {
    return post("/v1/units/u-" + side + "-close/close",
                {{"reason", "Sáp nhập"}});
  }
  const json basis = {{"document_number", "02/2026/NQ-MAU"},
                      {"document_date", "2026-01-01"},
                      {"issuer", "HĐND"}};
  if (r == "/v1/reorganisations/merge") {
    return post(r, {{"units", {"m-" + side + "-a", "m-" + side + "-b"}},
                    {"into", {{"unit_id", "m-" + side + "-a"}}},
                    {"legal_basis", basis}});
  }
  if (r == "/v1/reorganisations/split") {
    return post(r, {{"unit_id", "s-" + side},
                    {"into",
                     {{{"unit_id", "s-" + unique + "-x"}, {"name", "Xã X"}},
                      {{"unit_id", "s-" + unique + "-y"}, {"name", "Xã Y"}}}},
                    {"legal_basis", basis}});
  }
  if (r == "/v1/reorganisations/dissolve-level") {
    return post(r, {{"parent_id", "dl-" + side},
                    {"level", "branch"},
                    {"legal_basis", basis}});
  }
  if (r == "/v1/reorganisations/{id}/carry-over") {
    return post("/v1/reorganisations/r-" + side + "/carry-over",
                json::object());
  }
  if (r == "/v1/users") {
    return post(r, {{"user_id", "p-" + unique},
                    {"full_name", "Người mới"},
                    {"home_unit_id", district}});
  }
  if (r == "/v1/users/{id}/deactivate") {
    return post("/v1/users/deact-" + side + "/deactivate",
                {{"reason", "Nghỉ hưu"}});
  }
  if (r == "/v1/users/{id}/grants") {
    return post("/v1/users/grantee-" + side + "/grants",
                {{"role", "mentor"}, {"unit_id", district}});
  }
  if (r == "/v1/users/{id}/grants/{grant_id}/revoke") {
    return post(
        "/v1/users/revokee-" + side + "/grants/g-revokee-" + side + "/revoke",
        {{"reason", "Hết nhiệm kỳ"}});
  }
  if (r == "/v1/campaigns") {
    return post(r, {{"campaign_id", "c-" + unique},
                    {"name", "Phong trào mới"},
                    {"unit_id", district},
                    {"period_start", "2026-01-01"},
                    {"period_end", "2026-12-31"},
                    {"criteria_set", "general"}});
  }
  if (r == "/v1/campaigns/{id}/close") {
    return post("/v1/campaigns/camp-" + side + "/close",
                {{"reason", "Kết thúc"}});
  }
  if (r == "/v1/registrations") {
    // A year of its own per cell: a unit registers once a year.
    return post(r, {{"unit_id", in ? "c1" : "c2"},
                    {"year", 3000 + serial},
                    {"exemplar_ids", {ExemplarFor("assign_mentor", side)}}});
  }
  if (r == "/v1/selections") {
    return post(r, {{"unit_id", district},
                    {"year", 2025},
                    {"exemplar_ids", {ExemplarFor("assign_mentor", side)}}});
  }
  if (r == "/v1/registrations/{id}/submit") {
    return post("/v1/registrations/2024-" + district + "/submit",
                {{"recipient_unit_id", "snv"}});
  }
  if (r == "/v1/propagation-assessments") {
    return post(
        r,
        {{"unit_id", in ? "c1" : "c2"}, {"period", "2025-H1"}, {"score", 80}});
  }
  if (r == "/v1/users/{id}/tokens") {
    const std::string user = in ? role : "holder-out";
    return world.As(role, verb::post, "/v1/users/" + user + "/tokens").status;
  }
  if (r == "/v1/tokens/{token_id}") {
    // A token of the caller's own, or of someone else, issued for the cell.
    const std::string owner = in ? role : "holder-out";
    HttpReply issued = world.As(in ? role : "admin", verb::post,
                                "/v1/users/" + owner + "/tokens");
    if (issued.status != 201) return -issued.status;
    std::string id = json::parse(issued.body)["token_id"];
    return world.As(role, verb::delete_, "/v1/tokens/" + id).status;
  }
  if (r == "/v1/users/{id}/setup-codes") {
    return post("/v1/users/grantee-" + side + "/setup-codes", json::object());
  }
  if (r == "/v1/reports/retention/proposals") return post(r, json::object());
  if (r == "/v1/documents") {
    return world.server()
        .RequestWith(
            verb::post, "/v1/documents?name=a.pdf",
            {{"Authorization", "Bearer " + MatrixWorld::TokenOf(role)}},
            "%PDF-1.4", "application/pdf")
        .status;
  }
  if (r == "/v1/session" && row.method == "post") {
    return post(r, {{"user_id", role}, {"password", "not the password"}});
  }
  if (r == "/v1/session") return world.As(role, verb::delete_, r).status;
  if (r == "/v1/password") {
    return post(r, {{"user_id", role},
                    {"setup_code", "AAAA-BBBB-CCCC"},
                    {"password", "short"}});
  }
  ADD_FAILURE() << "no request for " << row.method << " " << r;
  return 0;
}

// Detection names its exemplar in the path instead of the body.
const std::string kDetectById = "detect (POST /v1/exemplars/{id}/detect)";

// The actions route offered what the command then answered: the action
// allowed when it was taken, else the command's own code; an exemplar out
// of sight 404 on both.
void ExpectOffered(const HttpReply& offered, const std::string& action,
                   const HttpReply& taken) {
  if (taken.status == 404) {
    EXPECT_EQ(offered.status, 404) << action << " " << offered.body;
    return;
  }
  ASSERT_EQ(offered.status, 200) << action << " " << offered.body;
  const json answer = json::parse(offered.body);
  for (const json& item : answer["actions"]) {
    if (item["action"] != action) continue;
    if (taken.status < 300) {
      EXPECT_EQ(item["allowed"], true) << item.dump();
    } else {
      EXPECT_EQ(item["refusal"]["code"], json::parse(taken.body)["type"])
          << item.dump() << " " << taken.body;
    }
    return;
  }
  ADD_FAILURE() << "the actions route has no " << action;
}

// The status `role` gets for a workflow action inside or outside its scope.
int RunActionCell(MatrixWorld& world, const std::string& action,
                  const std::string& role, const std::string& side,
                  bool allowed) {
  const std::string unit = side == "in" ? "c1" : "c2";
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  json fields = FieldsFor(action == kDetectById ? "detect" : action, now, unit);
  if (action == "detect") {
    fields["exemplar_id"] = testing::OpaqueId("m-detect-" + role + "-" + side);
    return world.As(role, verb::post, "/v1/exemplars", fields).status;
  }
  if (action == kDetectById) {
    const std::string id =
        testing::OpaqueId("m-detect-by-id-" + role + "-" + side);
    return world.As(role, verb::post, "/v1/exemplars/" + id + "/detect", fields)
        .status;
  }
  const std::string id = side == "in" && allowed ? ExemplarFor(action, role)
                                                 : ExemplarFor(action, side);
  const std::string path = "/v1/exemplars/" + id;
  HttpReply offered = world.As(role, verb::get, path + "/actions");
  HttpReply taken = world.As(role, verb::post, path + "/" + action, fields);
  ExpectOffered(offered, action, taken);
  return taken.status;
}

// What the table expects of a workflow action.
std::pair<std::string, std::string> ActionRow(
    const std::string& action, const std::set<std::string>& allowed) {
  std::vector<int> in, out;
  const bool detects = action == "detect" || action == kDetectById;
  const int success = detects ? 201 : 200;
  for (const std::string& role : kRoles) {
    const bool may = allowed.count(role) > 0;
    in.push_back(may ? success : 403);
    if (role == "admin") {
      out.push_back(may ? success : 403);  // c2 lies in the admin's scope
    } else if (detects) {
      out.push_back(403);  // nothing to hide: the unit is outside
    } else {
      out.push_back(404);  // as an unknown exemplar, whatever the role
    }
  }
  return {Codes(in), Codes(out)};
}

// The routes the server has, from its OpenAPI document ("get /v1/units").
std::set<std::string> ServedRoutes(MatrixWorld& world) {
  HttpReply document = world.server().Request(verb::get, "/openapi.json");
  const json paths = json::parse(document.body)["paths"];
  std::set<std::string> routes;
  for (const auto& [path, operations] : paths.items()) {
    for (const auto& [method, operation] : operations.items()) {
      routes.insert(method + " " + path);
    }
  }
  return routes;
}

TEST(AuthorizationMatrixTest, EveryRouteRoleAndScopeAnswersAsTheTableSays) {
  MatrixWorld world;

  std::set<std::string> tabled;
  for (const Row& row : kRows) tabled.insert(row.method + " " + row.route);
  for (const auto& [action, roles] : kActionRoles) {
    tabled.insert("post /v1/exemplars/{id}/" + action);
  }
  tabled.insert("post /v1/exemplars");  // detection with the id in the body
  std::set<std::string> served = ServedRoutes(world);
  for (const std::string& route : served) {
    EXPECT_TRUE(tabled.count(route)) << route << " has no row in the matrix";
  }
  for (const std::string& route : tabled) {
    EXPECT_TRUE(served.count(route)) << route << " is not served any more";
  }

  std::vector<std::string> mismatches;
  auto actions = kActionRoles;
  actions[kDetectById] = kActionRoles.at("detect");
  for (const auto& [action, roles] : actions) {
    const auto [want_in, want_out] = ActionRow(action, roles);
    for (std::string side : {"in", "out"}) {
      std::vector<int> got;
      for (const std::string& role : kRoles) {
        got.push_back(
            RunActionCell(world, action, role, side, roles.count(role) > 0));
      }
      const std::string& want = side == "in" ? want_in : want_out;
      if (Codes(got) != want) {
        mismatches.push_back(action + " " + side + ": want " + want + ", got " +
                             Codes(got));
      }
    }
  }
  int serial = 0;
  for (const Row& row : kRows) {
    for (std::string side : {"in", "out"}) {
      std::vector<int> got;
      for (const std::string& role : kRoles) {
        got.push_back(RunCell(world, row, role, side, ++serial));
      }
      const std::string& want = side == "in" ? row.in : row.out;
      if (Codes(got) != want) {
        mismatches.push_back(row.method + " " + row.route + " " + side +
                             ": want " + want + ", got " + Codes(got));
      }
    }
  }
  std::string report;
  for (const std::string& line : mismatches) report += line + "\n";
  std::string columns;
  for (const std::string& role : kRoles) columns += role + " ";
  EXPECT_TRUE(mismatches.empty()) << "columns: " << columns << "\n" << report;
}

// The scope rule's one exception (engine/workflow/target_scope.h), as rows
// of the table: c3's mentor, whose scope holds c3 only, follows the
// replication "r-c3" planned into c3 from c1's exemplar; the district's
// approver may not plan one into another district's commune.
struct TargetCell {
  std::string user;
  verb method;
  std::string target;
  json body;
  int status;
};

TEST(AuthorizationMatrixTest, AReplicationsTargetUnitFollowsItAndNoMore) {
  MatrixWorld world;
  const std::string path = "/v1/exemplars/" + kReplicated;
  const std::int64_t now = SystemClockMicros();
  json progress = FieldsFor("record_replication_progress", now, "c1");
  progress["replication_id"] = "r-c3";
  json other = progress;
  other["replication_id"] = "r1";  // planned into c1 by c1's mentor
  json plan = FieldsFor("plan_replication", now, "c2");
  plan["replication_id"] = "r-c2";
  const std::vector<TargetCell> cells = {
      {"mentor-c3", verb::get, path, nullptr, 200},
      {"mentor-c3", verb::get, path + "/actions", nullptr, 200},
      {"mentor-c3", verb::post, path + "/record_replication_progress", progress,
       200},
      {"mentor-c3", verb::post, path + "/record_replication_progress", other,
       404},
      {"mentor-c3", verb::post, path + "/document_experience",
       FieldsFor("document_experience", now, "c1"), 404},
      {"mentor-c3", verb::get, path + "/history", nullptr, 404},
      {"mentor-c3", verb::get,
       "/v1/exemplars/" + ExemplarFor("assign_mentor", "in"), nullptr, 404},
      {"approver", verb::post, path + "/plan_replication", plan, 422},
  };
  std::vector<std::string> mismatches;
  for (const TargetCell& cell : cells) {
    HttpReply reply = world.As(cell.user, cell.method, cell.target, cell.body);
    if (reply.status != cell.status) {
      mismatches.push_back(
          cell.user + " " +
          std::string(boost::beast::http::to_string(cell.method)) + " " +
          cell.target + ": want " + std::to_string(cell.status) + ", got " +
          std::to_string(reply.status) + " " + reply.body);
    }
  }
  std::string report;
  for (const std::string& line : mismatches) report += line + "\n";
  EXPECT_TRUE(mismatches.empty()) << report;
  HttpReply actions = world.As("mentor-c3", verb::get, path + "/actions");
  const json listed = json::parse(actions.body);  // outlives the loop
  for (const json& item : listed["actions"]) {
    if (item["action"] == "record_replication_progress") {
      EXPECT_EQ(item["allowed"], true) << item.dump();
    }
  }
  HttpReply refused =
      world.As("approver", verb::post, path + "/plan_replication", plan);
  EXPECT_EQ(json::parse(refused.body)["type"],
            "replication_target_out_of_authority")
      << refused.body;
}

// A token or user that lost its standing, over a route of each kind (every
// route shares one guard): the status and problem type each gets.
TEST(AuthorizationMatrixTest, LostStandingIsRefusedOnEveryKindOfRoute) {
  MatrixWorld world;
  auto token_of = [&](const std::string& user) {
    HttpReply issued =
        world.As("admin", verb::post, "/v1/users/" + user + "/tokens");
    EXPECT_EQ(issued.status, 201) << issued.body;
    return json::parse(issued.body);
  };
  const json revoked = token_of("holder-in");
  ASSERT_EQ(world
                .As("admin", verb::delete_,
                    "/v1/tokens/" + revoked["token_id"].get<std::string>())
                .status,
            200);
  const json deactivated = token_of("deact-in");
  ASSERT_EQ(world
                .As("admin", verb::post, "/v1/users/deact-in/deactivate",
                    {{"reason", "Nghỉ hưu"}})
                .status,
            200);
  struct Standing {
    std::string name;
    std::string token;
    std::string user;
    std::string type;  // the problem type every route answers
  };
  const std::vector<Standing> standings = {
      {"revoked token", revoked["token"], "holder-in", "unauthenticated"},
      {"deactivated user", deactivated["token"], "deact-in", "user_inactive"},
      {"expired token", kExpiredSecret, "holder-in", "token_expired"},
  };
  auto head = [&] {
    HttpReply ready = world.server().Request(verb::get, "/readyz");
    return json::parse(ready.body)["head_position"].get<std::uint64_t>();
  };
  const std::uint64_t head_before = head();
  for (const Standing& standing : standings) {
    const testing::Headers bearer = {
        {"Authorization", "Bearer " + standing.token}};
    const std::vector<std::pair<verb, std::string>> reads = {
        {verb::get, "/v1/exemplars"},
        {verb::get, "/v1/exemplars/" + ExemplarFor("assign_mentor", "in")},
        {verb::get, "/v1/ledger"},
        {verb::get, "/v1/reports/follow-up"},
        {verb::get, "/v1/units"},
        {verb::get, "/v1/audit/head"},
        {verb::post, "/v1/users/" + standing.user + "/tokens"},
        {verb::post, "/v1/exemplars"},
    };
    for (const auto& [method, target] : reads) {
      json body = method == verb::post && target == "/v1/exemplars"
                      ? FieldsFor("detect", 0, "c1")
                      : json();
      HttpReply reply = world.server().RequestWith(
          method, target, bearer, body.is_null() ? "" : body.dump());
      EXPECT_EQ(reply.status, 401) << standing.name << " " << target;
      if (reply.status >= 400) {
        EXPECT_EQ(json::parse(reply.body)["type"], standing.type)
            << standing.name << " " << target;
      }
    }
    testing::SseClient stream(
        world.server().port(), "/v1/events/stream",
        {{{"Authorization", "Bearer " + standing.token}}});
    EXPECT_EQ(stream.status(), 401) << standing.name << " event stream";
  }
  EXPECT_EQ(head(), head_before) << "a refused request moved the log's head";
}

}  // namespace
}  // namespace exemplar
