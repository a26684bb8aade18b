// The demo's history: the organisation, people and campaigns at the
// founding, the exemplars' steps drawn from a seed, and the 2025 reform
// recorded on its day with the work it carries over. Private to
// tools/demo*.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "documents/document_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/funnel.h"
#include "engine/workflow/organisation.h"
#include "tools/demo_province.h"

namespace exemplar::tools {

// The roles seated in every commune, and those seated in every district
// before the reform and in every commune after it.
inline constexpr const char* kCommuneRoles[] = {"reporter", "mentor",
                                                "nominator"};
inline constexpr const char* kDistrictRoles[] = {
    "appraiser", "council_member", "approver", "standing_committee",
    "propagandist"};

// The demo's movements: the government's, decided by the emulation
// council; the Women's Union's, decided by its standing committee (both
// launched at the province, so its communes take part); and the education
// department's, which concerns its own units only.
struct DemoCampaign {
  const char* id;
  const char* name;
  const char* unit_id;  // the launching unit
  const char* criteria_set;
  const char* deciding_body;
};
inline constexpr DemoCampaign kDemoCampaigns[] = {
    {"gen-2025", "Thi đua yêu nước giai đoạn 2025-2026", "kh", "general",
     "emulation_council"},
    {"pn-2025",
     "Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc",
     "kh", "womens_union", "wu_standing_committee"},
    {"gd-2025", "Dạy tốt - học tốt", "so-gd", "general", "emulation_council"}};

// A nominator of Xã Cam Lâm who is also one of its approvers, and the
// exemplar they nominated, left voted: the four-eyes rule refuses them its
// approval, which approver-camlam-1 may give.
inline constexpr char kDualRoleUser[] = "nominator-approver-camlam-1";

// Runs `tasks` on up to `threads` threads, so their appends share group
// commits; returns the first error.
Status RunAll(const std::vector<std::function<Status()>>& tasks,
              int threads = 32);

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
  std::string PersonName();

 private:
  std::mt19937 random_;
};

// Who acts where for one exemplar: its commune and district when it was
// detected (after the reform, the commune its commune became), what kind
// of subject it is and the campaign it is nominated in.
struct Cast {
  std::string commune;
  std::string district;
  std::string exemplar_id;
  std::string subject_kind = "household";
  std::string campaign_id = "gen-2025";
};

// One command of the history, ordered by time: an action on an exemplar,
// or, when `funnel` is set, a unit's annual list or propagation score
// (`exemplar_id` then names the record).
struct Step {
  std::int64_t at_us;
  std::string exemplar_id;
  std::string action;
  Actor actor;
  nlohmann::json fields;
  std::string on_behalf_of = {};
  std::optional<FunnelAction> funnel = {};
};

// The commune whose people the guide features; its exemplars' dossiers
// hold documents.
inline constexpr char kFeaturedCommune[] = "camlam-1";

class DemoWriter {
 public:
  // Documents are uploaded to `documents` (null: none), as the handler's.
  DemoWriter(CommandHandler& handler, const Definition& definition,
             std::uint32_t seed, documents::DocumentStore* documents);

  // The founding: units, people, grants and campaigns at `at`.
  Status Organisation(std::int64_t at);
  // Draws the history of `exemplars` exemplars.
  void History(int exemplars);
  // Runs the history, recording the reform on its day.
  Status Run();

  // The users whose tokens are printed, by id: for each role, its holders
  // at the first two units where it is held today; anyone granted at the
  // root or the province; and the person holding two roles.
  std::map<std::string, Actor> Featured() const;
  // A newcomer's guide: what the reform did, where the exemplars of the
  // featured commune stand, and what each of `featured` may do.
  void PrintGuide(std::ostream& out,
                  const std::map<std::string, Actor>& featured) const;
  // Every person registered, by id.
  std::vector<std::string> users() const;
  std::size_t commands() const { return commands_; }

 private:
  // Runs the commands of each phase concurrently, phase after phase, all as
  // the admin at `at`.
  Status RunPhases(const std::vector<std::vector<SystemAction>>& phases,
                   std::int64_t at);
  // Registers `user` holding `role` at `unit` from `from`, named
  // `full_name` or, when it is empty, by a draw.
  void Person(const std::string& user, const std::string& role,
              const std::string& unit, std::int64_t from,
              std::string full_name = "");
  // The nominator-approver and the exemplar they nominated.
  void DualRolePerson();
  // The reform's reorganisations, then the carry-over of every exemplar
  // its communes had, then the people the new communes seat.
  Status Reform();
  // The reorganisations of 1 July 2025: Ninh Thuận merges into Khánh Hòa,
  // the districts end, communes merge in groups (renamed after).
  Status Reorganise(std::int64_t at);
  // Moves every exemplar of an ended commune to the commune it became.
  Status CarryOver(std::int64_t at);
  // Runs the steps before `until` not yet run.
  Status RunSteps(std::int64_t until);

  // Draws the subject and campaign of `cast` and its steps from `start`.
  void Plan(Cast cast, std::int64_t start);
  void PlanReplication(const Cast& cast, std::int64_t at);
  void PlanDualRole();
  // The 2026 registration funnel: the communes' lists, the province's
  // selection from them and its submission to the Home Affairs department.
  void PlanFunnel();
  // The communes' propagation work in 2025, scored by their approvers.
  void PlanPropagationScores();
  // The exemplars of `commune` (as the reform left it) detected before
  // `at`, the furthest along first.
  std::vector<std::string> ExemplarsOf(const std::string& commune,
                                       std::int64_t at) const;
  Status RunStep(const Step& step);
  // `step`'s fields with a document uploaded by its actor for each
  // documents field of its action, for an exemplar of the featured
  // commune.
  Result<nlohmann::json> WithDocuments(const Step& step) const;
  Actor ActorFor(const std::string& action, const Cast& cast,
                 std::int64_t at) const;
  nlohmann::json Fields(const std::string& action, const Cast& cast,
                        std::int64_t at);
  nlohmann::json Detection(const Cast& cast);
  nlohmann::json Overrides(const std::string& action, const Cast& cast,
                           std::int64_t at);

  CommandHandler& handler_;
  documents::DocumentStore* documents_;
  const Definition& definition_;
  DemoTerritory territory_;
  Choices choices_;
  // Draws for replications, apart from choices_ so that adding them left
  // the rest of a seed's history as it was.
  Choices replications_;
  std::vector<Step> steps_;
  std::map<std::string, Cast> casts_;  // by exemplar id
  std::size_t next_step_ = 0;
  // The commune each exemplar was detected in, once its detection ran.
  std::map<std::string, std::string> detected_in_;
  std::vector<UserRegistered> people_;
  std::vector<RoleGranted> grants_;
  std::size_t commands_ = 0;
};

}  // namespace exemplar::tools
