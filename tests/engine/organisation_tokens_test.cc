// The token rules of DecideSystem: who manages a user's tokens, to whom a
// token is issued, its id and expiry, its revocation; and the token
// commands through the command handler.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/workflow/command_handler.h"
#include "engine/workflow/organisation.h"
#include "engine/workflow/tokens.h"
#include "events/payload_codec.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/default_definition.h"
#include "tests/support/temp_dir.h"

namespace exemplar::testing {
namespace {

constexpr std::int64_t kDayUs = 24 * kHour;

class OrganisationTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // An admin over district d1 (reporter's c1 lies in it, reporter_d2's c3
    // does not).
    world_.People("dadmin", "admin", "d1", "d1", At(2024, 1, 2));
  }

  // The token event issued to `owner` at now_, living `days`.
  TokenIssued Issued(const std::string& token_id, const std::string& owner,
                     std::int64_t days = 90) const {
    return TokenIssued{token_id, owner, HashSecret("secret-of-" + token_id),
                       now_ + days * kDayUs};
  }

  Result<std::vector<NewEvent>> Decide(SystemAction action, Actor actor,
                                       bool console = false) const {
    SystemCommand command{std::move(action), std::move(actor), now_, "", ""};
    command.console = console;
    return DecideSystem(command, world_.authority(), DefaultDefinition());
  }

  static Actor Admin() { return Actor{"admin", "admin", "vn"}; }
  static Actor DistrictAdmin() { return Actor{"dadmin", "admin", "d1"}; }
  static Actor Console() { return Actor{"console", "admin", ""}; }

  World world_;
  const std::int64_t now_ = At(2024, 6, 3);
};

TEST_F(OrganisationTokensTest, AUserIssuesTheirOwnTokenActingWithNoRole) {
  auto events = Decide(Issued("tok1", "reporter"), Who("reporter").actor());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  const NewEvent& event = events->front();
  EXPECT_EQ(event.type, "token_issued");
  EXPECT_EQ(event.schema_version, 2u);
  EXPECT_EQ(event.actor, (Actor{"reporter", "", "c1"}));
  EXPECT_EQ(event.recorded_at_us, now_);
  EXPECT_EQ(DecodePayload<TokenIssued>(2, event.payload).value(),
            Issued("tok1", "reporter"));
}

TEST_F(OrganisationTokensTest, AnAdminOverTheHomeUnitIssuesAsAdmin) {
  auto events = Decide(Issued("tok1", "reporter"), DistrictAdmin());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->front().actor, DistrictAdmin());
  EXPECT_TRUE(Decide(Issued("tok2", "reporter"), Admin()).ok());
}

TEST_F(OrganisationTokensTest, AnOwnerOutOfSightIsAnsweredAsUnknown) {
  for (const std::string owner : {"reporter_d2", "ghost"}) {
    auto refused = Decide(Issued("tok1", owner), DistrictAdmin());
    EXPECT_EQ(refused.status().code(), StatusCode::kNotFound) << owner;
  }
  // A reporter sees nothing of another reporter's district either.
  EXPECT_EQ(Decide(Issued("tok1", "reporter_d2"), Who("reporter").actor())
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(OrganisationTokensTest, AUserWhoSeesTheOwnerButIsNoAdminIsRefused) {
  // The approver at d1 sees reporter (c1) but may not manage their tokens.
  auto refused = Decide(Issued("tok1", "reporter"), Who("approver").actor());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  // An admin acting at a unit that is not theirs is no admin here.
  refused = Decide(Issued("tok1", "reporter"), Actor{"dadmin", "admin", "vn"});
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(OrganisationTokensTest, OnlyAnActiveUserGetsAToken) {
  world_.System(UserDeactivated{"reporter", "Chuyển công tác"}, At(2024, 6, 1));
  auto refused = Decide(Issued("tok1", "reporter"), Admin());
  EXPECT_EQ(refused.status().reason(), "user_inactive");
  EXPECT_EQ(refused.status().field(), "user_id");
}

TEST_F(OrganisationTokensTest, ATokenLivesOneTo365DaysFromTheCommand) {
  for (std::int64_t days : {1, 90, 365}) {
    EXPECT_TRUE(Decide(Issued("tok1", "reporter", days), Admin()).ok()) << days;
  }
  for (std::int64_t days : {0, -1, 366}) {
    auto refused = Decide(Issued("tok1", "reporter", days), Admin());
    EXPECT_EQ(refused.status().reason(), "validation_failed") << days;
    EXPECT_EQ(refused.status().field(), "expires_at_us") << days;
  }
  TokenIssued never = Issued("tok1", "reporter");
  never.expires_at_us = 0;
  EXPECT_EQ(Decide(never, Admin()).status().field(), "expires_at_us");
}

TEST_F(OrganisationTokensTest, ATokenNeedsANewValidIdAndAHash) {
  EXPECT_EQ(Decide(Issued("", "reporter"), Admin()).status().field(),
            "token_id");
  EXPECT_EQ(Decide(Issued("tok/1", "reporter"), Admin()).status().field(),
            "token_id");
  TokenIssued unhashed = Issued("tok1", "reporter");
  unhashed.secret_sha256 = "the-secret-itself";
  EXPECT_EQ(Decide(unhashed, Admin()).status().field(), "secret_sha256");
  world_.System(Issued("tok1", "reporter"), now_);
  auto again = Decide(Issued("tok1", "mentor"), Admin());
  EXPECT_EQ(again.status().reason(), "already_exists");
  EXPECT_EQ(again.status().field(), "token_id");
}

TEST_F(OrganisationTokensTest, TheAuthorityFoldsIssuedAndRevokedTokens) {
  world_.System(Issued("tok1", "reporter", 7), now_);
  const TokenRecord* token = world_.authority().FindToken("tok1");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->user_id, "reporter");
  EXPECT_EQ(token->issued_at_us, now_);
  EXPECT_EQ(token->expires_at_us, now_ + 7 * kDayUs);
  EXPECT_FALSE(token->revoked_at_us);
  world_.System(TokenRevoked{"tok1", ""}, now_ + kHour);
  EXPECT_EQ(world_.authority().FindToken("tok1")->revoked_at_us, now_ + kHour);
  EXPECT_EQ(world_.authority().FindToken("tok2"), nullptr);
}

TEST_F(OrganisationTokensTest, ARevocationNamesTheTokensUser) {
  world_.System(Issued("tok1", "reporter"), now_);
  auto events = Decide(TokenRevoked{"tok1", ""}, Who("reporter").actor());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->front().type, "token_revoked");
  EXPECT_EQ(DecodePayload<TokenRevoked>(1, events->front().payload).value(),
            (TokenRevoked{"tok1", "reporter"}));
  EXPECT_EQ(events->front().actor, (Actor{"reporter", "", "c1"}));
  // A revocation naming another user names no token of theirs.
  EXPECT_EQ(Decide(TokenRevoked{"tok1", "mentor"}, Admin()).status().code(),
            StatusCode::kNotFound);
}

TEST_F(OrganisationTokensTest, RevokingFollowsTheManagersRuleAndHappensOnce) {
  world_.System(Issued("tok1", "reporter"), now_);
  EXPECT_EQ(Decide(TokenRevoked{"tok9", ""}, Admin()).status().code(),
            StatusCode::kNotFound);
  // Out of sight: the token is unknown; in sight but no admin: forbidden.
  Actor elsewhere{"dadmin_d2", "admin", "d2"};
  world_.People("dadmin_d2", "admin", "d2", "d2", At(2024, 1, 2));
  EXPECT_EQ(Decide(TokenRevoked{"tok1", ""}, elsewhere).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      Decide(TokenRevoked{"tok1", ""}, Who("approver").actor()).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_TRUE(Decide(TokenRevoked{"tok1", ""}, DistrictAdmin()).ok());
  world_.System(TokenRevoked{"tok1", ""}, now_);
  auto again = Decide(TokenRevoked{"tok1", ""}, DistrictAdmin());
  EXPECT_EQ(again.status().reason(), "already_revoked");
}

TEST_F(OrganisationTokensTest, TheConsoleManagesAnyRegisteredUsersTokens) {
  world_.System(UserDeactivated{"mentor", "Nghỉ hưu"}, At(2024, 6, 1));
  for (const std::string owner : {"reporter", "reporter_d2", "mentor"}) {
    auto events =
        Decide(Issued("tok-" + owner, owner), Console(), /*console=*/true);
    ASSERT_TRUE(events.ok()) << owner << " " << events.status().ToString();
    EXPECT_EQ(events->front().actor, Console());
  }
  EXPECT_EQ(Decide(Issued("tok1", "ghost"), Console(), true).status().code(),
            StatusCode::kNotFound);
  world_.System(Issued("tok1", "reporter_d2"), now_);
  EXPECT_TRUE(Decide(TokenRevoked{"tok1", ""}, Console(), true).ok());
  // The flag lets the operator in, not the name: a request naming
  // "console" sees nobody.
  EXPECT_EQ(Decide(Issued("tok2", "reporter"), Console()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Decide(TokenRevoked{"tok1", ""}, Console()).status().code(),
            StatusCode::kNotFound);
}

TEST(DrawTokenTest, DrawsARandomIdAndSecretOrChecksTheGivenOne) {
  Result<NewToken> drawn = DrawToken();
  ASSERT_TRUE(drawn.ok());
  EXPECT_TRUE(drawn->token_id.starts_with("tok"));
  EXPECT_EQ(drawn->token_id.size(), 19u);
  EXPECT_TRUE(drawn->secret.starts_with("exm_"));
  EXPECT_EQ(drawn->secret.size(), 4u + 64u);
  EXPECT_NE(DrawToken()->secret, drawn->secret);

  EXPECT_EQ(DrawToken("a-good-admin-token-0123456789")->secret,
            "a-good-admin-token-0123456789");
  for (const std::string& bad : {std::string("short"), std::string(201, 'x'),
                                 std::string("twenty characters or\nmore")}) {
    EXPECT_EQ(DrawToken(bad).status().code(), StatusCode::kInvalidArgument)
        << bad;
  }

  TokenIssued issued =
      TokenIssuedFor(*drawn, "lan", 1000, std::chrono::hours(24 * 7));
  EXPECT_EQ(issued.token_id, drawn->token_id);
  EXPECT_EQ(issued.user_id, "lan");
  EXPECT_EQ(issued.secret_sha256, HashSecret(drawn->secret));
  EXPECT_EQ(issued.secret_sha256.size(), 64u);
  EXPECT_EQ(issued.expires_at_us, 1000 + 7 * kDayUs);
}

TEST(GrantDefaultsTest, AnUnstatedStartMeansFromTheCommand) {
  RoleGranted grant{"g1", "lan", "reporter", "c1", 0, 0};
  EXPECT_EQ(StartingByDefault(grant, 42).valid_from_us, 42);
  grant.valid_from_us = 7;
  EXPECT_EQ(StartingByDefault(grant, 42).valid_from_us, 7);
}

// A workflow action writing a token event would hand tokens out past these
// rules (the authority model folds token events by type).
TEST(TokenDefinitionTest, RefusesAnActionWritingATokenEvent) {
  const nlohmann::json original = DefaultDefinitionJson();
  for (const char* type : {"token_issued", "token_revoked"}) {
    nlohmann::json definition = original;
    definition["actions"][0]["event"] = type;
    Result<Definition> loaded = ParseDefinition(definition.dump());
    ASSERT_FALSE(loaded.ok()) << type;
    EXPECT_NE(loaded.status().message().find("system event"), std::string::npos)
        << loaded.status().message();
  }
}

// Through the command handler: one stream per token, issued then revoked
// once; a handler started later reads the token streams.
TEST(TokenCommandsTest, IssueAndRevokeAppendToTheTokensStream) {
  TempDir dir;
  auto store = std::move(EventStore::Open(dir.str())).value();
  const std::int64_t t0 = At(2024, 1, 2);
  const Actor admin{"admin", "admin", "vn"};
  {
    CommandHandler handler(store.get(), &DefaultDefinition());
    for (SystemAction action : std::vector<SystemAction>{
             UnitCreated{"vn", "Trung ương", "central", ""},
             UserRegistered{"admin", "Quản trị", "vn"},
             RoleGranted{"g-admin", "admin", "admin", "vn", t0, 0},
             UserRegistered{"lan", "Cán bộ Lan", "vn"},
             TokenIssued{"tok1", "lan", HashSecret("s"), t0 + kDayUs}}) {
      auto done = handler.Handle(SystemCommand{action, admin, t0, "", ""});
      ASSERT_TRUE(done.ok()) << done.status().ToString();
    }
    auto stored = store->ReadStream("token-tok1", 0, Direction::kForward, 10);
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->size(), 1u);
    EXPECT_EQ(stored->front().type, "token_issued");
    EXPECT_EQ(stored->front().schema_version, 2u);
  }
  CommandHandler later(store.get(), &DefaultDefinition());
  auto again = later.Handle(
      SystemCommand{TokenIssued{"tok1", "lan", HashSecret("s"), t0 + kDayUs},
                    admin, t0, "", ""});
  EXPECT_EQ(again.status().reason(), "already_exists");
  auto revoked =
      later.Handle(SystemCommand{TokenRevoked{"tok1", ""}, admin, t0, "", ""});
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->stream_version, 1u);
  auto twice =
      later.Handle(SystemCommand{TokenRevoked{"tok1", ""}, admin, t0, "", ""});
  EXPECT_EQ(twice.status().reason(), "already_revoked");
}

}  // namespace
}  // namespace exemplar::testing
