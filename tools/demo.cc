#include "tools/demo.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "api/bootstrap.h"
#include "api/people_routes.h"
#include "api/tokens.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/credentials.h"
#include "engine/workflow/sample_fields.h"
#include "events/civil_date.h"
#include "events/clock.h"
#include "tools/data_folder.h"

namespace exemplar::tools {
namespace {

using nlohmann::json;

constexpr std::int64_t kHour = 3600LL * 1000 * 1000;
constexpr std::int64_t kDay = 24 * kHour;

const char* const kFamilyNames[] = {"Nguyễn", "Trần",  "Lê",   "Phạm",
                                    "Hoàng",  "Huỳnh", "Phan", "Vũ",
                                    "Võ",     "Đặng",  "Bùi",  "Đỗ"};
const char* const kMiddleNames[] = {"Thị",  "Văn", "Minh",  "Thu",
                                    "Ngọc", "Đức", "Thanh", "Hữu"};
const char* const kGivenNames[] = {"Lan",  "Hùng",  "Mai",   "Dũng", "Hoa",
                                   "Tuấn", "Hương", "Sơn",   "Nga",  "Khánh",
                                   "Yến",  "Phúc",  "Trang", "Bình", "Thảo"};
const char* const kDistricts[][2] = {{"camlam", "Huyện Cam Lâm"},
                                     {"dienkhanh", "Huyện Diên Khánh"},
                                     {"vanninh", "Huyện Vạn Ninh"}};
const char* const kCommunePrefixes[] = {"Xã Cam", "Xã Diên", "Xã Vạn"};
const char* const kCommuneSuffixes[] = {"Hải Tây", "Thành Nam", "An",   "Phước",
                                        "Hòa",     "Lộc",       "Bình", "Thắng",
                                        "Hưng",    "Thọ"};
const char* const kFields[] = {"production_business", "good_people_good_deeds",
                               "teaching_learning",   "medical_ethics",
                               "social_welfare",      "innovation"};
const char* const kSources[] = {"branch_report", "commune_inspection",
                                "district_field_visit", "mass_media"};
const char* const kChannels[] = {"commune_loudspeaker", "newspaper",
                                 "web_portal", "online_social_network",
                                 "branch_meeting"};
// A nominator of the district of Cam Lâm who is also one of its approvers,
// and the exemplar they nominated, left voted: the four-eyes rule refuses
// them its approval, which approver-camlam may give.
const char* const kDualRoleUser = "nominator-approver-camlam";
const char* const kDualRoleExemplar = "dh-four-eyes";

// The roles seated in every commune and in every district.
const char* const kCommuneRoles[] = {"reporter", "mentor", "nominator"};
const char* const kDistrictRoles[] = {"appraiser", "council_member", "approver",
                                      "propagandist"};

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

// The demo's random choices, from one seeded engine so a seed gives one
// history on every platform (no std distributions, whose output varies).
class Choices {
 public:
  explicit Choices(std::uint32_t seed) : random_(seed) {}
  std::size_t Below(std::size_t n) { return random_() % n; }
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }
  std::string PersonName() {
    return std::string(Pick(kFamilyNames)) + " " + Pick(kMiddleNames) + " " +
           Pick(kGivenNames);
  }

 private:
  std::mt19937 random_;
};

// Runs `tasks` on up to `threads` threads, so their appends share group
// commits; returns the first error.
Status RunAll(const std::vector<std::function<Status()>>& tasks,
              int threads = 32) {
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  Status first_error;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < tasks.size(); i = next++) {
        Status status = tasks[i]();
        std::lock_guard<std::mutex> lock(mutex);
        if (!status.ok() && first_error.ok()) first_error = status;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return first_error;
}

std::int64_t At(int year, unsigned month, unsigned day, int hour = 9) {
  return CivilDate::FromYmd(year, month, day).StartUnixMicros(420) +
         hour * kHour;
}

// The history stops before this day: what is still to come is simply not
// there yet.
std::int64_t DemoCutoff() { return At(2026, 11, 15); }

std::string Quarter(std::int64_t at_us) {
  return CivilDate::AtInstant(at_us, 420).QuarterName();
}

// Who acts where for one exemplar.
struct Cast {
  std::string commune;
  std::string district;
  std::string exemplar_id;
};

// One command of the history, ordered by time.
struct Step {
  std::int64_t at_us;
  std::string exemplar_id;
  std::string action;
  Actor actor;
  json fields;
};

class DemoWriter {
 public:
  DemoWriter(CommandHandler& handler, const Definition& definition,
             std::uint32_t seed)
      : handler_(handler),
        definition_(definition),
        choices_(seed),
        replications_(seed + 1) {}

  Status Organisation(std::int64_t at);
  void History(int exemplars);
  Status Run();
  const std::map<std::string, Actor>& featured() const { return featured_; }
  // Every person registered, by id.
  std::vector<std::string> users() const {
    std::vector<std::string> ids = {api::kAdminUserId};
    for (const SystemAction& person : people_) {
      ids.push_back(std::get<UserRegistered>(person).user_id);
    }
    return ids;
  }
  std::size_t commands() const { return commands_; }

 private:
  // Adds a command to the current phase of the organisation.
  void System(SystemAction action);
  // Registers `user` holding `role` at `unit`, named `full_name` or, when
  // it is empty, by a draw.
  void Person(const std::string& user, const std::string& role,
              const std::string& unit, std::string full_name = "");
  void Plan(const Cast& cast, std::int64_t start);
  void PlanReplication(const Cast& cast, std::int64_t at);
  // The nominator-approver and the exemplar they nominated (kDualRoleUser).
  void DualRolePerson();
  void PlanDualRole();
  json Fields(const std::string& action, const Cast& cast, std::int64_t at);
  json Overrides(const std::string& action, std::int64_t at);

  CommandHandler& handler_;
  const Definition& definition_;
  Choices choices_;
  // Draws for replications, apart from choices_ so that adding them left
  // the rest of a seed's history as it was.
  Choices replications_;
  std::vector<std::string> communes_;
  std::map<std::string, std::string> district_of_;
  std::vector<Step> steps_;
  std::vector<std::vector<SystemAction>> phases_;
  std::vector<SystemAction> people_;
  std::vector<RoleGranted> grants_;
  // The users whose tokens are printed, by id: the first of each role, and
  // any granted at the root.
  std::map<std::string, Actor> featured_;
  std::set<std::string> featured_roles_;
  std::size_t commands_ = 0;
};

void DemoWriter::System(SystemAction action) {
  phases_.back().push_back(std::move(action));
}

void DemoWriter::Person(const std::string& user, const std::string& role,
                        const std::string& unit, std::string full_name) {
  if (full_name.empty()) full_name = choices_.PersonName();
  people_.push_back(UserRegistered{user, std::move(full_name), unit});
  grants_.push_back(RoleGranted{"g-" + user, user, role, unit, 0, 0});
  if (featured_roles_.insert(role).second || unit == api::kRootUnitId) {
    featured_.emplace(user, Actor{user, role, unit});
  }
}

Status DemoWriter::Organisation(std::int64_t at) {
  // Each phase needs the one before (parents before children, users before
  // grants); the commands within a phase run concurrently.
  phases_.emplace_back();
  System(UnitCreated{"kh", "Tỉnh Khánh Hòa", "province", "vn"});
  phases_.emplace_back();
  for (const auto& [id, name] :
       std::vector<std::pair<std::string, std::string>>{
           {"so-gd", "Sở Giáo dục và Đào tạo"},
           {"so-yt", "Sở Y tế"},
           {"hoi-lhpn", "Hội Liên hiệp Phụ nữ tỉnh"}}) {
    System(UnitCreated{id, name, "department", "kh"});
  }
  System(
      UnitCreated{"khoi-vhxh", "Khối thi đua Văn hóa - Xã hội", "bloc", "kh"});
  System(UnitCreated{"khoi-kt", "Khối thi đua Kinh tế", "bloc", "kh"});
  for (int d = 0; d < 3; ++d) {
    System(UnitCreated{kDistricts[d][0], kDistricts[d][1], "district", "kh"});
  }
  phases_.emplace_back();
  for (int d = 0; d < 3; ++d) {
    const std::string district = kDistricts[d][0];
    for (const char* role : kDistrictRoles) {
      Person(std::string(role) + "-" + district, role, district);
    }
    for (int c = 0; c < 10; ++c) {
      const std::string commune = district + "-" + std::to_string(c + 1);
      System(UnitCreated{
          commune, std::string(kCommunePrefixes[d]) + " " + kCommuneSuffixes[c],
          "commune", district});
      communes_.push_back(commune);
      district_of_[commune] = district;
      for (const char* role : kCommuneRoles) {
        Person(std::string(role) + "-" + commune, role, commune);
      }
    }
  }
  Person("auditor-kh", "auditor", "kh");
  Person("integrator-kh", "integrator", "kh");
  // A reader of the whole log (GET /v1/events), named without a draw so that
  // the history drawn next stays the seed's.
  Person("auditor-vn", "auditor", api::kRootUnitId,
         "Kiểm toán viên Trung ương");
  DualRolePerson();
  System(CampaignLaunched{"gen-2025", "Thi đua yêu nước giai đoạn 2025-2026",
                          "kh", CivilDate::FromYmd(2025, 1, 1),
                          CivilDate::FromYmd(2026, 12, 31), "general"});
  System(CampaignLaunched{"pn-2025",
                          "Phụ nữ tích cực học tập, lao động sáng tạo, xây "
                          "dựng gia đình hạnh phúc",
                          "hoi-lhpn", CivilDate::FromYmd(2025, 1, 1),
                          CivilDate::FromYmd(2026, 12, 31), "womens_union"});
  phases_.emplace_back(people_.begin(), people_.end());
  phases_.emplace_back();
  for (RoleGranted& grant : grants_) {
    grant.valid_from_us = at;
    phases_.back().push_back(grant);
  }
  for (const std::vector<SystemAction>& phase : phases_) {
    std::vector<std::function<Status()>> tasks;
    for (const SystemAction& action : phase) {
      tasks.push_back([this, &action, at] {
        return handler_
            .Handle(SystemCommand{
                action, Actor{api::kAdminUserId, "admin", api::kRootUnitId}, at,
                "demo", ""})
            .status();
      });
    }
    commands_ += tasks.size();
    EXEMPLAR_RETURN_IF_ERROR(RunAll(tasks));
  }
  return Status::Ok();
}

void DemoWriter::DualRolePerson() {
  const std::string user = kDualRoleUser;
  people_.push_back(UserRegistered{user, "Trần Thị Kiêm Nhiệm", "camlam"});
  for (const char* role : {"nominator", "approver"}) {
    grants_.push_back(
        RoleGranted{"g-" + user + "-" + role, user, role, "camlam", 0, 0});
  }
  featured_.emplace(user, Actor{user, "approver", "camlam"});
}

// The sample fields of `action` (SampleFields) for an exemplar of `cast` at
// `at`, with the demo's own choices: the random ones drawn in a fixed order,
// so a seed gives one history, and texts that read like real records.
json DemoWriter::Fields(const std::string& action, const Cast& cast,
                        std::int64_t at) {
  SampleContext context;
  context.at_us = at;
  context.unit_id = cast.commune;
  context.user_id = "mentor-" + cast.commune;
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

// Who takes `action` for an exemplar of `cast`: a holder of the action's
// first role, at the commune or at its district, where the demo seats it.
Actor ActorFor(const ActionSpec& action, const Cast& cast) {
  const std::string& role = action.roles.front();
  const bool at_commune =
      std::find(std::begin(kCommuneRoles), std::end(kCommuneRoles), role) !=
      std::end(kCommuneRoles);
  const std::string& unit = at_commune ? cast.commune : cast.district;
  return Actor{role + "-" + unit, role, unit};
}

void DemoWriter::Plan(const Cast& cast, std::int64_t start) {
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
    steps_.push_back({at, cast.exemplar_id, action,
                      ActorFor(*definition_.FindAction(action), cast),
                      Fields(action, cast, at)});
    // Public comment stays open three weeks, so its ten working days pass.
    at +=
        (action == "open_public_comment" ? 21 : 3 + choices_.Below(12)) * kDay +
        choices_.Below(8) * kHour;
  }
  if (ending.main_steps == 8 && ending.detour == nullptr) {
    PlanReplication(cast, at);
  }
}

// Two of three propagated exemplars are replicated from `at` on: a plan,
// progress, and the evaluation of its outcome.
void DemoWriter::PlanReplication(const Cast& cast, std::int64_t at) {
  if (replications_.Below(3) == 0) return;
  std::vector<std::string> neighbours;
  for (const std::string& commune : communes_) {
    if (commune != cast.commune && district_of_.at(commune) == cast.district) {
      neighbours.push_back(commune);
    }
  }
  for (const char* action : {"plan_replication", "record_replication_progress",
                             "evaluate_replication"}) {
    if (at > DemoCutoff()) return;
    json fields = Fields(action, cast, at);
    Actor actor = ActorFor(*definition_.FindAction(action), cast);
    if (fields.contains("target_unit") && !neighbours.empty()) {
      fields["target_unit"] =
          neighbours[replications_.Below(neighbours.size())];
      // A neighbouring commune lies within the district's authority.
      actor = Actor{"approver-" + cast.district, "approver", cast.district};
    }
    steps_.push_back(
        {at, cast.exemplar_id, action, std::move(actor), std::move(fields)});
    at +=
        (10 + replications_.Below(30)) * kDay + replications_.Below(8) * kHour;
  }
}

void DemoWriter::PlanDualRole() {
  const Cast cast{"camlam-1", "camlam", kDualRoleExemplar};
  std::int64_t at = At(2026, 9, 1);
  for (const char* action : {"detect", "assign_mentor", "nominate", "appraise",
                             "open_public_comment", "record_vote"}) {
    Actor actor = ActorFor(*definition_.FindAction(action), cast);
    if (std::string(action) == "nominate") {
      actor = Actor{kDualRoleUser, "nominator", "camlam"};
    }
    steps_.push_back(
        {at, cast.exemplar_id, action, actor, Fields(action, cast, at)});
    at += (std::string(action) == "open_public_comment" ? 21 : 5) * kDay;
  }
}

void DemoWriter::History(int exemplars) {
  const std::int64_t first = At(2025, 1, 6);
  const std::int64_t span = At(2026, 10, 31) - first;
  for (int i = 0; i < exemplars; ++i) {
    const std::string& commune = communes_[choices_.Below(communes_.size())];
    char id[16];
    std::snprintf(id, sizeof id, "dh-%04d", i + 1);
    std::int64_t start =
        first + static_cast<std::int64_t>(choices_.Below(1000)) * (span / 1000);
    Plan(Cast{commune, district_of_.at(commune), id}, start);
  }
  // Drawn after every other exemplar, so the seed's history stays the same.
  PlanDualRole();
  std::stable_sort(
      steps_.begin(), steps_.end(),
      [](const Step& a, const Step& b) { return a.at_us < b.at_us; });
}

Status DemoWriter::Run() {
  // Steps go in time order, in rounds of consecutive steps that touch each
  // exemplar at most once, so a round can run concurrently (sharing group
  // commits) while every exemplar's own history stays in order.
  std::size_t begin = 0;
  while (begin < steps_.size()) {
    std::set<std::string> touched;
    std::size_t end = begin;
    while (end < steps_.size() && end - begin < 64 &&
           touched.insert(steps_[end].exemplar_id).second) {
      ++end;
    }
    std::vector<std::function<Status()>> tasks;
    for (std::size_t i = begin; i < end; ++i) {
      tasks.push_back([this, &step = steps_[i]]() -> Status {
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
    begin = end;
  }
  return Status::Ok();
}

// Issues a token to each of `featured`, from the admin; returns the secrets
// in the same order.
Result<std::vector<std::pair<Actor, std::string>>> IssueTokens(
    CommandHandler& handler, api::TokenRegistry& tokens,
    const std::map<std::string, Actor>& featured) {
  std::vector<std::pair<Actor, std::string>> issued;
  for (const auto& [user, actor] : featured) {
    auto drawn = DrawToken();
    if (!drawn.ok()) return drawn.status();
    const std::int64_t now = SystemClockMicros();
    auto token = api::IssueToken(
        handler, &tokens, *drawn,
        SystemCommand{TokenIssuedFor(*drawn, user, now, kDemoTokenLifetime),
                      Actor{api::kAdminUserId, "admin", api::kRootUnitId}, now,
                      "demo", ""});
    if (!token.ok()) return token.status();
    issued.emplace_back(actor, token->secret);
  }
  return issued;
}

// Gives each of `users` the password kDemoPassword as a person gets one: the
// admin issues a setup code and the person sets the password with it. One
// Argon2id hash serves them all: hashing a hundred times would cost the
// demo seconds, and a demo's shared password needs no salt of its own.
Status SetDemoPasswords(CommandHandler& handler, api::People& people,
                        const std::vector<std::string>& users) {
  Result<std::string> hash = people.hasher().Hash(kDemoPassword);
  if (!hash.ok()) return hash.status();
  std::vector<std::function<Status()>> tasks;
  for (const std::string& user : users) {
    tasks.push_back([&handler, &people, &hash, user]() -> Status {
      Result<std::string> code = DrawSetupCode();
      if (!code.ok()) return code.status();
      const std::int64_t now = SystemClockMicros();
      const Actor admin{api::kAdminUserId, "admin", api::kRootUnitId};
      Result<AppendResult> issued = handler.Handle(SystemCommand{
          SetupCodeIssuedFor(user, *code, now), admin, now, "demo", ""});
      if (!issued.ok()) return issued.status();
      return api::RecordPassword(
          handler, people,
          SystemCommand{PasswordSet{user, SetupCodeHash(*code)},
                        Actor{user, "", ""}, now, "demo", ""},
          *hash);
    });
  }
  return RunAll(tasks);
}

// Writes `text` to a new file at `path` readable by its owner only: it holds
// the secrets of the printed tokens.
Status WritePrivateFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IoError("cannot create " + path + ": " +
                           std::strerror(errno));
  }
  bool written = ::write(fd, text.data(), text.size()) ==
                 static_cast<ssize_t>(text.size());
  written = ::close(fd) == 0 && written;
  if (!written) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace

int RunDemo(const DemoOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto definition = LoadDefinition(options.workflow_path);
  if (!definition.ok()) {
    spdlog::critical("invalid workflow definition: {}",
                     definition.status().message());
    return 1;
  }
  auto store = EventStore::Open(options.data_dir);
  if (!store.ok()) {
    spdlog::critical("cannot open {}: {}", options.data_dir,
                     store.status().ToString());
    return 1;
  }
  if ((*store)->head().position != 0) {
    spdlog::critical("{} already holds a log; demo data goes into an empty one",
                     options.data_dir);
    return 1;
  }
  auto tokens = api::TokenRegistry::Load(store->get());
  if (!tokens.ok()) return 1;
  CommandHandler handler(store->get(), &*definition);
  const std::int64_t founded = At(2025, 1, 2);
  DemoWriter writer(handler, *definition, options.seed);
  Status written = api::FoundOrganisation(handler, founded);
  if (written.ok()) written = writer.Organisation(founded);
  if (written.ok()) {
    writer.History(options.exemplars);
    written = writer.Run();
  }
  if (!written.ok()) {
    spdlog::critical("demo data failed: {}", written.ToString());
    return 1;
  }
  // The admin's token too comes after the history, so the log's times stay
  // in order.
  std::map<std::string, Actor> featured = writer.featured();
  featured.emplace(api::kAdminUserId,
                   Actor{api::kAdminUserId, "admin", api::kRootUnitId});
  auto issued = IssueTokens(handler, **tokens, featured);
  if (!issued.ok()) {
    spdlog::critical("demo tokens failed: {}", issued.status().ToString());
    return 1;
  }
  auto people = api::People::Open(**store, api::PeopleOptions{});
  Status passwords = people.ok()
                         ? SetDemoPasswords(handler, **people, writer.users())
                         : people.status();
  if (!passwords.ok()) {
    spdlog::critical("demo passwords failed: {}", passwords.ToString());
    return 1;
  }
  const std::string tokens_path = options.data_dir + "/demo-tokens.json";
  json tokens_file = json::object();
  for (const auto& [actor, secret] : *issued) {
    tokens_file[actor.user_id] = secret;
  }
  if (Status saved = WritePrivateFile(tokens_path, tokens_file.dump(2) + "\n");
      !saved.ok()) {
    spdlog::critical("{}", saved.ToString());
    return 1;
  }
  std::cout << "Demo province written to " << options.data_dir << ": "
            << writer.commands() << " commands, head position "
            << (*store)->head().position << ", in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count()
            << " ms.\nTokens to try, also in " << tokens_path
            << " (they expire in 30 days):\n";
  for (const auto& [actor, secret] : *issued) {
    std::cout << "  " << actor.user_id << " (" << actor.role << " @ "
              << actor.unit_id << "): " << secret << "\n";
  }
  std::cout << "Every person signs in to the console with their user id "
               "and the password "
            << kDemoPassword << "\n";
  return 0;
}

void AddDemoCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* demo =
      app.add_subcommand("demo", "Write a demo province into an empty store");
  AddDataOption(demo, &options->data_dir);
  demo->add_option("--workflow", options->workflow_path,
                   "Workflow definition JSON")
      ->capture_default_str();
  demo->add_option("--exemplars", options->exemplars, "Exemplars to create")
      ->capture_default_str();
  demo->add_option("--seed", options->seed, "Seed of the history")
      ->capture_default_str();
  commands.push_back({demo, [options] { return RunDemo(*options); }});
}

}  // namespace exemplar::tools
