// The demo province across the 2025 reform, against the real binary: the
// tree of the day before, the lineage of a merged commune, its 2025 quotas
// as the sum of its parts, work carried over and completed under the new
// commune, the 2026 registration funnel, the propagation scores, and the
// two campaigns decided by their own bodies.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/demo_world.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;

using DemoReformTest = DemoWorldTest;

const char kReader[] = "auditor-kh";

// Every unit of a /v1/units answer (a tree), by id.
std::map<std::string, json> UnitsById(const json& answer) {
  std::map<std::string, json> units;
  std::vector<json> pending(answer["units"].begin(), answer["units"].end());
  while (!pending.empty()) {
    json unit = std::move(pending.back());
    pending.pop_back();
    for (const json& child : unit["children"]) pending.push_back(child);
    units[unit["id"].get<std::string>()] = unit;
  }
  return units;
}

// Every exemplar `user` lists under `query`, across pages.
std::vector<json> AllExemplars(DemoWorld& world, const std::string& query) {
  std::vector<json> items;
  std::string cursor;
  do {
    HttpReply page = world.Get(
        kReader, "/v1/exemplars?limit=100&min_position=" + world.head() +
                     query + (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(page.status, 200) << page.body;
    const json body = Body(page);
    for (const json& item : body["items"]) items.push_back(item);
    cursor = body.value("next_cursor", json()).is_string()
                 ? body["next_cursor"].get<std::string>()
                 : "";
  } while (!cursor.empty());
  return items;
}

std::map<std::string, json> RowsByUnit(const json& report) {
  std::map<std::string, json> rows;
  for (const json& row : report["rows"]) {
    rows[row["unit_id"].get<std::string>()] = row;
  }
  return rows;
}

TEST_F(DemoReformTest, TheTreeOfTheDayBeforeHasTheDistrictsAndBothProvinces) {
  DemoWorld& world = *world_;
  HttpReply before = world.Get(
      kReader, "/v1/units?as_of=2025-06-30&min_position=" + world.head());
  ASSERT_EQ(before.status, 200) << before.body;
  std::map<std::string, json> then = UnitsById(Body(before));
  for (const char* unit : {"camlam", "ninhhai", "camlam-2", "nt"}) {
    ASSERT_TRUE(then.count(unit)) << unit;
    EXPECT_TRUE(then[unit]["open"].get<bool>()) << unit;
  }
  EXPECT_EQ(then["camlam-2"]["parent_id"], "camlam");
  EXPECT_EQ(then["camlam-1"]["name"], "Xã Cam Hải Tây");

  std::map<std::string, json> now = UnitsById(
      Body(world.Get(kReader, "/v1/units?min_position=" + world.head())));
  EXPECT_FALSE(now["camlam"]["open"].get<bool>());
  EXPECT_FALSE(now["camlam-2"]["open"].get<bool>());
  EXPECT_EQ(now["camlam-1"]["parent_id"], "kh");
  EXPECT_EQ(now["camlam-1"]["name"], "Xã Cam Lâm");
  EXPECT_EQ(now["ninhhai-1"]["parent_id"], "kh");
}

TEST_F(DemoReformTest, AMergedCommuneNamesItsPredecessorsAndLegalBasis) {
  DemoWorld& world = *world_;
  HttpReply lineage = world.Get(
      kReader, "/v1/units/camlam-1/lineage?min_position=" + world.head());
  ASSERT_EQ(lineage.status, 200) << lineage.body;
  const json commune = Body(lineage);
  std::set<std::string> predecessors;
  for (const json& unit : commune["predecessors"]) {
    predecessors.insert(unit["id"].get<std::string>());
    EXPECT_EQ(unit["reorganisation_id"], "sapxep-xa-camlam-1");
  }
  EXPECT_EQ(predecessors,
            (std::set<std::string>{"camlam-2", "camlam-3", "camlam-4"}));
  const json merger = commune["reorganisations"][0];
  EXPECT_EQ(merger["kind"], "merge");
  EXPECT_EQ(merger["legal_basis"]["document_number"], "01/2025/NQ-MAU");

  HttpReply province =
      world.Get(kReader, "/v1/units/kh/lineage?min_position=" + world.head());
  ASSERT_EQ(province.status, 200) << province.body;
  const json reorganisations = Body(province)["reorganisations"];
  bool resolution = false;
  for (const json& reorganisation : reorganisations) {
    resolution |=
        reorganisation["legal_basis"]["document_number"] == "202/2025/QH15";
  }
  EXPECT_TRUE(resolution) << province.body;

  // The commune's name before the reform still finds it, without marks.
  HttpReply found = world.Get(
      kReader, "/v1/units?q=cam%20hai%20tay&min_position=" + world.head());
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_TRUE(UnitsById(Body(found)).count("camlam-1")) << found.body;
}

TEST_F(DemoReformTest, The2025QuotasOfAMergedCommuneAreTheSumOfItsParts) {
  DemoWorld& world = *world_;
  HttpReply report = world.Get(
      kReader, "/v1/reports/quotas?year=2025&min_position=" + world.head());
  ASSERT_EQ(report.status, 200) << report.body;
  std::map<std::string, json> rows = RowsByUnit(Body(report));

  // Each exemplar now in camlam-1 and detected in 2025, with the commune
  // it came from (none: detected in camlam-1 or after the reform).
  std::map<std::string, int> detected_in;
  int total = 0;
  for (const json& item : AllExemplars(world, "&unit=camlam-1")) {
    if (item["detected_at"].get<std::string>().rfind("2025-", 0) != 0) continue;
    ++total;
    HttpReply view =
        world.Get(kReader, "/v1/exemplars/" + item["id"].get<std::string>());
    const json transfers = Body(view)["transfers"];
    if (!transfers.empty()) {
      ++detected_in[transfers[0]["fields"]["from_unit_id"].get<std::string>()];
    }
  }
  ASSERT_GT(total, 0);
  EXPECT_EQ(rows.at("camlam-1")["detected"], total);
  int parts = 0;
  for (const char* predecessor : {"camlam-2", "camlam-3", "camlam-4"}) {
    EXPECT_EQ(rows.at(predecessor)["detected"], detected_in[predecessor])
        << predecessor;
    EXPECT_EQ(rows.at(predecessor)["successors"], json::array({"camlam-1"}));
    parts += detected_in[predecessor];
  }
  EXPECT_GT(parts, 0);
  EXPECT_LT(parts, total);  // camlam-1 detected some of its own
}

TEST_F(DemoReformTest, WorkCarriedOverIsCompletedUnderTheNewCommune) {
  DemoWorld& world = *world_;
  int completed = 0;
  for (const json& item :
       AllExemplars(world, "&unit=camlam-1&state=honoured")) {
    const json view = Body(
        world.Get(kReader, "/v1/exemplars/" + item["id"].get<std::string>()));
    if (view["transfers"].empty()) continue;
    const std::string moved = view["transfers"][0]["at"];
    for (const json& honour : view["honours"]) {
      if (honour["at"].get<std::string>() > moved) {
        EXPECT_EQ(honour["actor"]["unit_id"], "camlam-1") << view["id"];
        ++completed;
      }
    }
  }
  EXPECT_GT(completed, 0);
  // Its readers see what the communes it absorbed had.
  const std::string carried = world.FirstIn(kReader, "honoured", "camlam-1");
  EXPECT_EQ(world.Get("reporter-camlam-1", "/v1/exemplars/" + carried).status,
            200);
}

TEST_F(DemoReformTest, TheProvinceSelectsFromTheCommunesListsOf2026) {
  DemoWorld& world = *world_;
  HttpReply report =
      world.Get(kReader, "/v1/reports/registrations?year=2026&min_position=" +
                             world.head());
  ASSERT_EQ(report.status, 200) << report.body;
  std::map<std::string, json> rows = RowsByUnit(Body(report));
  const json& province = rows.at("kh");
  EXPECT_EQ(province["step"], "select");
  EXPECT_EQ(province["listed"], 12);
  EXPECT_EQ(province["submitted_to"], "so-nv");
  for (const json& exemplar : province["exemplars"]) {
    const std::string commune = exemplar["registered_by"];
    ASSERT_TRUE(rows.count(commune)) << commune;
    EXPECT_EQ(rows[commune]["level"], "commune");
  }
  std::map<std::string, int> statuses;
  for (const auto& [unit, row] : rows) {
    if (row["level"] == "commune") ++statuses[row["status"]];
  }
  EXPECT_EQ(statuses["late"], 1);
  EXPECT_EQ(statuses["missing"], 1);
  EXPECT_EQ(rows.at("ninhhai-3")["status"], "missing");
}

TEST_F(DemoReformTest, EveryNewCommunesPropagationOf2025IsScored) {
  DemoWorld& world = *world_;
  HttpReply report =
      world.Get(kReader, "/v1/reports/propagation?period=2025&min_position=" +
                             world.head());
  ASSERT_EQ(report.status, 200) << report.body;
  std::set<std::string> channels;
  std::map<std::string, json> rows = RowsByUnit(Body(report));
  for (const char* commune :
       {"camlam-1", "camlam-5", "camlam-8", "dienkhanh-1", "dienkhanh-5",
        "dienkhanh-8", "vanninh-1", "vanninh-5", "vanninh-8", "ninhhai-1",
        "ninhhai-3"}) {
    ASSERT_TRUE(rows.count(commune)) << commune;
    EXPECT_TRUE(rows[commune]["score"].is_number()) << commune;
    for (const auto& [channel, items] : rows[commune]["by_channel"].items()) {
      channels.insert(channel);
    }
  }
  EXPECT_GE(channels.size(), 3u);
}

TEST_F(DemoReformTest, EachCampaignIsDecidedByItsOwnBody) {
  DemoWorld& world = *world_;
  std::map<std::string, std::set<std::string>> deciders;  // campaign -> roles
  std::set<std::string> kinds;
  std::set<std::string> priorities;
  for (const json& item : AllExemplars(world, "&state=honoured")) {
    const json view = Body(
        world.Get(kReader, "/v1/exemplars/" + item["id"].get<std::string>()));
    for (const json& honour : view["honours"]) {
      deciders[item["campaign_id"]].insert(honour["actor"]["role"]);
    }
  }
  for (const json& item : AllExemplars(world, "")) {
    kinds.insert(item["subject_kind"].get<std::string>());
    for (const json& flag : item["priority_flags"]) priorities.insert(flag);
  }
  EXPECT_EQ(deciders["gen-2025"], std::set<std::string>{"approver"});
  EXPECT_EQ(deciders["pn-2025"], std::set<std::string>{"standing_committee"});
  EXPECT_EQ(kinds,
            (std::set<std::string>{"collective", "household", "individual"}));
  EXPECT_EQ(priorities.size(), 3u);
}

}  // namespace
}  // namespace exemplar::testing
