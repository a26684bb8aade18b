// CheckActionOpen says what Decide says before the fields: on every state
// of the lifecycle, for every person of the test organisation in each of
// their roles and every action, a refusal of CheckActionOpen is Decide's
// refusal of the command with valid fields, code for code, and an action it
// leaves open is refused by Decide for its fields only.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

// Everyone of the test organisation, in each role they hold, plus one
// acting for a unit where they hold no grant.
std::vector<Actor> Actors() {
  std::vector<Actor> actors;
  for (const RoleSeat& seat : RoleSeats()) {
    actors.push_back({seat.role, seat.role, seat.unit});
    actors.push_back({seat.role + "_d2", seat.role, seat.twin});
  }
  for (const char* role : {"nominator", "appraiser", "approver"}) {
    actors.push_back({"multi", role, "d1"});
  }
  actors.push_back({"admin", "admin", "vn"});
  actors.push_back({"approver", "approver", "c1"});
  return actors;
}

// What Decide answers before it reads a field, and the rules that read
// none of the fields of the actions they govern.
bool DecidedBeforeTheFields(const std::string& reason) {
  static const std::set<std::string> kReasons = {
      "exemplar_not_found",  "role_not_permitted",    "not_authorised",
      "not_in_scope",        "user_inactive",         "invalid_transition",
      "four_eyes_violation", "conflict_of_interest",  "criteria_not_met",
      "comment_period_open", "vote_threshold_not_met"};
  return kReasons.count(reason) > 0;
}

// The standard path to `state`, the nomination taken by "multi", who also
// holds the appraiser and approver roles of the district.
void AdvanceNominatedByMulti(Driver& driver, const std::string& state) {
  for (const std::string& action : PathTo(state)) {
    if (action == "record_vote") driver.Skip(15 * kDay);
    const Actor actor = action == "nominate"
                            ? Actor{"multi", "nominator", "d1"}
                            : Who(DefaultActor(action)).actor();
    Status status = driver.Try(action, actor, ValidFields(action));
    ASSERT_TRUE(status.ok()) << action << ": " << status.ToString();
  }
}

TEST(ActionOpenTest, ARefusalIsTheOneTheCommandGets) {
  const Definition& definition = DefaultDefinition();
  std::map<std::string, int> refusals;
  int open = 0;
  for (const char* state :
       {"detected", "nurturing", "nominated", "appraised", "public_comment",
        "voted", "approved", "honoured", "returned", "rejected",
        "award_revoked", "retired"}) {
    World world;
    Driver driver(world);
    AdvanceNominatedByMulti(driver, state);
    const std::int64_t at = driver.now();
    for (const ActionSpec& action : definition.actions) {
      if (action.creates) continue;
      for (const Actor& actor : Actors()) {
        const Status checked =
            CheckActionOpen(driver.state(), "ex1", action, actor, at,
                            definition, world.authority());
        WorkflowCommand command{"ex1", action.name, ValidFields(action.name),
                                actor, at,          "",
                                "",    ""};
        Result<std::vector<NewEvent>> decided =
            Decide(driver.state(), command, definition, world.authority());
        const std::string where = std::string(state) + " " + action.name +
                                  " by " + actor.user_id + " as " + actor.role +
                                  "@" + actor.unit_id;
        if (!checked.ok()) {
          ++refusals[checked.reason()];
          ASSERT_FALSE(decided.ok()) << where;
          EXPECT_EQ(decided.status().reason(), checked.reason())
              << where << ": " << decided.status().ToString();
        } else {
          ++open;
          if (!decided.ok()) {
            EXPECT_FALSE(DecidedBeforeTheFields(decided.status().reason()))
                << where << ": " << decided.status().ToString();
          }
        }
      }
    }
  }
  EXPECT_GT(open, 100);
  for (const char* reason :
       {"exemplar_not_found", "role_not_permitted", "not_authorised",
        "invalid_transition", "four_eyes_violation"}) {
    EXPECT_GT(refusals[reason], 0) << reason;
  }
}

TEST(ActionOpenTest, FourEyesRefusesTheNominatorWithTheRulesTexts) {
  World world;
  Driver driver(world);
  AdvanceNominatedByMulti(driver, "voted");
  const ActionSpec& approve = *DefaultDefinition().FindAction("approve");
  const Status multi = CheckActionOpen(
      driver.state(), "ex1", approve, Actor{"multi", "approver", "d1"},
      driver.now(), DefaultDefinition(), world.authority());
  EXPECT_EQ(multi.reason(), "four_eyes_violation") << multi.ToString();
  EXPECT_EQ(multi.text_vi(),
            "Người thẩm định, người phê duyệt không được là người đã giới "
            "thiệu điển hình này");
  EXPECT_EQ(multi.text_en(),
            "The appraiser or approver may not be the person who nominated "
            "this exemplar");
  EXPECT_TRUE(CheckActionOpen(driver.state(), "ex1", approve,
                              Who("approver").actor(), driver.now(),
                              DefaultDefinition(), world.authority())
                  .ok());
}

TEST(ActionOpenTest, ACreatingActionIsJudgedAtTheActorsOwnUnit) {
  World world;
  const ActionSpec& detect = *DefaultDefinition().FindAction("detect");
  auto check = [&](const Actor& actor) {
    return CheckActionOpen(ExemplarState{}, "", detect, actor, At(2024, 5, 2),
                           DefaultDefinition(), world.authority());
  };
  EXPECT_TRUE(check(Who("reporter").actor()).ok());
  EXPECT_EQ(check(Who("approver").actor()).reason(), "role_not_permitted");
  EXPECT_EQ(check(Actor{"reporter", "reporter", "d1"}).reason(),
            "not_authorised");
}

}  // namespace
}  // namespace exemplar::testing
