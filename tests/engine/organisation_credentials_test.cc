// The credential rules of DecideSystem: who issues a setup code, when a code
// sets a password (once, before it expires, only the latest), who may sign
// in and out, and that the log keeps no secret.
#include <gtest/gtest.h>

#include "engine/workflow/credentials.h"
#include "engine/workflow/organisation.h"
#include "events/payload_codec.h"
#include "tests/engine/workflow_fixture.h"
#include "tests/support/default_definition.h"

namespace exemplar::testing {
namespace {

class OrganisationCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.People("dadmin", "admin", "d1", "d1", At(2024, 1, 2));
  }

  Status Try(SystemAction action, Actor actor, std::int64_t at = 0) {
    return world_.TrySystem(std::move(action), at ? at : now_,
                            std::move(actor));
  }
  Status IssueCode(const std::string& user, const std::string& code,
                   Actor actor = Actor{"admin", "admin", "vn"}) {
    return Try(SetupCodeIssuedFor(user, code, now_), std::move(actor));
  }
  Status SetPassword(const std::string& user, const std::string& code,
                     std::int64_t at = 0) {
    return Try(PasswordSet{user, SetupCodeHash(code)}, Actor{user, "", ""}, at);
  }
  Status SignIn(const std::string& user, std::int64_t at = 0) {
    const std::int64_t when = at ? at : now_;
    return Try(SignedInFor(NewSession{"ses1", "secret"}, user, when),
               Actor{user, "", ""}, when);
  }

  World world_;
  const std::int64_t now_ = At(2024, 6, 3);
};

TEST_F(OrganisationCredentialsTest, DrawnCodesAreTwelveUnambiguousCharacters) {
  Result<std::string> code = DrawSetupCode();
  ASSERT_TRUE(code.ok());
  ASSERT_EQ(code->size(), 14u) << *code;
  EXPECT_EQ((*code)[4], '-');
  EXPECT_EQ((*code)[9], '-');
  EXPECT_EQ(code->find_first_of("01IO"), std::string::npos) << *code;
  EXPECT_NE(*code, DrawSetupCode().value());
  // Typed in lower case, without dashes, it is the same code.
  std::string typed;
  for (char c : *code) {
    if (c != '-') typed.push_back(static_cast<char>(std::tolower(c)));
  }
  EXPECT_EQ(SetupCodeHash(typed), SetupCodeHash(*code));
}

TEST_F(OrganisationCredentialsTest, OnlyAnAdminOverTheHomeUnitIssuesACode) {
  EXPECT_TRUE(IssueCode("reporter", "AAAA-BBBB-CCCC").ok());
  EXPECT_TRUE(
      IssueCode("reporter", "AAAA-BBBB-CCCD", Actor{"dadmin", "admin", "d1"})
          .ok());
  EXPECT_EQ(IssueCode("reporter", "X", Who("approver").actor()).reason(),
            "not_authorised");
  // An admin of d1 does not see d2's reporter: unknown, as a ghost is.
  EXPECT_EQ(
      IssueCode("reporter_d2", "X", Actor{"dadmin", "admin", "d1"}).reason(),
      "unknown_user");
  EXPECT_EQ(IssueCode("ghost", "X").reason(), "unknown_user");
}

TEST_F(OrganisationCredentialsTest, TheEventHoldsTheCodesHashOnly) {
  SystemCommand command{SetupCodeIssuedFor("reporter", "AAAA-BBBB-CCCC", now_),
                        Actor{"admin", "admin", "vn"}, now_, "", ""};
  auto events = DecideSystem(command, world_.authority(), DefaultDefinition());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(SystemStreamId(command), "credential-reporter");
  const NewEvent& event = events->front();
  EXPECT_EQ(event.type, "setup_code_issued");
  EXPECT_EQ(event.payload.find("AAAA"), std::string::npos);
  auto payload = DecodePayload<SetupCodeIssued>(1, event.payload);
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(payload->code_sha256, SetupCodeHash("AAAABBBBCCCC"));
  EXPECT_EQ(payload->expires_at_us, now_ + 72 * kHour);
}

TEST_F(OrganisationCredentialsTest, ACodeSetsAPasswordOnce) {
  ASSERT_TRUE(IssueCode("reporter", "AAAA-BBBB-CCCC").ok());
  EXPECT_EQ(SetPassword("reporter", "WRONG-CODE").reason(),
            "invalid_setup_code");
  EXPECT_EQ(SetPassword("approver", "AAAA-BBBB-CCCC").reason(),
            "invalid_setup_code");
  EXPECT_TRUE(SetPassword("reporter", "aaaa bbbb cccc").ok());
  EXPECT_EQ(SetPassword("reporter", "AAAA-BBBB-CCCC").reason(),
            "invalid_setup_code");
  EXPECT_TRUE(world_.authority().FindCredential("reporter")->password_set);
}

TEST_F(OrganisationCredentialsTest, ACodeExpiresAfterSeventyTwoHours) {
  ASSERT_TRUE(IssueCode("reporter", "AAAA-BBBB-CCCC").ok());
  EXPECT_EQ(
      SetPassword("reporter", "AAAA-BBBB-CCCC", now_ + 72 * kHour).reason(),
      "invalid_setup_code");
  EXPECT_TRUE(
      SetPassword("reporter", "AAAA-BBBB-CCCC", now_ + 71 * kHour).ok());
}

TEST_F(OrganisationCredentialsTest, ANewCodeReplacesTheEarlierOne) {
  ASSERT_TRUE(IssueCode("reporter", "AAAA-BBBB-CCCC").ok());
  ASSERT_TRUE(IssueCode("reporter", "DDDD-EEEE-FFFF").ok());
  EXPECT_EQ(SetPassword("reporter", "AAAA-BBBB-CCCC").reason(),
            "invalid_setup_code");
  EXPECT_TRUE(SetPassword("reporter", "DDDD-EEEE-FFFF").ok());
}

TEST_F(OrganisationCredentialsTest, SigningInNeedsAPasswordAndAnActiveUser) {
  EXPECT_EQ(SignIn("reporter").reason(), "invalid_credentials");
  ASSERT_TRUE(IssueCode("reporter", "AAAA-BBBB-CCCC").ok());
  ASSERT_TRUE(SetPassword("reporter", "AAAA-BBBB-CCCC").ok());
  SystemCommand command{
      SignedInFor(NewSession{"ses1", "secret"}, "reporter", now_),
      Actor{"reporter", "", ""}, now_, "req-1", "192.0.2.7"};
  auto events = DecideSystem(command, world_.authority(), DefaultDefinition());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->front().actor, (Actor{"reporter", "", "c1"}));
  EXPECT_EQ(events->front().remote_address, "192.0.2.7");
  EXPECT_EQ(events->front().payload.find("secret"), std::string::npos);
  world_.System(UserDeactivated{"reporter", "left"}, now_);
  EXPECT_EQ(SignIn("reporter", now_ + 1).reason(), "invalid_credentials");
  EXPECT_EQ(SignIn("ghost").reason(), "invalid_credentials");
  // Signing out is still recorded after a deactivation.
  EXPECT_TRUE(
      Try(SignedOut{"reporter", "ses1"}, Actor{"reporter", "", ""}, now_ + 2)
          .ok());
}

TEST_F(OrganisationCredentialsTest, ASessionLastsAtMostTwelveHours) {
  ASSERT_TRUE(IssueCode("reporter", "AAAA-BBBB-CCCC").ok());
  ASSERT_TRUE(SetPassword("reporter", "AAAA-BBBB-CCCC").ok());
  Status too_long = Try(SignedIn{"reporter", "ses1", now_ + 13 * kHour},
                        Actor{"reporter", "", ""});
  EXPECT_EQ(too_long.field(), "expires_at_us");
}

}  // namespace
}  // namespace exemplar::testing
