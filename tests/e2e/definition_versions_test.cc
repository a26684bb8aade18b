// A workflow definition changed under work in flight, against the real
// binary: the log records each version the server ran with; a nomination
// begun under the repository's version is still judged under it when the
// server runs the next, until a person moves it with
// adopt_definition_version; a definition changed without a new version
// does not start.
//
// Two exemplars, "old-a" and "old-b", are nominated, appraised, commented
// on and voted under the repository's version (written before the server
// starts). The next ("v2.json") adds a mandatory criterion to the general
// set, which their appraisals never assessed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/bootstrap.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "events/civil_date.h"
#include "tests/e2e/seeded_folder.h"
#include "tests/support/server_process.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::HttpReply;
using testing::ServerProcess;
using testing::TempDir;

constexpr std::int64_t kMinute = 60LL * 1000 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

std::string Secret(const std::string& user) {
  return "versions-token-" + user + "-0123456789";
}

// `current` as version `version`, with `criterion` added to the
// general criteria set as mandatory.
std::string NextVersion(const Definition& current, const std::string& criterion,
                        std::uint32_t version) {
  json next = json::parse(current.source);
  next["version"] = version;
  for (json& set : next["criteria_sets"]) {
    if (set["name"] != "general") continue;
    set["criteria"].push_back({{"id", criterion},
                               {"vi", "Được cộng đồng tín nhiệm"},
                               {"en", "Trusted by the community"},
                               {"mandatory", true}});
  }
  return next.dump();
}

class VersionsWorld {
 public:
  VersionsWorld() {
    Seed();
    WriteFile(path("v2.json"), NextVersion(*definition_, "community_trust",
                                           definition_->version + 1));
  }

  std::string data() const { return dir_.str() + "/data"; }
  // The repository definition's version, which the seeded log was decided
  // under.
  std::uint32_t version() const { return definition_->version; }
  std::string path(const std::string& name) const {
    return dir_.str() + "/" + name;
  }

  static void WriteFile(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }

 private:
  void Seed() {
    testing::SeedWriter seed(
        data(),
        CivilDate::FromYmd(2025, 3, 3).StartUnixMicros(420) + 9 * 60 * kMinute);
    if (::testing::Test::HasFatalFailure()) return;
    definition_ = std::make_unique<Definition>(seed.definition());
    ASSERT_TRUE(api::RecordWorkflowDefinition(seed.handler(), seed.now()).ok());
    seed.OneCommuneWithStaff(CivilDate::FromYmd(2020, 1, 1), Secret);
    for (const char* exemplar : {"old-a", "old-b"}) {
      seed.Take(exemplar, "detect", Actor{"reporter", "reporter", "c1"});
      seed.Take(exemplar, "assign_mentor",
                Actor{"nominator", "nominator", "c1"}, "nominator");
      seed.Take(exemplar, "nominate", Actor{"nominator", "nominator", "c1"});
      seed.Take(exemplar, "appraise", Actor{"appraiser", "appraiser", "c1"});
      seed.Take(exemplar, "open_public_comment",
                Actor{"appraiser", "appraiser", "c1"});
    }
    seed.Skip(16 * kDay);
    for (const char* exemplar : {"old-a", "old-b"}) {
      seed.Take(exemplar, "record_vote",
                Actor{"council", "council_member", "c1"});
    }
    seed.Close();
  }

  TempDir dir_;
  std::unique_ptr<Definition> definition_;
};

json Body(const HttpReply& reply) { return json::parse(reply.body); }

HttpReply As(ServerProcess& server, const std::string& user, verb method,
             const std::string& path, const json& body = nullptr) {
  const std::string secret =
      user == "admin" ? std::string(testing::kTestAdminToken) : Secret(user);
  return server.RequestWith(method, path,
                            {{"Authorization", "Bearer " + secret}},
                            body.is_null() ? "" : body.dump());
}

// The action `name` of an exemplar's actions answer.
json ActionOf(const HttpReply& reply, const std::string& name) {
  const json body = Body(reply);
  for (const json& action : body["actions"]) {
    if (action["action"] == name) return action;
  }
  return nullptr;
}

TEST(DefinitionVersionsE2eTest, ANominationInFlightKeepsItsVersionUntilMoved) {
  VersionsWorld world;
  {
    ServerProcess server(world.data(),
                         {{}, {"--workflow", world.path("v2.json")}});
    // Judged under the repository's version, where the appraisal met every
    // mandatory criterion: open, and approved.
    HttpReply open =
        As(server, "approver", verb::get, "/v1/exemplars/old-a/actions");
    ASSERT_EQ(open.status, 200) << open.body;
    EXPECT_EQ(ActionOf(open, "approve")["allowed"], true) << open.body;
    const json note = {{"decision_note", "Đồng ý"}};
    HttpReply approved =
        As(server, "approver", verb::post, "/v1/exemplars/old-a/approve", note);
    EXPECT_EQ(approved.status, 200) << approved.body;

    // Moved to the next version by a recorded step, it is judged under it: the
    // appraisal never assessed the new mandatory criterion.
    HttpReply moved = As(server, "nominator", verb::post,
                         "/v1/exemplars/old-b/adopt_definition_version",
                         {{"reason", "Áp dụng bộ tiêu chí mới"}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    HttpReply refused =
        As(server, "approver", verb::post, "/v1/exemplars/old-b/approve", note);
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(Body(refused)["type"], "criteria_not_met") << refused.body;

    // The log holds both versions the server ran with.
    HttpReply versions =
        As(server, "admin", verb::get, "/v1/streams/workflow-exemplar");
    ASSERT_EQ(versions.status, 200) << versions.body;
    const json events = Body(versions)["events"];
    ASSERT_EQ(events.size(), 2u) << versions.body;
    EXPECT_EQ(events[0]["data"]["version"], world.version());
    EXPECT_EQ(events[1]["data"]["version"], world.version() + 1);
  }
  // The next version changed without a new version number: the server refuses
  // to start, and says why.
  VersionsWorld::WriteFile(world.path("v2-changed.json"),
                           NextVersion(*LoadDefinition(world.path("v2.json")),
                                       "other_criterion", world.version() + 1));
  const std::string command = std::string(EXEMPLAR_BINARY) + " serve --data " +
                              world.data() + " --port 0 --workflow " +
                              world.path("v2-changed.json") + " 2>&1";
  FILE* out = popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::string printed;
  char line[4096];
  while (fgets(line, sizeof line, out)) printed += line;
  EXPECT_NE(pclose(out), 0) << printed;
  EXPECT_NE(printed.find("takes a new version"), std::string::npos) << printed;
}

}  // namespace
}  // namespace exemplar
