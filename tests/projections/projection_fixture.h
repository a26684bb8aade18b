// Test support for the projection tests: a real event store in a temporary
// folder, the organisation of the workflow tests (tests/engine/
// workflow_fixture.h) created through the command handler, and helpers that
// script exemplar histories through it, so every event is one the engine
// really writes.
#pragma once

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "projections/projections.h"
#include "projections/stored_model.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/temp_dir.h"

namespace exemplar::testing {

class ProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenStore();
    const std::int64_t t0 = At(2024, 1, 2);
    for (const TestUnit& unit : TestUnits()) {
      System(UnitCreated{unit.id, unit.name, unit.level, unit.parent}, t0);
    }
    People("admin", "admin", "vn", t0);
    for (const RoleSeat& seat : RoleSeats()) {
      People(seat.role, seat.role, seat.unit, t0);
      People(seat.role + "_d2", seat.role, seat.twin, t0);
    }
    // A nominator at the district, for district-level introductions.
    People("nominator_dist", "nominator", "d1", t0);
    for (const char* campaign : {"wu2024", "wu2025"}) {
      System(CampaignLaunched{campaign, "Phụ nữ tích cực", "kh",
                              CivilDate::FromYmd(2024, 1, 1),
                              CivilDate::FromYmd(2025, 12, 31), "womens_union"},
             t0);
    }
  }

  void TearDown() override {
    projections_.reset();
    handler_.reset();
    store_.reset();
  }

  void OpenStore() {
    Result<std::unique_ptr<EventStore>> opened = EventStore::Open(dir_.str());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    handler_ = std::make_unique<CommandHandler>(store_.get(), definition_);
  }

  void CloseStore() {
    projections_.reset();
    handler_.reset();
    store_.reset();
  }

  void OpenProjections(bool start = true,
                       projections::ProjectionsOptions options = {}) {
    Result<std::unique_ptr<projections::Projections>> opened =
        projections::Projections::Open(store_.get(), definition_, options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    projections_ = std::move(*opened);
    if (start) projections_->Start();
  }

  // Waits until the projections have folded the whole log.
  void CatchUp() {
    Status reached = projections_->WaitForPosition(store_->head().position,
                                                   std::chrono::seconds(10));
    ASSERT_TRUE(reached.ok()) << reached.ToString();
  }

  void System(SystemAction action, std::int64_t at) {
    Result<AppendResult> result = handler_->Handle(SystemCommand{
        std::move(action), Actor{"admin", "admin", "vn"}, at, "", ""});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }

  void People(const std::string& user, const std::string& role,
              const std::string& unit, std::int64_t at) {
    System(UserRegistered{user, "Cán bộ " + user, unit}, at);
    System(RoleGranted{"g-" + user, user, role, unit, at, 0}, at);
  }

  // Takes `action` on exemplar `id` as `user` (their own role and unit) at
  // `at`; fails the test when it is rejected. Returns the event's position.
  std::uint64_t Do(const std::string& id, const std::string& user,
                   const std::string& action, nlohmann::json fields,
                   std::int64_t at) {
    Person person = Who(user);
    if (user.ends_with("_d2")) {
      person = Who(user.substr(0, user.size() - 3));
      person.user = user;
      person.unit = person.unit == "c1" ? "c3" : "d2";
    }
    if (user == "nominator_dist") person = Person{user, "nominator", "d1"};
    Result<AppendResult> result = handler_->Handle(WorkflowCommand{
        id, action, std::move(fields), person.actor(), at, "", "", ""});
    EXPECT_TRUE(result.ok())
        << id << " " << action << ": " << result.status().ToString();
    return result.ok() ? result->last_position : 0;
  }

  std::uint64_t Do(const std::string& id, const std::string& action,
                   std::int64_t at) {
    return Do(id, DefaultActor(action), action, ValidFieldsAt(action, at), at);
  }

  // Detects exemplar `id` named `name` in commune `unit` at `at`.
  void Detect(const std::string& id, const std::string& name, std::int64_t at,
              const std::string& unit = "c1",
              std::vector<std::string> flags = {"direct_worker"}) {
    nlohmann::json fields = ValidFields("detect");
    fields["name"] = name;
    fields["unit_id"] = unit;
    fields["priority_flags"] = flags;
    Do(id, unit == "c3" ? "reporter_d2" : "reporter", "detect", fields, at);
  }

  // Brings a detected exemplar in c1 along the standard path to `state`,
  // one day per step from `at`.
  void AdvanceTo(const std::string& id, const std::string& state,
                 std::int64_t at) {
    std::vector<std::string> path = PathTo(state);
    for (size_t i = 1; i < path.size(); ++i) {
      if (path[i] == "record_vote") at += 15 * kDay;
      Do(id, path[i], at);
      at += kDay;
    }
  }

  // The read scope of a reader granted at `roots`, on the unit tree as it
  // is now (every move folded so far).
  projections::ReadScope Seeing(std::vector<std::string> roots) {
    Result<std::shared_ptr<const Authority>> tree =
        handler_->CurrentAuthority();
    EXPECT_TRUE(tree.ok()) << tree.status().ToString();
    return {tree.ok() ? *tree : nullptr,
            std::numeric_limits<std::int64_t>::max(), std::move(roots)};
  }

  Result<std::map<std::string, std::string>> Dump() {
    return projections::DumpProjections(*store_);
  }

  // The workflow the handler and the projections follow; it must outlive
  // them.
  const Definition* definition_ = &DefaultDefinition();
  TempDir dir_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<CommandHandler> handler_;
  std::unique_ptr<projections::Projections> projections_;
};

}  // namespace exemplar::testing
