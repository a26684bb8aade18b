// A data folder written through the engine before a server starts on it,
// so that history can lie in the past: the repository's definition, the
// store and a command handler, bootstrapped with the test admin token.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/bootstrap.h"
#include "api/tokens.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/sample_fields.h"
#include "engine/workflow/tokens.h"
#include "events/civil_date.h"
#include "events/clock.h"
#include "tests/support/server_process.h"

namespace exemplar::testing {

// Opens the store in `dir` and bootstraps it at `at_us`; fails the test
// on any error.
inline void OpenSeededFolder(const std::string& dir, std::int64_t at_us,
                             std::unique_ptr<Definition>* definition,
                             std::unique_ptr<EventStore>* store,
                             std::unique_ptr<CommandHandler>* handler) {
  auto loaded = LoadDefinition(std::string(EXEMPLAR_SOURCE_DIR) +
                               "/workflows/exemplar.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  *definition = std::make_unique<Definition>(std::move(*loaded));
  auto opened = EventStore::Open(dir);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  *store = std::move(*opened);
  *handler = std::make_unique<CommandHandler>(store->get(), definition->get());
  auto tokens = api::TokenRegistry::Load(store->get());
  ASSERT_TRUE(tokens.ok());
  auto bootstrap = api::BootstrapIfEmpty(**store, **handler, **tokens,
                                         kTestAdminToken, at_us);
  ASSERT_TRUE(bootstrap.ok()) << bootstrap.status().ToString();
}

// A history written into a seeded folder, a minute a command, from `now`:
// organisation commands as the admin, workflow actions with sample fields
// (campaign "gen", criteria set "general", in unit "c1") and tokens. Each
// fails the test on a refusal; Close lets a server open the folder.
class SeedWriter {
 public:
  SeedWriter(const std::string& dir, std::int64_t now) : now_(now) {
    OpenSeededFolder(dir, now_, &definition_, &store_, &handler_);
  }

  void System(SystemAction action) {
    now_ += kMinute;
    auto done = handler_->Handle(SystemCommand{
        std::move(action), Actor{"admin", "admin", "vn"}, now_, "seed", ""});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }

  // `action` on `exemplar` by `actor`; the mentor a field names is
  // `mentor`.
  void Take(const std::string& exemplar, const std::string& action,
            const Actor& actor, const std::string& mentor = "mentor") {
    now_ += kMinute;
    SampleContext context;
    context.at_us = now_;
    context.unit_id = "c1";
    context.user_id = mentor;
    context.campaign_id = "gen";
    context.criteria_set = "general";
    const ActionSpec* spec = definition_->FindAction(action);
    ASSERT_NE(spec, nullptr) << action;
    auto done = handler_->Handle(WorkflowCommand{
        exemplar, action, SampleFields(*definition_, *spec, context), actor,
        now_, "seed", "", ""});
    ASSERT_TRUE(done.ok()) << action << ": " << done.status().ToString();
  }

  // A person at `unit` holding `role` from now, with a token `secret`.
  void Person(const std::string& user, const std::string& role,
              const std::string& unit, const std::string& secret) {
    System(UserRegistered{user, "Cán bộ " + user, unit});
    System(RoleGranted{"g-" + user, user, role, unit, now_, 0});
    Token(user, secret);
  }

  // The province "kh" with one commune "c1", the general campaign "gen"
  // from `campaign_from` to 2030, and at c1 a reporter, nominator,
  // appraiser, council member and approver, named by their role (the
  // council member "council"), each with the token `secret(user)`.
  void OneCommuneWithStaff(
      CivilDate campaign_from,
      const std::function<std::string(const std::string&)>& secret) {
    System(UnitCreated{"kh", "Tỉnh Một", "province", "vn"});
    System(UnitCreated{"c1", "Xã Một", "commune", "kh"});
    System(CampaignLaunched{"gen", "Thi đua yêu nước", "kh", campaign_from,
                            CivilDate::FromYmd(2030, 12, 31), "general"});
    for (const auto& [user, role] :
         std::vector<std::pair<std::string, std::string>>{
             {"reporter", "reporter"},
             {"nominator", "nominator"},
             {"appraiser", "appraiser"},
             {"council", "council_member"},
             {"approver", "approver"}}) {
      Person(user, role, "c1", secret(user));
    }
  }

  // A token with `secret` for `user`, issued now on the wall clock (a
  // token's life counts on it).
  void Token(const std::string& user, const std::string& secret) {
    auto drawn = DrawToken(secret);
    ASSERT_TRUE(drawn.ok());
    const std::int64_t wall = SystemClockMicros();
    auto issued = handler_->Handle(
        SystemCommand{TokenIssuedFor(*drawn, user, wall, kUserTokenLifetime),
                      Actor{"admin", "admin", "vn"}, wall, "seed", ""});
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  }

  void Skip(std::int64_t duration) { now_ += duration; }
  void Close() { store_->Close(); }

  static constexpr std::int64_t kMinute = 60LL * 1000 * 1000;
  static constexpr std::int64_t kDay = 24 * 60 * kMinute;

  CommandHandler& handler() { return *handler_; }
  const Definition& definition() const { return *definition_; }
  std::int64_t now() const { return now_; }

 private:
  std::int64_t now_;
  std::unique_ptr<Definition> definition_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<CommandHandler> handler_;
};

}  // namespace exemplar::testing
