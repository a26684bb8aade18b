// The projection runner: checkpoints written with the rows, restart without
// replay, rebuild equal to incremental byte for byte, a crash at any moment
// leaving models equal to a clean rebuild, and a bad event stopping it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {
namespace {

using projections::Projections;

class RunnerTest : public ProjectionTest {
 protected:
  // A few exemplars in different states, with decisions for the ledger.
  void ScriptHistory(int exemplars, std::int64_t start = At(2024, 4, 1)) {
    const char* states[] = {"honoured", "nurturing", "approved",
                            "rejected", "returned",  "detected"};
    for (int i = 0; i < exemplars; ++i) {
      const std::string id = "ex" + std::to_string(i);
      Detect(id, "Hộ gia đình số " + std::to_string(i), start + i * kHour);
      AdvanceTo(id, states[i % 6], start + i * kHour + kDay);
    }
  }
};

TEST_F(RunnerTest, FollowsTheLogAndReportsNoLag) {
  OpenProjections();
  ScriptHistory(6);
  CatchUp();
  for (const projections::ProjectionStatus& status : projections_->statuses()) {
    EXPECT_EQ(status.position, store_->head().position) << status.name;
    EXPECT_EQ(status.lag, 0u) << status.name;
    EXPECT_TRUE(status.error.empty()) << status.name;
  }
  // The checkpoints follow within the persist interval.
  auto persisted = [&] {
    Result<std::map<std::string, std::uint64_t>> checkpoints =
        projections::ReadCheckpoints(*store_);
    if (!checkpoints.ok() || checkpoints->empty()) return false;
    for (const auto& [name, position] : *checkpoints) {
      if (position != store_->head().position) return false;
    }
    return true;
  };
  for (int i = 0; i < 500 && !persisted(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(persisted());
}

TEST_F(RunnerTest, WhatWaitsToBePersistedIsPersistedOnStop) {
  projections::ProjectionsOptions options;
  options.persist_interval = std::chrono::hours(1);
  OpenProjections(true, options);
  ScriptHistory(6);
  CatchUp();
  projections_->Stop();
  Result<std::map<std::string, std::uint64_t>> checkpoints =
      projections::ReadCheckpoints(*store_);
  ASSERT_TRUE(checkpoints.ok());
  EXPECT_EQ(checkpoints->size(), projections::ProjectionNames().size());
  for (const auto& [name, position] : *checkpoints) {
    EXPECT_EQ(position, store_->head().position) << name;
  }
}

TEST_F(RunnerTest, RebuildEqualsIncrementalByteForByte) {
  OpenProjections();
  // Events arrive while the runner follows, in batches of varying size.
  ScriptHistory(12);
  CatchUp();
  projections_->Stop();
  projections_.reset();
  Result<std::map<std::string, std::string>> incremental = Dump();
  ASSERT_TRUE(incremental.ok());
  ASSERT_GT(incremental->size(), 50u);

  ASSERT_TRUE(
      Projections::Rebuild(store_.get(), &DefaultDefinition(), {}).ok());
  Result<std::map<std::string, std::string>> rebuilt = Dump();
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_TRUE(*incremental == *rebuilt);

  // One projection alone gives the same bytes too.
  projections::ProjectionsOptions small;
  small.rebuild_batch_events = 7;
  ASSERT_TRUE(Projections::Rebuild(store_.get(), &DefaultDefinition(),
                                   {"ledger"}, small)
                  .ok());
  Result<std::map<std::string, std::string>> ledger_only = Dump();
  ASSERT_TRUE(ledger_only.ok());
  EXPECT_TRUE(*incremental == *ledger_only);
}

// With personal values sealed, a rebuild, which opens the names on the
// log's reading thread, writes the same bytes as the fold that followed
// the commands: the names in plain, an erased subject's as erased.
TEST_F(RunnerTest, ASealedRebuildEqualsIncrementalByteForByte) {
  std::unique_ptr<PersonalData> personal =
      PersonalData::Open(&store_->side_store(), crypto::NewDataKey()).value();
  handler_ = std::make_unique<CommandHandler>(
      store_.get(), definition_,
      CommandHandlerOptions{.personal_data = personal.get()});
  projections::ProjectionsOptions options;
  options.personal_data = personal.get();
  OpenProjections(true, options);
  ScriptHistory(6);
  const std::int64_t at = At(2024, 9, 2);
  Do("ex1", "data_protection_officer", "request_erasure",
     {{"retention_class", "exemplar_file"},
      {"legal_article", "Điều 16 Luật Bảo vệ dữ liệu cá nhân 2025"},
      {"legal_reference", "Đơn đề nghị số 12/2024"},
      {"legal_date", "2024-09-02"}},
     at);
  Do("ex1", "approver", "approve_erasure",
     {{"retention_class", "exemplar_file"}}, at + kHour);
  CatchUp();
  projections_->Stop();
  projections_.reset();
  Result<std::map<std::string, std::string>> incremental = Dump();
  ASSERT_TRUE(incremental.ok());
  auto holds = [&](const std::string& text) {
    return std::any_of(incremental->begin(), incremental->end(),
                       [&](const auto& row) {
                         return row.second.find(text) != std::string::npos;
                       });
  };
  EXPECT_TRUE(holds("Hộ gia đình số 2"));
  EXPECT_TRUE(holds("[erased]"));
  EXPECT_FALSE(holds("Hộ gia đình số 1"));

  for (std::size_t batch_events : {std::size_t{4096}, std::size_t{7}}) {
    options.rebuild_batch_events = batch_events;
    ASSERT_TRUE(
        Projections::Rebuild(store_.get(), definition_, {}, options).ok());
    Result<std::map<std::string, std::string>> rebuilt = Dump();
    ASSERT_TRUE(rebuilt.ok());
    EXPECT_TRUE(*incremental == *rebuilt) << batch_events;
  }
  handler_.reset();
}

TEST_F(RunnerTest, RebuildRefusesAnUnknownName) {
  Status status =
      Projections::Rebuild(store_.get(), &DefaultDefinition(), {"quotas"});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

TEST_F(RunnerTest, RestartLoadsThePersistedModelsWithoutReplay) {
  OpenProjections();
  ScriptHistory(6);
  CatchUp();
  Result<projections::ExemplarListPage> before =
      projections_->ListExemplars({});
  ASSERT_TRUE(before.ok());
  const std::uint64_t head = store_->head().position;
  CloseStore();
  OpenStore();
  OpenProjections(/*start=*/false);
  // Ready before the runner ever ran: the models came from their rows.
  EXPECT_EQ(projections_->position(), head);
  Result<projections::ExemplarListPage> after = projections_->ListExemplars({});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(projections::ToJson(*after, 420),
            projections::ToJson(*before, 420));
  // And it goes on from there.
  projections_->Start();
  Detect("late", "Chị Lê Thị Muộn", At(2024, 9, 1));
  CatchUp();
  EXPECT_NE(projections_->ListExemplars({})->items.size(),
            before->items.size());
}

// Rows load in id order; the name and detection indexes are then built at
// once. Here the three orders all differ.
TEST_F(RunnerTest, RestartRebuildsTheSortOrders) {
  OpenProjections();
  Detect("a1", "Ông Trần Văn Cường", At(2024, 4, 3));
  Detect("b2", "Bà Đỗ Thị An", At(2024, 4, 1));
  Detect("c3", "Anh Bùi Minh", At(2024, 4, 2));
  CatchUp();
  auto names = [&](projections::ExemplarSort sort, bool descending) {
    projections::ExemplarListQuery query;
    query.sort = sort;
    query.descending = descending;
    Result<projections::ExemplarListPage> page =
        projections_->ListExemplars(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const projections::ExemplarRow& row : page->items) {
        ids.push_back(row.id);
      }
    }
    return ids;
  };
  using Ids = std::vector<std::string>;
  const Ids by_name = names(projections::ExemplarSort::kName, false);
  const Ids by_detected = names(projections::ExemplarSort::kDetected, true);
  EXPECT_EQ(by_name, (Ids{"c3", "b2", "a1"}));  // Anh, Bà, Ông
  EXPECT_EQ(by_detected, (Ids{"a1", "c3", "b2"}));
  CloseStore();
  OpenStore();
  OpenProjections();
  EXPECT_EQ(names(projections::ExemplarSort::kName, false), by_name);
  EXPECT_EQ(names(projections::ExemplarSort::kDetected, true), by_detected);
  // Rows folded after the load take their places among the loaded ones.
  Detect("d4", "Chị Lê Thị Muộn", At(2024, 4, 2, 12));
  CatchUp();
  EXPECT_EQ(names(projections::ExemplarSort::kName, false),
            (Ids{"c3", "b2", "d4", "a1"}));
  EXPECT_EQ(names(projections::ExemplarSort::kDetected, true),
            (Ids{"a1", "d4", "c3", "b2"}));
}

TEST_F(RunnerTest, CrashAtAnyMomentLeavesModelsEqualToACleanRebuild) {
  ScriptHistory(30);
  const std::uint64_t head = store_->head().position;
  CloseStore();
  // A child process follows the log in tiny batches and is killed at a
  // different moment each round; the store it leaves must reopen to models
  // equal to a clean rebuild.
  for (int delay_us : {0, 2000, 6000, 8000, 30000, 50000}) {
    pid_t child = fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
      auto store = EventStore::Open(dir_.str());
      if (!store.ok()) _exit(2);
      projections::ProjectionsOptions options;
      options.batch_events = 3;
      options.rebuild_batch_events = 5;
      if (delay_us % 4000 == 0) {
        // The rebuild command's path.
        Status rebuilt = Projections::Rebuild(
            store->get(), &DefaultDefinition(), {}, options);
        _exit(rebuilt.ok() ? 0 : 3);
      }
      // The live runner's path, from empty models.
      for (const std::string& name : projections::ProjectionNames()) {
        if (!projections::DropProjection(**store, name).ok()) _exit(4);
      }
      auto live =
          Projections::Open(store->get(), &DefaultDefinition(), options);
      if (!live.ok()) _exit(5);
      (*live)->Start();
      Status reached = (*live)->WaitForPosition(head, std::chrono::seconds(10));
      _exit(reached.ok() ? 0 : 6);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);

    OpenStore();
    OpenProjections();
    CatchUp();
    EXPECT_EQ(projections_->position(), head);
    projections_.reset();
    Result<std::map<std::string, std::string>> resumed = Dump();
    ASSERT_TRUE(
        Projections::Rebuild(store_.get(), &DefaultDefinition(), {}).ok());
    Result<std::map<std::string, std::string>> clean = Dump();
    ASSERT_TRUE(resumed.ok() && clean.ok());
    EXPECT_TRUE(*resumed == *clean) << "killed after " << delay_us << " us";
    CloseStore();
  }
  OpenStore();
}

TEST_F(RunnerTest, AnEventThatCannotBeFoldedStopsTheProjectionThere) {
  OpenProjections();
  Detect("ok", "Hộ ông Bình", At(2024, 5, 1));
  CatchUp();
  NewEvent bad;
  bad.type = "exemplar_detected";
  bad.payload = "not a workflow event";
  bad.actor = Who("reporter").actor();
  Result<AppendResult> appended = store_->Append(
      AppendRequest{"exemplar-bad", ExpectedVersion::Any(), {bad}, "", {}});
  ASSERT_TRUE(appended.ok());
  Detect("after", "Hộ ông Cường", At(2024, 5, 2));
  Status waited = projections_->WaitForPosition(store_->head().position,
                                                std::chrono::seconds(10));
  EXPECT_EQ(waited.code(), StatusCode::kUnavailable);
  for (const projections::ProjectionStatus& status : projections_->statuses()) {
    EXPECT_EQ(status.failed_position, appended->last_position);
    EXPECT_EQ(status.position, appended->last_position - 1);
    EXPECT_EQ(status.lag, 2u);
    EXPECT_FALSE(status.error.empty());
  }
  EXPECT_EQ(projections_->ListExemplars({})->items.size(), 1u);
}

TEST_F(RunnerTest, WaitForPositionIsBounded) {
  projections::ProjectionsOptions options;
  OpenProjections();
  Status waited = projections_->WaitForPosition(store_->head().position + 5,
                                                std::chrono::milliseconds(20));
  EXPECT_EQ(waited.code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace exemplar::testing
