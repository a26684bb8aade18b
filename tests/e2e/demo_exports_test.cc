// The demo province through the real binary: an export of the list or the
// ledger holds every row the JSON pages hold, and `unit` selects by the
// exemplar's unit on every route.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace exemplar::testing {
namespace {

using boost::beast::http::verb;
using nlohmann::json;

struct Demo {
  std::string admin_token;
  std::string head;  // the log's last position
};

// The text after `marker` in `out`, up to `end`.
std::string After(const std::string& out, const std::string& marker, char end) {
  const std::size_t at = out.find(marker);
  if (at == std::string::npos) return {};
  const std::size_t begin = at + marker.size();
  return out.substr(begin, out.find(end, begin) - begin);
}

// Writes the demo province into `data`.
Demo WriteDemo(const std::string& data) {
  const std::string command =
      std::string(EXEMPLAR_BINARY) + " demo --data " + data + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    out.append(buffer, n);
  }
  EXPECT_EQ(pclose(pipe), 0) << out;
  return {After(out, "admin (admin @ vn): ", '\n'),
          After(out, "head position ", ',')};
}

// Records in an RFC 4180 body after its header line (CRLF inside quotes
// belongs to a cell).
std::size_t CsvRecords(const std::string& body) {
  std::size_t records = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '"') quoted = !quoted;
    if (!quoted && body[i] == '\n') ++records;
  }
  return records - 1;
}

std::size_t Lines(const std::string& body) {
  std::size_t lines = 0;
  for (char c : body) lines += c == '\n';
  return lines;
}

class DemoExportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Demo demo = WriteDemo(dir_.str() + "/data");
    token_ = demo.admin_token;
    ASSERT_FALSE(token_.empty());
    ASSERT_FALSE(demo.head.empty());
    server_ = std::make_unique<ServerProcess>(dir_.str() + "/data");
    // The projections fold the demo's log once the server runs.
    HttpReply caught_up = Get("/v1/units?min_position=" + demo.head);
    ASSERT_EQ(caught_up.status, 200) << caught_up.body;
  }

  HttpReply Get(const std::string& target, const std::string& accept = {}) {
    Headers headers = {{"Authorization", "Bearer " + token_}};
    if (!accept.empty()) headers.emplace_back("Accept", accept);
    return server_->RequestWith(verb::get, target, headers);
  }

  // Every row of the ledger's JSON pages (filtered by `query`).
  std::vector<json> LedgerRows(const std::string& query) {
    std::vector<json> rows;
    std::string after = "0";
    for (;;) {
      HttpReply page = Get("/v1/ledger?limit=100&after=" + after + query);
      EXPECT_EQ(page.status, 200) << page.body;
      json body = json::parse(page.body);
      for (json& row : body["rows"]) rows.push_back(std::move(row));
      if (body["next_after_position"].is_null()) return rows;
      after = std::to_string(body["next_after_position"].get<std::uint64_t>());
    }
  }

  // How many exemplars the list's JSON pages hold.
  std::size_t ListedExemplars(const std::string& query) {
    std::size_t count = 0;
    std::string cursor;
    for (;;) {
      HttpReply page = Get("/v1/exemplars?limit=50" + query +
                           (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(page.status, 200) << page.body;
      json body = json::parse(page.body);
      count += body["items"].size();
      if (body["next_cursor"].is_null()) return count;
      cursor = body["next_cursor"];
    }
  }

  // `unit` and the units below it, with the units they succeeded (a
  // filter follows lineage); with `open_only`, those open today.
  std::set<std::string> Subtree(const std::string& unit,
                                bool open_only = false) {
    std::set<std::string> within;
    std::map<std::string, json> predecessors;
    std::function<void(const json&, bool)> walk = [&](const json& node,
                                                      bool below) {
      const bool in = below || node["id"] == unit;
      predecessors[node["id"]] = node["predecessors"];
      if (in && (!open_only || node["open"].get<bool>())) {
        within.insert(node["id"].get<std::string>());
      }
      for (const json& child : node["children"]) walk(child, in);
    };
    const json units = json::parse(Get("/v1/units").body);
    for (const json& root : units["units"]) walk(root, false);
    if (open_only) return within;
    std::vector<std::string> pending(within.begin(), within.end());
    while (!pending.empty()) {
      const std::string id = pending.back();
      pending.pop_back();
      for (const json& predecessor : predecessors[id]) {
        if (within.insert(predecessor.get<std::string>()).second) {
          pending.push_back(predecessor);
        }
      }
    }
    return within;
  }

  TempDir dir_;
  std::string token_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(DemoExportsTest, AnExportHoldsEveryRowTheJsonPagesHold) {
  const std::size_t ledger = LedgerRows("").size();
  ASSERT_GT(ledger, 100u);  // more than one JSON page of the default size
  HttpReply csv = Get("/v1/ledger", "text/csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers["Transfer-Encoding"], "chunked");
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(CsvRecords(csv.body), ledger);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);  // one BOM, at the start
  EXPECT_EQ(csv.body.find("\xEF\xBB\xBF", 1), std::string::npos);
  HttpReply lines = Get("/v1/ledger", "application/x-ndjson");
  ASSERT_EQ(lines.status, 200);
  EXPECT_EQ(Lines(lines.body), ledger);

  const std::size_t exemplars = ListedExemplars("");
  ASSERT_GT(exemplars, 50u);
  HttpReply list = Get("/v1/exemplars", "text/csv");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(CsvRecords(list.body), exemplars);

  // As of a day, through one fold of the log, the same count as its pages.
  const std::string day = "&as_of_day=2025-06-30";
  HttpReply past = Get("/v1/ledger?as_of_day=2025-06-30", "text/csv");
  ASSERT_EQ(past.status, 200) << past.body;
  EXPECT_EQ(CsvRecords(past.body), LedgerRows(day).size());

  // A start of day and an end of day at once: refused.
  HttpReply both = Get("/v1/ledger?as_of=2025-06-30&as_of_day=2025-06-30");
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(json::parse(both.body)["field"], "as_of_day");

  // A page size has no meaning for an export: refused, not obeyed.
  HttpReply limited = Get("/v1/ledger?limit=20", "text/csv");
  EXPECT_EQ(limited.status, 400);
  EXPECT_EQ(json::parse(limited.body)["field"], "limit");
}

// `unit` is the exemplar's unit on every route: the district's decisions on
// a commune's exemplar are the commune's.
TEST_F(DemoExportsTest, UnitSelectsByTheExemplarsUnitOnEveryRoute) {
  // A unit open today that some decision was made above (before the
  // reform, by its district).
  const std::set<std::string> open = Subtree("vn", true);
  std::string commune;
  std::uint64_t decided_above = 0;
  for (const json& row : LedgerRows("")) {
    if (row["unit_id"] != row["exemplar_unit_id"] &&
        open.count(row["exemplar_unit_id"].get<std::string>())) {
      commune = row["exemplar_unit_id"];
      decided_above = row["position"];
      break;
    }
  }
  ASSERT_FALSE(commune.empty()) << "no decision made above its exemplar";
  const std::string unit = "&unit=" + commune;
  const std::set<std::string> within = Subtree(commune);
  auto in_subtree = [&](const json& id) {
    return within.count(id.get<std::string>()) == 1;
  };

  std::vector<json> ledger = LedgerRows(unit);
  std::set<std::uint64_t> positions;
  for (const json& row : ledger) {
    EXPECT_TRUE(in_subtree(row["exemplar_unit_id"])) << row;
    positions.insert(row["position"].get<std::uint64_t>());
  }
  EXPECT_TRUE(positions.count(decided_above));

  json list = json::parse(Get("/v1/exemplars?limit=1000" + unit).body);
  ASSERT_FALSE(list["items"].empty());
  for (const json& item : list["items"]) {
    EXPECT_TRUE(in_subtree(item["unit_id"])) << item;
  }

  json follow_up =
      json::parse(Get("/v1/reports/follow-up?no_mentor_days=1" + unit).body);
  for (const json& item : follow_up["items"]) {
    EXPECT_TRUE(in_subtree(item["unit_id"])) << item;
  }
  EXPECT_EQ(follow_up["total"], list["items"].size());

  for (const char* report : {"/v1/reports/quotas?year=2025",
                             "/v1/reports/deadlines?year=2025&quarter=2"}) {
    HttpReply reply = Get(std::string(report) + unit);
    ASSERT_EQ(reply.status, 200) << reply.body;
    json rows = json::parse(reply.body)["rows"];
    for (const json& row : rows) {
      EXPECT_TRUE(in_subtree(row["unit_id"])) << report << row;
    }
  }
  HttpReply all = Get("/v1/reports/deadlines?year=2025&quarter=2");
  EXPECT_GT(json::parse(all.body)["rows"].size(), 1u);
}

}  // namespace
}  // namespace exemplar::testing
