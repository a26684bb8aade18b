// The demo's history: each exemplar's steps, drawn from the seed, and the
// runner that records them in time order with the reform on its day.
#include <algorithm>
#include <functional>
#include <limits>
#include <set>

#include "engine/workflow/sample_fields.h"
#include "events/civil_date.h"
#include "events/clock.h"
#include "tools/demo_writer.h"

namespace exemplar::tools {
namespace {

using nlohmann::json;

const char* const kFields[] = {"production_business", "good_people_good_deeds",
                               "teaching_learning",   "medical_ethics",
                               "social_welfare",      "innovation"};
const char* const kSources[] = {"branch_report", "branch_adhoc_report",
                                "commune_inspection", "district_field_visit",
                                "mass_media"};
const char* const kSubjectKinds[] = {"individual", "collective", "household"};
const char* const kHamlets[] = {"Đông", "Tây", "Nam", "Bắc", "Trung", "Mới"};
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

// The year of the annual registration the demo walks through, and the
// Home Affairs department the province's selection goes to.
constexpr int kFunnelYear = 2026;
const char* const kHomeAffairs = "so-nv";

const DemoCampaign& CampaignOf(const Cast& cast) {
  for (const DemoCampaign& campaign : kDemoCampaigns) {
    if (cast.campaign_id == campaign.id) return campaign;
  }
  return kDemoCampaigns[0];
}

bool EndsHistory(const std::string& action) {
  return action == "retire" || action == "reject" || action == "revoke_award";
}

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
  context.campaign_id = cast.campaign_id;
  context.criteria_set = CampaignOf(cast).criteria_set;
  context.award_form = "giay_khen";
  context.subject_kind = cast.subject_kind;
  context.overrides = Overrides(action, cast, at);
  return SampleFields(definition_, *definition_.FindAction(action), context);
}

// The demo's own values for `action`, random draws included.
json DemoWriter::Overrides(const std::string& action, const Cast& cast,
                           std::int64_t at) {
  if (action == "detect") return Detection(cast);
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
    // Honours of June are given on the Patriotic Emulation Day, 11 June.
    const std::string day = CivilDate::AtInstant(at, 420).ToString();
    // The Women's Union's standing committee signs its own decisions.
    const char* issuer =
        cast.campaign_id == "pn-2025" ? "/QĐ-HLHPN" : "/QĐ-UBND";
    json honour = {{"occasion", "periodic_review"},
                   {"decision_number",
                    std::to_string(100 + choices_.Below(800)) + issuer}};
    if (day.substr(5, 2) == "06" && day.substr(8) >= "11") {
      honour["occasion"] = "patriotic_emulation_day";
      honour["occasion_date"] = day.substr(0, 4) + "-06-11";
    }
    return honour;
  }
  if (action == "document_experience") {
    return {{"title", "Kinh nghiệm của " + cast.exemplar_id},
            {"content",
             "Chúng tôi bắt đầu từ việc nhỏ, cùng bà con trong thôn bàn "
             "bạc, làm trước để mọi người làm theo."}};
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

// What is detected: a person, a collective or a household of the cast's
// commune, with the priority groups it belongs to.
json DemoWriter::Detection(const Cast& cast) {
  const std::string& kind = cast.subject_kind;
  json detected = {{"field", choices_.Pick(kFields)},
                   {"source", choices_.Pick(kSources)}};
  json priority = json::array();
  if (kind == "individual") {
    detected["name"] = choices_.PersonName();
    detected["summary"] = "Nông dân sản xuất giỏi, tận tình giúp người nghèo";
    if (choices_.Below(2) == 0) priority.push_back("direct_worker");
  } else if (kind == "collective") {
    detected["name"] =
        std::string("Chi hội Phụ nữ thôn ") + choices_.Pick(kHamlets);
    detected["summary"] = "Chi hội vững mạnh, dẫn đầu phong trào thi đua";
    if (choices_.Below(2) == 0) priority.push_back("grassroots_collective");
  } else {
    detected["name"] = "Hộ " + choices_.PersonName();
    detected["summary"] = "Làm kinh tế giỏi, giúp đỡ hộ nghèo trong thôn";
    detected["cultured_family"] = true;
  }
  if (cast.district == "ninhhai") {
    priority.push_back("remote_border_island_ethnic_area");
  }
  if (!priority.empty()) detected["priority_flags"] = std::move(priority);
  return detected;
}

// Who takes `action` for an exemplar of `cast` at `at`: a holder of the
// action's first role where the demo seats it (the campaign's deciding
// body's role where it may take the action), at the commune or its
// district before the reform, at the commune the reform made after it.
Actor DemoWriter::ActorFor(const std::string& action, const Cast& cast,
                           std::int64_t at) const {
  const std::vector<std::string>& roles = definition_.FindAction(action)->roles;
  std::string role = roles.front();
  const DecidingBody* body =
      definition_.FindDecidingBody(CampaignOf(cast).deciding_body);
  if (body != nullptr && std::find(roles.begin(), roles.end(),
                                   body->roles.front()) != roles.end()) {
    role = body->roles.front();
  }
  const bool communal =
      std::find(std::begin(kCommuneRoles), std::end(kCommuneRoles), role) !=
      std::end(kCommuneRoles);
  const std::string& unit = communal || at >= DemoReformAt()
                                ? territory_.CommuneAt(cast.commune, at)
                                : cast.district;
  return Actor{role + "-" + unit, role, unit};
}

void DemoWriter::Plan(Cast cast, std::int64_t start) {
  cast.subject_kind = choices_.Pick(kSubjectKinds);
  // One exemplar in three is in the Women's Union's movement.
  cast.campaign_id = kDemoCampaigns[choices_.Below(3) == 0 ? 1 : 0].id;
  casts_[cast.exemplar_id] = cast;
  const Ending& ending = choices_.Pick(kEndings);
  std::vector<std::string> actions(kMainPath, kMainPath + ending.main_steps);
  if (ending.main_steps >= 2) {
    actions.insert(actions.begin() + 2, "log_support_visit");
  }
  if (ending.main_steps == 8) {
    actions.push_back("record_propagation");
    actions.push_back("document_experience");
  }
  if (ending.detour) actions.push_back(ending.detour);
  std::int64_t at = start;
  for (const std::string& action : actions) {
    if (at > DemoCutoff()) return;
    Step step{at, cast.exemplar_id, action, ActorFor(action, cast, at),
              Fields(action, cast, at)};
    // The experience is the exemplar's own words, typed by the mentor.
    if (action == "document_experience") step.on_behalf_of = cast.exemplar_id;
    steps_.push_back(std::move(step));
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
  auto by_time = [](const Step& a, const Step& b) { return a.at_us < b.at_us; };
  std::stable_sort(steps_.begin(), steps_.end(), by_time);
  // The lists and scores name exemplars of the history drawn above.
  PlanFunnel();
  PlanPropagationScores();
  std::stable_sort(steps_.begin(), steps_.end(), by_time);
}

std::vector<std::string> DemoWriter::ExemplarsOf(const std::string& commune,
                                                 std::int64_t at) const {
  std::map<std::string, int> steps_taken;
  for (const Step& step : steps_) {
    if (step.funnel) continue;
    if (step.at_us >= at) break;
    const Cast& cast = casts_.at(step.exemplar_id);
    if (territory_.SurvivorOf(cast.commune) != commune) continue;
    steps_taken[step.exemplar_id] =
        EndsHistory(step.action) ? -1000 : steps_taken[step.exemplar_id] + 1;
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [exemplar, taken] : steps_taken) {
    if (taken > 0) ranked.emplace_back(-taken, exemplar);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> exemplars;
  for (const auto& [rank, exemplar] : ranked) exemplars.push_back(exemplar);
  return exemplars;
}

void DemoWriter::PlanFunnel() {
  const std::vector<std::string> communes = territory_.Survivors();
  // Every commune but the last registers, the fourth late (after 15
  // January); each lists five or six of its exemplars, or what it has.
  std::vector<std::vector<std::string>> lists;
  for (std::size_t i = 0; i + 1 < communes.size(); ++i) {
    const std::int64_t at =
        DemoAt(kFunnelYear, 1, i == 3 ? 20 : 5 + static_cast<int>(i));
    std::vector<std::string> listed = ExemplarsOf(communes[i], at);
    listed.resize(std::min<std::size_t>(listed.size(), 5 + choices_.Below(2)));
    if (listed.empty()) continue;
    lists.push_back(listed);
    steps_.push_back(
        {at, RegistrationId(communes[i], kFunnelYear), "register",
         Actor{"nominator-" + communes[i], "nominator", communes[i]},
         json::object(), "",
         RegisterList{communes[i], kFunnelYear, listed,
                      "Danh sách đăng ký xây dựng điển hình"}});
  }
  if (lists.empty()) return;  // a history too short to list anyone
  // The province takes from each commune's list in turn, twelve in all.
  std::vector<std::string> selected;
  for (std::size_t rank = 0; selected.size() < 12 && rank < 6; ++rank) {
    for (const std::vector<std::string>& list : lists) {
      if (rank < list.size() && selected.size() < 12) {
        selected.push_back(list[rank]);
      }
    }
  }
  const Actor province{"approver-kh", "approver", "kh"};
  const std::string record = RegistrationId("kh", kFunnelYear);
  steps_.push_back({DemoAt(kFunnelYear, 2, 10), record, "select", province,
                    json::object(), "",
                    SelectList{"kh", kFunnelYear, selected,
                               "Lựa chọn từ danh sách các xã đăng ký"}});
  steps_.push_back({DemoAt(kFunnelYear, 2, 12), record, "submit", province,
                    json::object(), "",
                    SubmitList{"kh", kFunnelYear, kHomeAffairs}});
}

void DemoWriter::PlanPropagationScores() {
  int day = 12;
  for (const std::string& commune : territory_.Survivors()) {
    const double score = 60 + static_cast<double>(choices_.Below(41));
    steps_.push_back(
        {DemoAt(kFunnelYear, 1, day++), AssessmentId(commune, "2025"), "score",
         Actor{"approver-" + commune, "approver", commune}, json::object(), "",
         ScorePropagation{commune, "2025", score,
                          "Tuyên truyền đa dạng trên loa truyền thanh, "
                          "báo chí và mạng xã hội"}});
  }
}

Status DemoWriter::Run() {
  EXEMPLAR_RETURN_IF_ERROR(RunSteps(DemoReformAt()));
  EXEMPLAR_RETURN_IF_ERROR(Reform());
  return RunSteps(std::numeric_limits<std::int64_t>::max());
}

Status DemoWriter::RunSteps(std::int64_t until) {
  // Steps go in time order, in rounds of consecutive steps that touch each
  // exemplar at most once, so a round can run concurrently (sharing group
  // commits) while every exemplar's own history stays in order. A list or
  // score reads other streams, so it runs in a round of its own.
  while (next_step_ < steps_.size() && steps_[next_step_].at_us < until) {
    std::set<std::string> touched;
    std::size_t end = next_step_;
    while (end < steps_.size() && steps_[end].at_us < until &&
           end - next_step_ < 64 && !steps_[end].funnel &&
           touched.insert(steps_[end].exemplar_id).second) {
      ++end;
    }
    if (end == next_step_) ++end;  // a list or score, alone
    std::vector<std::function<Status()>> tasks;
    for (std::size_t i = next_step_; i < end; ++i) {
      const Step& step = steps_[i];
      if (step.action == "detect") {
        detected_in_[step.exemplar_id] = step.actor.unit_id;
      }
      tasks.push_back([this, &step] { return RunStep(step); });
    }
    commands_ += tasks.size();
    EXEMPLAR_RETURN_IF_ERROR(RunAll(tasks));
    next_step_ = end;
  }
  return Status::Ok();
}

Status DemoWriter::RunStep(const Step& step) {
  auto command = [&]() -> Result<AppendResult> {
    if (step.funnel) {
      return handler_.Handle(
          FunnelCommand{*step.funnel, step.actor, step.at_us, "demo", ""});
    }
    Result<json> fields = WithDocuments(step);
    if (!fields.ok()) return fields.status();
    return handler_.Handle(WorkflowCommand{step.exemplar_id, step.action,
                                           *fields, step.actor, step.at_us,
                                           "demo", "", "", step.on_behalf_of});
  };
  const Result<AppendResult> done = command();
  if (done.ok()) return Status::Ok();
  return Status::Internal(step.exemplar_id + " " + step.action + ": " +
                          done.status().ToString());
}

Result<json> DemoWriter::WithDocuments(const Step& step) const {
  const auto cast = casts_.find(step.exemplar_id);
  if (documents_ == nullptr || cast == casts_.end() ||
      territory_.SurvivorOf(cast->second.commune) != kFeaturedCommune) {
    return step.fields;
  }
  json fields = step.fields;
  const ActionSpec& action = *definition_.FindAction(step.action);
  for (const FieldSpec& field : action.fields) {
    if (field.type != FieldType::kDocuments) continue;
    // A short text stands for the scanned paper an office would attach.
    const std::string content =
        field.label.vi + "\n\nĐiển hình " + step.exemplar_id + ", bước \"" +
        action.label.vi + "\", ngày " +
        CivilDate::AtInstant(step.at_us, 420).ToString() +
        ".\n\nTài liệu mẫu của tỉnh thử nghiệm.\n";
    // Staged now, not at the step's time: the handler claims by the clock.
    const std::int64_t now = SystemClockMicros();
    auto upload = documents_->BeginUpload(step.actor.user_id, now);
    if (!upload.ok()) return upload.status();
    EXEMPLAR_RETURN_IF_ERROR((*upload)->Append(content));
    auto staged = (*upload)->Finish("text/plain", field.label.vi + ".txt", now);
    if (!staged.ok()) return staged.status();
    fields[field.name] = json::array({staged->ref.hash});
  }
  return fields;
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
  out << "Campaigns: gen-2025 is decided by the emulation council "
         "(approver), pn-2025, the Women's Union's, by its standing "
         "committee (standing_committee).\n"
      << "The " << kFunnelYear
      << " registration: the communes registered their lists (one late, one "
         "missing), the province (approver-kh) selected from them and "
         "submitted to "
      << kHomeAffairs << "; each commune's 2025 propagation was scored.\n";
  const std::string commune = "camlam-1";
  std::map<std::string, std::string> stage;  // exemplar -> state
  for (const Step& step : steps_) {
    if (step.funnel) continue;
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
    auto holds = [&role](const std::vector<std::string>& roles) {
      return std::find(roles.begin(), roles.end(), role) != roles.end();
    };
    const Deadlines& deadlines = definition_.deadlines;
    if (std::any_of(deadlines.annual_registration.begin(),
                    deadlines.annual_registration.end(),
                    [&](const AnnualRegistration& entry) {
                      return holds(entry.roles);
                    })) {
      out << " + annual lists";
      acts = true;
    }
    if (holds(definition_.propagation_assessment.roles)) {
      out << " + propagation scores";
      acts = true;
    }
    if (!acts && role != "admin") out << " (reads only)";
    out << "\n";
  }
}

}  // namespace exemplar::tools
