// The full lifecycle from the seeds, replay, and a randomised run that
// checks replay always equals the live state and that no rule is bypassed.
#include <gtest/gtest.h>

#include <random>

#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

TEST(WorkflowScenarioTest, CommuneHouseholdFromDetectionToRetirement) {
  World world;
  Driver d(world, "hh-lan");
  auto ok = [&](const std::string& user, const std::string& action,
                nlohmann::json fields, std::int64_t at) {
    Status status = d.By(user, action, std::move(fields), at);
    ASSERT_TRUE(status.ok()) << action << ": " << status.ToString();
  };
  // A commune detects a household from a branch report.
  ok("reporter", "detect", ValidFields("detect"), At(2024, 4, 22));
  ok("nominator", "assign_mentor", ValidFields("assign_mentor"),
     At(2024, 4, 23));
  ok("mentor", "log_support_visit", ValidFields("log_support_visit"),
     At(2024, 4, 26));
  ok("mentor", "document_experience", ValidFields("document_experience"),
     At(2024, 4, 29));
  // Quarterly introduction before 5 June (Q2's last month).
  ok("nominator", "nominate", ValidFields("nominate"), At(2024, 5, 6));
  EXPECT_LT(d.state().cycle.last_taken_us.at("nominate"), At(2024, 6, 5, 0));
  ok("appraiser", "appraise", ValidFields("appraise"), At(2024, 5, 8));
  ok("appraiser", "open_public_comment", ValidFields("open_public_comment"),
     At(2024, 5, 9));
  ok("appraiser", "record_comment", ValidFields("record_comment"),
     At(2024, 5, 15));
  ok("council_member", "record_vote", ValidFields("record_vote"),
     At(2024, 6, 3));
  // Approval by the district after 10 working days of public comment.
  ok("approver", "approve", nlohmann::json::object(), At(2024, 6, 4));
  EXPECT_EQ(d.state().state, "approved");
  // Honoured on 11 June, patriotic emulation day.
  ok("approver", "honour", ValidFields("honour"), At(2024, 6, 11));
  ok("propagandist", "record_propagation", ValidFields("record_propagation"),
     At(2024, 6, 20));
  nlohmann::json online = ValidFields("record_propagation");
  online["channel"] = "online_social_network";
  online["title"] = "Hộ bà Lan làm giàu từ nuôi tôm hùm";
  online["reach"] = 12000;
  ok("propagandist", "record_propagation", online, At(2024, 6, 25));
  // Replication in a similar commune of the same district, evaluated.
  ok("mentor", "plan_replication", ValidFields("plan_replication"),
     At(2024, 7, 1));
  ok("mentor", "record_replication_progress",
     ValidFields("record_replication_progress"), At(2024, 8, 1));
  ok("appraiser", "evaluate_replication", ValidFields("evaluate_replication"),
     At(2024, 11, 15));
  ok("appraiser", "evaluate", ValidFields("evaluate"), At(2024, 12, 20));
  ok("approver", "retire", ValidFields("retire"), At(2025, 6, 1));

  EXPECT_EQ(d.state().state, "retired");
  EXPECT_EQ(d.log().size(), 18u);
  EXPECT_EQ(d.state().slots.at("mentor"), "mentor");
  EXPECT_EQ(d.state().sets.at("replications"), std::set<std::string>{"r1"});
  EXPECT_EQ(d.log()[10].type, "exemplar_honoured");
  EXPECT_EQ(d.log()[10].actor, (Actor{"approver", "approver", "d1"}));
  EXPECT_EQ(d.Replay(), d.state());
}

// Test-side checks that an accepted command kept the rules, written apart
// from Decide so a bug there is not mirrored here.
void ExpectRulesKept(const ExemplarState& before, const WorkflowCommand& cmd,
                     const World& world) {
  const Definition& def = DefaultDefinition();
  const ActionSpec& action = *def.FindAction(cmd.action);
  if (action.creates) {
    EXPECT_FALSE(before.exists());
  } else {
    EXPECT_NE(std::find(action.from.begin(), action.from.end(), before.state),
              action.from.end())
        << cmd.action << " from " << before.state;
  }
  std::string unit = action.creates ? cmd.fields["unit_id"].get<std::string>()
                                    : before.unit_id;
  EXPECT_TRUE(world.authority()
                  .HeldRole(cmd.actor.user_id, cmd.actor.role,
                            cmd.actor.unit_id, unit, cmd.at_us)
                  .ok());
  const auto& actors = before.cycle.actors;
  auto took = [&](const char* a) {
    auto it = actors.find(a);
    return it != actors.end() && it->second.count(cmd.actor.user_id) > 0;
  };
  if (cmd.action == "appraise") {
    EXPECT_FALSE(took("nominate"));
  }
  if (cmd.action == "approve") {
    EXPECT_FALSE(took("nominate"));
    EXPECT_FALSE(took("appraise"));
    auto mentor = before.slots.find("mentor");
    EXPECT_TRUE(mentor == before.slots.end() ||
                mentor->second != cmd.actor.user_id);
    std::int64_t opened = before.cycle.last_taken_us.at("open_public_comment");
    EXPECT_GE(WorkingDaysBetween(CivilDate::AtInstant(opened, kOffset),
                                 CivilDate::AtInstant(cmd.at_us, kOffset)),
              10);
    auto votes = std::get<std::int64_t>(before.cycle.facts.at("votes_for"));
    auto members = std::get<std::int64_t>(before.cycle.facts.at("members"));
    EXPECT_GT(2 * votes, members);
  }
  if (cmd.action == "appraise" || cmd.action == "approve" ||
      cmd.action == "record_vote") {
    auto recused = before.sets.find("recused");
    EXPECT_TRUE(recused == before.sets.end() ||
                !recused->second.count(cmd.actor.user_id));
  }
}

TEST(WorkflowReplayTest, RandomCommandsKeepReplayEqualAndNeverBypassRules) {
  World world;
  std::mt19937 random(20240611);
  const Definition& def = DefaultDefinition();
  const std::vector<Person> people = {Who("reporter"),
                                      Who("mentor"),
                                      Who("nominator"),
                                      Who("appraiser"),
                                      Who("council_member"),
                                      Who("approver"),
                                      Who("propagandist"),
                                      Person{"multi", "nominator", "d1"},
                                      Person{"multi", "appraiser", "d1"},
                                      Person{"multi", "approver", "d1"},
                                      Person{"approver_d2", "approver", "d2"}};
  int accepted = 0;
  std::map<std::string, int> accepted_by_action;
  for (int run = 0; run < 20; ++run) {
    Driver driver(world, "rnd" + std::to_string(run));
    for (int step = 0; step < 80; ++step) {
      // Mostly actions allowed from the current state (retire only rarely,
      // so runs get far), some not.
      std::vector<const ActionSpec*> fitting;
      for (const ActionSpec& a : def.actions) {
        const auto& from = a.from;
        if (a.name != "retire" && a.creates != driver.state().exists() &&
            (a.creates || std::find(from.begin(), from.end(),
                                    driver.state().state) != from.end())) {
          fitting.push_back(&a);
        }
      }
      static const std::map<std::string, std::string> kNext = {
          {"detected", "assign_mentor"},
          {"nurturing", "nominate"},
          {"returned", "nominate"},
          {"nominated", "appraise"},
          {"appraised", "open_public_comment"},
          {"public_comment", "record_vote"},
          {"voted", "approve"},
          {"approved", "honour"}};
      auto next = kNext.find(driver.state().state);
      const int pick = static_cast<int>(random() % 8);
      const ActionSpec& action =
          pick < 3 && next != kNext.end() ? *def.FindAction(next->second)
          : pick < 7 && !fitting.empty()
              ? *fitting[random() % fitting.size()]
              : def.actions[random() % def.actions.size()];
      // Mostly people in a role the action allows, some not.
      std::vector<const Person*> able;
      for (const Person& p : people) {
        if (std::find(action.roles.begin(), action.roles.end(), p.role) !=
            action.roles.end()) {
          able.push_back(&p);
        }
      }
      const Person& person = random() % 4 != 0 && !able.empty()
                                 ? *able[random() % able.size()]
                                 : people[random() % people.size()];
      nlohmann::json fields = ValidFields(action.name);
      switch (random() % 6) {
        case 0:  // drop a field
          if (!fields.empty()) fields.erase(fields.begin());
          break;
        case 1:
          if (action.name == "declare_conflict") fields["user_id"] = "multi";
          if (action.name == "record_vote") fields["votes_for"] = 3;
          if (action.name == "reassign_mentor") fields["mentor_id"] = "multi";
          break;
        default:
          break;
      }
      driver.Skip(static_cast<std::int64_t>(random() % 7) * kDay);
      ExemplarState before = driver.state();
      size_t logged = driver.log().size();
      std::int64_t at = driver.now();
      WorkflowCommand cmd{"rnd", action.name, fields, person.actor(),
                          at,    "",          "",     ""};
      Status status = driver.Try(action.name, person.actor(), fields, at);
      if (status.ok()) {
        ++accepted;
        ++accepted_by_action[action.name];
        ExpectRulesKept(before, cmd, world);
      } else {
        EXPECT_EQ(status.code(), StatusCode::kRejected) << status.ToString();
        EXPECT_FALSE(status.reason().empty());
        EXPECT_EQ(driver.log().size(), logged);
        EXPECT_EQ(driver.state(), before);
      }
      ASSERT_EQ(driver.Replay(), driver.state());
    }
  }
  EXPECT_GT(accepted, 150);
  // The rules on approval were exercised, not only the early steps.
  EXPECT_GT(accepted_by_action["approve"], 0);
}

}  // namespace
}  // namespace exemplar::testing
