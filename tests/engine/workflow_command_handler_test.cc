#include <gtest/gtest.h>

#include <thread>

#include "engine/workflow/command_handler.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/raw_db.h"
#include "tests/support/temp_dir.h"

namespace exemplar::testing {
namespace {

class WorkflowCommandHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Open();
    const std::int64_t t0 = At(2024, 1, 2);
    System(UnitCreated{"vn", "Trung ương", "central", ""}, t0);
    System(UnitCreated{"kh", "Tỉnh Khánh Hòa", "province", "vn"}, t0);
    System(UnitCreated{"d1", "Huyện Cam Lâm", "district", "kh"}, t0);
    System(UnitCreated{"c1", "Xã Cam Hải Tây", "commune", "d1"}, t0);
    System(UserRegistered{"admin", "Quản trị", "vn"}, t0);
    System(RoleGranted{"g-admin", "admin", "admin", "vn", t0, 0}, t0);
    for (const char* user : {"reporter", "mentor", "nominator"}) {
      System(UserRegistered{user, std::string("Cán bộ ") + user, "c1"}, t0);
      System(RoleGranted{std::string("g-") + user, user, user, "c1", t0, 0},
             t0);
    }
  }

  void Open() {
    Result<std::unique_ptr<EventStore>> opened = EventStore::Open(dir_.str());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    handler_ =
        std::make_unique<CommandHandler>(store_.get(), &DefaultDefinition());
  }

  void System(SystemAction action, std::int64_t at) {
    Result<AppendResult> result = handler_->Handle(SystemCommand{
        std::move(action), Actor{"admin", "admin", "vn"}, at, "", ""});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }

  WorkflowCommand Command(const std::string& action, const std::string& user,
                          std::int64_t at) {
    return WorkflowCommand{
        "ex1", action, ValidFields(action), Who(user).actor(), at, "", "", ""};
  }

  TempDir dir_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<CommandHandler> handler_;
};

TEST_F(WorkflowCommandHandlerTest, AppendsDecidedEventsAndLoadsTheState) {
  Result<AppendResult> detected =
      handler_->Handle(Command("detect", "reporter", At(2024, 5, 2)));
  ASSERT_TRUE(detected.ok()) << detected.status().ToString();
  EXPECT_EQ(detected->stream_version, 0u);
  Result<AppendResult> assigned =
      handler_->Handle(Command("assign_mentor", "nominator", At(2024, 5, 3)));
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(assigned->stream_version, 1u);
  Result<ExemplarState> state = handler_->LoadExemplar("ex1");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->state, "nurturing");
  EXPECT_EQ(state->slots.at("mentor"), "mentor");
  Result<EventRecord> record = store_->ReadEvent(assigned->last_position);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->type, "mentor_assigned");
  EXPECT_EQ(record->recorded_at_us, At(2024, 5, 3));
}

TEST_F(WorkflowCommandHandlerTest, RejectionAppendsNothing) {
  const Head before = store_->head();
  WorkflowCommand command = Command("detect", "reporter", At(2024, 5, 2));
  command.fields["name"] = "   ";
  Result<AppendResult> result = handler_->Handle(command);
  EXPECT_EQ(result.status().reason(), "validation_failed");
  EXPECT_EQ(result.status().field(), "name");
  EXPECT_EQ(store_->head().position, before.position);
  EXPECT_EQ(handler_->Handle(Command("appraise", "mentor", At(2024, 5, 2)))
                .status()
                .reason(),
            "exemplar_not_found");
  EXPECT_EQ(store_->head().position, before.position);
}

TEST_F(WorkflowCommandHandlerTest, RepeatedIdempotencyKeyReturnsFirstResult) {
  CommandOptions options;
  options.idempotency_key = "req-42";
  Result<AppendResult> first =
      handler_->Handle(Command("detect", "reporter", At(2024, 5, 2)), options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->deduplicated);
  // A retry (even one that would now be an invalid transition) is answered
  // with the first result and appends nothing.
  Result<AppendResult> again =
      handler_->Handle(Command("detect", "reporter", At(2024, 5, 2)), options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->first_position, first->first_position);
  EXPECT_EQ(again->stream_version, 0u);
  EXPECT_EQ(store_->head().position, first->last_position);
}

TEST_F(WorkflowCommandHandlerTest, CallersExpectedVersionMustHold) {
  ASSERT_TRUE(
      handler_->Handle(Command("detect", "reporter", At(2024, 5, 2))).ok());
  CommandOptions stale;
  stale.expected_version = ExpectedVersion::Exact(3);
  Result<AppendResult> result = handler_->Handle(
      Command("assign_mentor", "nominator", At(2024, 5, 3)), stale);
  EXPECT_EQ(result.status().code(), StatusCode::kVersionConflict);
  EXPECT_EQ(result.status().number(), 0u);
  CommandOptions fresh;
  fresh.expected_version = ExpectedVersion::Exact(0);
  EXPECT_TRUE(
      handler_
          ->Handle(Command("assign_mentor", "nominator", At(2024, 5, 3)), fresh)
          .ok());
  CommandOptions none;
  none.expected_version = ExpectedVersion::NoStream();
  EXPECT_EQ(
      handler_
          ->Handle(Command("log_support_visit", "mentor", At(2024, 5, 4)), none)
          .status()
          .code(),
      StatusCode::kVersionConflict);
}

TEST_F(WorkflowCommandHandlerTest, ConcurrentWritersRetryOnConflict) {
  ASSERT_TRUE(
      handler_->Handle(Command("detect", "reporter", At(2024, 5, 2))).ok());
  ASSERT_TRUE(
      handler_->Handle(Command("assign_mentor", "nominator", At(2024, 5, 3)))
          .ok());
  CommandHandlerOptions options;
  options.max_attempts = 50;
  CommandHandler other(store_.get(), &DefaultDefinition(), options);
  constexpr int kPerWriter = 8;
  auto write = [&](CommandHandler* handler, int writer) {
    for (int i = 0; i < kPerWriter; ++i) {
      WorkflowCommand command = Command("log_support_visit", "mentor",
                                        At(2024, 5, 4) + writer * kHour + i);
      Result<AppendResult> result = handler->Handle(command);
      EXPECT_TRUE(result.ok()) << result.status().ToString();
    }
  };
  CommandHandler first(store_.get(), &DefaultDefinition(), options);
  std::thread a(write, &first, 0);
  std::thread b(write, &other, 1);
  a.join();
  b.join();
  Result<std::optional<std::uint64_t>> version =
      store_->StreamVersion(ExemplarStreamId("ex1"));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, std::optional<std::uint64_t>(1 + 2 * kPerWriter));
}

TEST_F(WorkflowCommandHandlerTest, SystemCommandsAreValidatedAgainstTheLog) {
  Result<AppendResult> moved = handler_->Handle(
      SystemCommand{UnitMoved{"d1", "c1"}, Actor{"admin", "admin", "vn"},
                    At(2024, 2, 1), "", ""});
  EXPECT_EQ(moved.status().reason(), "unit_cycle");
  Result<AppendResult> orphan = handler_->Handle(
      SystemCommand{UnitCreated{"c2", "Xã Mới", "commune", "d9"},
                    Actor{"admin", "admin", "vn"}, At(2024, 2, 1), "", ""});
  EXPECT_EQ(orphan.status().reason(), "unknown_unit");
  auto authority = handler_->CurrentAuthority();
  ASSERT_TRUE(authority.ok());
  EXPECT_EQ((*authority)->position(), store_->head().position);
  EXPECT_TRUE((*authority)
                  ->HeldRole("reporter", "reporter", "c1", "c1", At(2024, 5, 2))
                  .ok());
}

// After a restart the command handler learns the organisation from the
// unit, user and campaign streams instead of filtering the whole log: an
// exemplar event it would have read on the way is damaged here, and the
// first catch-up must not touch it.
TEST_F(WorkflowCommandHandlerTest, FirstCatchUpReadsOnlyTheSystemStreams) {
  Result<AppendResult> detected =
      handler_->Handle(Command("detect", "reporter", At(2024, 5, 2)));
  ASSERT_TRUE(detected.ok()) << detected.status().ToString();
  System(UnitCreated{"c2", "Xã Cam Thành Nam", "commune", "d1"},
         At(2024, 5, 3));
  System(UserRegistered{"late", "Cán bộ mới", "c2"}, At(2024, 5, 3));
  System(RoleGranted{"g-late", "late", "reporter", "c2", At(2024, 5, 3), 0},
         At(2024, 5, 3));
  ASSERT_TRUE(
      handler_->Handle(Command("assign_mentor", "nominator", At(2024, 5, 4)))
          .ok());
  const std::uint64_t head = store_->head().position;
  handler_.reset();
  store_.reset();
  RawDb(dir_.str()).Put(detected->last_position, "not an event");
  Open();

  auto authority = handler_->CurrentAuthority();
  ASSERT_TRUE(authority.ok()) << authority.status().ToString();
  EXPECT_EQ((*authority)->position(), head - 1);  // the last system event
  EXPECT_TRUE((*authority)
                  ->HeldRole("late", "reporter", "c2", "c2", At(2024, 5, 5))
                  .ok());
  EXPECT_TRUE((*authority)
                  ->HeldRole("reporter", "reporter", "c1", "c1", At(2024, 5, 5))
                  .ok());
  // What is appended from here on is followed live.
  System(UnitCreated{"c3", "Xã Diên An", "commune", "d1"}, At(2024, 5, 6));
  authority = handler_->CurrentAuthority();
  ASSERT_TRUE(authority.ok()) << authority.status().ToString();
  EXPECT_NE((*authority)->FindUnit("c3"), nullptr);
  EXPECT_EQ((*authority)->position(), store_->head().position);
}

}  // namespace
}  // namespace exemplar::testing
