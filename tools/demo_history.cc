// The demo's history: each exemplar's steps, drawn from the seed, and the
// runner that records them in time order with the reform on its day.
#include <algorithm>
#include <functional>
#include <limits>
#include <set>

#include "engine/workflow/sample_fields.h"
#include "tools/demo_writer.h"

namespace exemplar::tools {
namespace {

using nlohmann::json;

const char* const kFields[] = {"production_business", "good_people_good_deeds",
                               "teaching_learning",   "medical_ethics",
                               "social_welfare",      "innovation"};
const char* const kSources[] = {"branch_report", "commune_inspection",
                                "district_field_visit", "mass_media"};
const char* const kChannels[] = {"commune_loudspeaker", "newspaper",
                                 "web_portal", "online_social_network",
                                 "branch_meeting"};
// Where each exemplar's history may stop, and the actions that lead there.
const char* const kMainPath[] = {"detect",
                                 "assign_mentor",
                                 "nominate",
                                 "appraise",
                                 "open_public_comment",
                                 "record_vote",
                                 "approve",
                                 "honour"};
struct Ending {
  int main_steps;      // steps of kMainPath taken
  const char* detour;  // then this action, or nullptr
};
const Ending kEndings[] = {{1, nullptr},
                           {2, nullptr},
                           {3, nullptr},
                           {4, nullptr},
                           {5, nullptr},
                           {6, nullptr},
                           {7, nullptr},
                           {8, nullptr},
                           {8, nullptr},
                           {8, nullptr},
                           {3, "return_for_revision"},
                           {4, "reject"},
                           {8, "revoke_award"},
                           {2, "retire"}};

std::string Quarter(std::int64_t at_us) {
  return CivilDate::AtInstant(at_us, 420).QuarterName();
}

// The history stops before this day: what is still to come is simply not
// there yet.
std::int64_t DemoCutoff() { return DemoAt(2026, 11, 15); }

const char* const kDualRoleExemplar = "dh-four-eyes";

}  // namespace

// The sample fields of `action` (SampleFields) for an exemplar of `cast` at
// `at`, with the demo's own choices: the random ones drawn in a fixed order,
// so a seed gives one history, and texts that read like real records.
json DemoWriter::Fields(const std::string& action, const Cast& cast,
                        std::int64_t at) {
  SampleContext context;
  context.at_us = at;
  context.unit_id = territory_.CommuneAt(cast.commune, at);
  context.user_id = "mentor-" + context.unit_id;
  context.campaign_id = "gen-2025";
  context.criteria_set = "general";
  context.award_form = "giay_khen";
  context.subject_kind = "household";
  context.overrides = Overrides(action, at);
  return SampleFields(definition_, *definition_.FindAction(action), context);
}

// The demo's own values for `action`, random draws included.
json DemoWriter::Overrides(const std::string& action, std::int64_t at) {
  if (action == "detect") {
    return {{"name", "Hộ " + choices_.PersonName()},
            {"field", choices_.Pick(kFields)},
            {"summary", "Làm kinh tế giỏi, giúp đỡ hộ nghèo trong thôn"},
            {"source", choices_.Pick(kSources)},
            {"cultured_family", true}};
  }
  if (action == "nominate") {
    return {{"summary", "Giới thiệu điển hình tiên tiến " + Quarter(at)}};
  }
  if (action == "open_public_comment") {
    return {{"posted_at", "Trụ sở Ủy ban nhân dân xã"}};
  }
  if (action == "record_vote") {
    return {{"votes_for", 8}, {"votes_against", 0}, {"abstentions", 1}};
  }
  if (action == "approve") return {{"decision_note", "Đồng ý công nhận"}};
  if (action == "honour") {
    return {{"occasion", "periodic_review"},
            {"decision_number",
             std::to_string(100 + choices_.Below(800)) + "/QĐ-UBND"}};
  }
  if (action == "revoke_award") {
    return {{"reason", "Phát hiện kê khai thành tích không đúng"},
            {"decision_number",
             std::to_string(choices_.Below(90) + 10) + "/QĐ-UBND"}};
  }
  if (action == "record_propagation") {
    return {{"channel", choices_.Pick(kChannels)},
            {"title", "Gương điển hình tiên tiến của xã"},
            {"reach", 500 + choices_.Below(5000)}};
  }
  if (action == "plan_replication") {
    return {{"similarity_rationale", "Cùng điều kiện đất đai, canh tác"},
            {"plan", "Hội nghị chia sẻ kinh nghiệm, hỗ trợ giống và kỹ thuật"}};
  }
  if (action == "record_replication_progress") {
    return {{"progress", "Các hộ trong thôn đã áp dụng mô hình"},
            {"percent_complete", 40 + replications_.Below(50)}};
  }
  if (action == "evaluate_replication") {
    return {{"outcome",
             replications_.Below(4) == 0 ? "partly_replicated" : "replicated"},
            {"evaluation", "Mô hình được áp dụng hiệu quả ở nơi nhân rộng"},
            {"adopters", 3 + replications_.Below(20)}};
  }
  if (action == "log_support_visit") {
    return {{"notes", "Thăm hỏi, hướng dẫn ghi chép kinh nghiệm"}};
  }
  if (action == "return_for_revision") {
    return {{"reason", "Bổ sung minh chứng thành tích"}};
  }
  if (action == "reject") return {{"reason", "Chưa đạt tiêu chí"}};
  if (action == "retire") return {{"reason", "Không còn đạt tiêu chuẩn"}};
  return json::object();
}

// Who takes `action` for an exemplar of `cast` at `at`: a holder of the
// action's first role where the demo seats it, at the commune or its
// district before the reform, at the commune the reform made after it.
Actor DemoWriter::ActorFor(const std::string& action, const Cast& cast,
                           std::int64_t at) const {
  const std::string& role = definition_.FindAction(action)->roles.front();
  const bool communal =
      std::find(std::begin(kCommuneRoles), std::end(kCommuneRoles), role) !=
      std::end(kCommuneRoles);
  const std::string& unit = communal || at >= DemoReformAt()
                                ? territory_.CommuneAt(cast.commune, at)
                                : cast.district;
  return Actor{role + "-" + unit, role, unit};
}

void DemoWriter::Plan(const Cast& cast, std::int64_t start) {
  casts_[cast.exemplar_id] = cast;
  const Ending& ending = choices_.Pick(kEndings);
  std::vector<std::string> actions(kMainPath, kMainPath + ending.main_steps);
  if (ending.main_steps >= 2) {
    actions.insert(actions.begin() + 2, "log_support_visit");
  }
  if (ending.main_steps == 8) actions.push_back("record_propagation");
  if (ending.detour) actions.push_back(ending.detour);
  std::int64_t at = start;
  for (const std::string& action : actions) {
    if (at > DemoCutoff()) return;
    steps_.push_back({at, cast.exemplar_id, action, ActorFor(action, cast, at),
                      Fields(action, cast, at)});
    // Public comment stays open three weeks, so its ten working days pass.
    at += (action == "open_public_comment" ? 21 : 3 + choices_.Below(12)) *
              kDemoDay +
          choices_.Below(8) * kDemoHour;
  }
  if (ending.main_steps == 8 && ending.detour == nullptr) {
    PlanReplication(cast, at);
  }
}

// Two of three propagated exemplars are replicated from `at` on: a plan,
// progress, and the evaluation of its outcome.
void DemoWriter::PlanReplication(const Cast& cast, std::int64_t at) {
  if (replications_.Below(3) == 0) return;
  // Before the reform into a neighbouring commune of the district; after
  // it into a branch of the exemplar's commune, where its planner's
  // authority reaches.
  std::vector<std::string> neighbours;
  if (at < DemoReformAt()) {
    for (const std::string& commune : territory_.communes()) {
      if (commune != cast.commune &&
          territory_.DistrictOf(commune) == cast.district) {
        neighbours.push_back(commune);
      }
    }
  } else {
    neighbours = territory_.BranchesOf(territory_.CommuneAt(cast.commune, at));
  }
  for (const char* action : {"plan_replication", "record_replication_progress",
                             "evaluate_replication"}) {
    if (at > DemoCutoff()) return;
    json fields = Fields(action, cast, at);
    Actor actor = ActorFor(action, cast, at);
    if (fields.contains("target_unit") && !neighbours.empty()) {
      fields["target_unit"] =
          neighbours[replications_.Below(neighbours.size())];
      // A neighbouring commune lies within the district's authority.
      if (at < DemoReformAt()) {
        actor = Actor{"approver-" + cast.district, "approver", cast.district};
      }
    }
    steps_.push_back(
        {at, cast.exemplar_id, action, std::move(actor), std::move(fields)});
    at += (10 + replications_.Below(30)) * kDemoDay +
          replications_.Below(8) * kDemoHour;
  }
}

void DemoWriter::PlanDualRole() {
  const Cast cast{"camlam-1", "camlam", kDualRoleExemplar};
  casts_[cast.exemplar_id] = cast;
  std::int64_t at = DemoAt(2026, 9, 1);
  for (const char* action : {"detect", "assign_mentor", "nominate", "appraise",
                             "open_public_comment", "record_vote"}) {
    Actor actor = ActorFor(action, cast, at);
    if (std::string(action) == "nominate") {
      actor = Actor{kDualRoleUser, "nominator", "camlam-1"};
    }
    steps_.push_back(
        {at, cast.exemplar_id, action, actor, Fields(action, cast, at)});
    at += (std::string(action) == "open_public_comment" ? 21 : 5) * kDemoDay;
  }
}

void DemoWriter::History(int exemplars) {
  const std::int64_t first = DemoAt(2025, 1, 6);
  const std::int64_t span = DemoAt(2026, 10, 31) - first;
  for (int i = 0; i < exemplars; ++i) {
    const std::vector<std::string>& communes = territory_.communes();
    const std::string& commune = communes[choices_.Below(communes.size())];
    char id[16];
    std::snprintf(id, sizeof id, "dh-%04d", i + 1);
    std::int64_t start =
        first + static_cast<std::int64_t>(choices_.Below(1000)) * (span / 1000);
    Plan(Cast{commune, territory_.DistrictOf(commune), id}, start);
  }
  // Drawn after every other exemplar, so the seed's history stays the same.
  PlanDualRole();
  std::stable_sort(
      steps_.begin(), steps_.end(),
      [](const Step& a, const Step& b) { return a.at_us < b.at_us; });
}

Status DemoWriter::Run() {
  EXEMPLAR_RETURN_IF_ERROR(RunSteps(DemoReformAt()));
  EXEMPLAR_RETURN_IF_ERROR(Reform());
  return RunSteps(std::numeric_limits<std::int64_t>::max());
}

Status DemoWriter::RunSteps(std::int64_t until) {
  // Steps go in time order, in rounds of consecutive steps that touch each
  // exemplar at most once, so a round can run concurrently (sharing group
  // commits) while every exemplar's own history stays in order.
  while (next_step_ < steps_.size() && steps_[next_step_].at_us < until) {
    std::set<std::string> touched;
    std::size_t end = next_step_;
    while (end < steps_.size() && steps_[end].at_us < until &&
           end - next_step_ < 64 &&
           touched.insert(steps_[end].exemplar_id).second) {
      ++end;
    }
    std::vector<std::function<Status()>> tasks;
    for (std::size_t i = next_step_; i < end; ++i) {
      const Step& step = steps_[i];
      if (step.action == "detect") {
        detected_in_[step.exemplar_id] = step.actor.unit_id;
      }
      tasks.push_back([this, &step]() -> Status {
        WorkflowCommand command{
            step.exemplar_id, step.action, step.fields, step.actor,
            step.at_us,       "demo",      "",          ""};
        Result<AppendResult> done = handler_.Handle(command);
        if (done.ok()) return Status::Ok();
        return Status::Internal(step.exemplar_id + " " + step.action + ": " +
                                done.status().ToString());
      });
    }
    commands_ += tasks.size();
    EXEMPLAR_RETURN_IF_ERROR(RunAll(tasks));
    next_step_ = end;
  }
  return Status::Ok();
}

void DemoWriter::PrintGuide(
    std::ostream& out, const std::map<std::string, Actor>& featured) const {
  out << "On 1 July 2025 Tỉnh Ninh Thuận merged into Tỉnh Khánh Hòa "
         "(Resolution 202/2025/QH15), the districts ended and communes "
         "merged:\n";
  for (const CommuneMerger& merger : territory_.mergers()) {
    out << "  " << merger.new_name << " (" << merger.survivor() << ") <- ";
    for (std::size_t i = 0; i < merger.members.size(); ++i) {
      out << (i == 0 ? "" : ", ") << merger.members[i];
    }
    out << "\n";
  }
  const std::string commune = "camlam-1";
  std::map<std::string, std::string> stage;  // exemplar -> state
  for (const Step& step : steps_) {
    const ActionSpec* action = definition_.FindAction(step.action);
    if (action->to) stage[step.exemplar_id] = *action->to;
  }
  std::map<std::string, std::vector<std::string>> by_state;
  for (const auto& [exemplar, state] : stage) {
    if (territory_.SurvivorOf(casts_.at(exemplar).commune) == commune) {
      by_state[state].push_back(exemplar);
    }
  }
  out << "Where the exemplars of Xã Cam Lâm (" << commune << ") stand:\n";
  for (const auto& [state, exemplars] : by_state) {
    out << "  " << state << ":";
    for (std::size_t i = 0; i < exemplars.size() && i < 4; ++i) {
      out << " " << exemplars[i];
    }
    out << (exemplars.size() > 4 ? " …\n" : "\n");
  }
  std::set<std::string> roles;
  for (const auto& [user, actor] : featured) roles.insert(actor.role);
  out << "What each role may do, on exemplars within its unit:\n";
  for (const std::string& role : roles) {
    out << "  " << role << ":";
    if (role == "admin")
      out << " (units, people, grants, campaigns, "
             "reorganisations)";
    bool acts = false;
    for (const ActionSpec& action : definition_.actions) {
      if (std::find(action.roles.begin(), action.roles.end(), role) !=
          action.roles.end()) {
        out << " " << action.name;
        acts = true;
      }
    }
    if (!acts && role != "admin") out << " (reads only)";
    out << "\n";
  }
}

}  // namespace exemplar::tools
