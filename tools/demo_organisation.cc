// The demo's organisation: the founding, the people, and the 2025 reform.
#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "api/bootstrap.h"
#include "engine/workflow/reorganisation.h"
#include "tools/demo_writer.h"

namespace exemplar::tools {
namespace {

const char* const kFamilyNames[] = {"Nguyễn", "Trần",  "Lê",   "Phạm",
                                    "Hoàng",  "Huỳnh", "Phan", "Vũ",
                                    "Võ",     "Đặng",  "Bùi",  "Đỗ"};
const char* const kMiddleNames[] = {"Thị",  "Văn", "Minh",  "Thu",
                                    "Ngọc", "Đức", "Thanh", "Hữu"};
const char* const kGivenNames[] = {"Lan",  "Hùng",  "Mai",   "Dũng", "Hoa",
                                   "Tuấn", "Hương", "Sơn",   "Nga",  "Khánh",
                                   "Yến",  "Phúc",  "Trang", "Bình", "Thảo"};

Actor Admin() { return Actor{api::kAdminUserId, "admin", api::kRootUnitId}; }

}  // namespace

std::string Choices::PersonName() {
  return std::string(Pick(kFamilyNames)) + " " + Pick(kMiddleNames) + " " +
         Pick(kGivenNames);
}

DemoWriter::DemoWriter(CommandHandler& handler, const Definition& definition,
                       std::uint32_t seed, documents::DocumentStore* documents)
    : handler_(handler),
      documents_(documents),
      definition_(definition),
      choices_(seed),
      replications_(seed + 1) {}

Status RunAll(const std::vector<std::function<Status()>>& tasks, int threads) {
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

Status DemoWriter::RunPhases(
    const std::vector<std::vector<SystemAction>>& phases, std::int64_t at) {
  for (const std::vector<SystemAction>& phase : phases) {
    std::vector<std::function<Status()>> tasks;
    for (const SystemAction& action : phase) {
      tasks.push_back([this, &action, at] {
        return handler_.Handle(SystemCommand{action, Admin(), at, "demo", ""})
            .status();
      });
    }
    commands_ += tasks.size();
    EXEMPLAR_RETURN_IF_ERROR(RunAll(tasks));
  }
  return Status::Ok();
}

void DemoWriter::Person(const std::string& user, const std::string& role,
                        const std::string& unit, std::int64_t from,
                        std::string full_name) {
  if (full_name.empty()) full_name = choices_.PersonName();
  people_.push_back(UserRegistered{user, std::move(full_name), unit});
  grants_.push_back(RoleGranted{"g-" + user, user, role, unit, from, 0});
}

Status DemoWriter::Organisation(std::int64_t at) {
  // Parents before children, users before grants; the commands within a
  // phase run concurrently.
  std::vector<std::vector<SystemAction>> phases(4);
  std::map<std::string, std::size_t> depth{{api::kRootUnitId, 0}};
  for (const DemoUnit& unit : territory_.founding_units()) {
    const std::size_t level = depth.at(unit.parent_id);
    depth[unit.id] = level + 1;
    phases[level].push_back(
        UnitCreated{unit.id, unit.name, unit.level, unit.parent_id});
  }
  for (const std::string& district : territory_.districts()) {
    for (const char* role : kDistrictRoles) {
      Person(std::string(role) + "-" + district, role, district, at);
    }
  }
  for (const std::string& commune : territory_.communes()) {
    for (const char* role : kCommuneRoles) {
      Person(std::string(role) + "-" + commune, role, commune, at);
    }
  }
  Person("auditor-kh", "auditor", "kh", at);
  Person("integrator-kh", "integrator", "kh", at);
  // A reader of the whole log (GET /v1/events), named without a draw so that
  // the history drawn next stays the seed's.
  Person("auditor-vn", "auditor", api::kRootUnitId, at,
         "Kiểm toán viên Trung ương");
  // Requests erasures of personal data; the province's approver approves.
  Person("dpo-kh", "data_protection_officer", "kh", at,
         "Cán bộ bảo vệ dữ liệu cá nhân tỉnh");
  DualRolePerson();
  for (const DemoCampaign& campaign : kDemoCampaigns) {
    phases.back().push_back(CampaignLaunched{
        campaign.id, campaign.name, campaign.unit_id,
        CivilDate::FromYmd(2025, 1, 1), CivilDate::FromYmd(2026, 12, 31),
        campaign.criteria_set, campaign.deciding_body});
  }
  phases.emplace_back(people_.begin(), people_.end());
  phases.emplace_back(grants_.begin(), grants_.end());
  return RunPhases(phases, at);
}

void DemoWriter::DualRolePerson() {
  const std::string user = kDualRoleUser;
  people_.push_back(UserRegistered{user, "Trần Thị Kiêm Nhiệm", "camlam-1"});
  for (const char* role : {"nominator", "approver"}) {
    grants_.push_back(RoleGranted{"g-" + user + "-" + role, user, role,
                                  "camlam-1", DemoAt(2025, 1, 2), 0});
  }
}

std::vector<std::string> DemoWriter::users() const {
  std::vector<std::string> ids = {api::kAdminUserId};
  for (const UserRegistered& person : people_) ids.push_back(person.user_id);
  return ids;
}

std::map<std::string, Actor> DemoWriter::Featured() const {
  std::map<std::string, std::set<std::string>> units_of_role;
  std::map<std::string, Actor> featured;
  for (const RoleGranted& grant : grants_) {
    if (territory_.EndedByReform(grant.unit_id)) continue;
    std::set<std::string>& units = units_of_role[grant.role];
    if (grant.user_id == kDualRoleUser) {
      featured[grant.user_id] = Actor{grant.user_id, "approver", grant.unit_id};
    } else if (grant.unit_id == api::kRootUnitId || grant.unit_id == "kh" ||
               (units.size() < 2 && units.insert(grant.unit_id).second)) {
      featured.emplace(grant.user_id,
                       Actor{grant.user_id, grant.role, grant.unit_id});
    }
  }
  return featured;
}

Status DemoWriter::Reform() {
  const std::int64_t at = DemoReformAt();
  EXEMPLAR_RETURN_IF_ERROR(Reorganise(at));
  EXEMPLAR_RETURN_IF_ERROR(CarryOver(at));
  // The district's offices end with it: each new commune seats the roles
  // its district held.
  const std::size_t people_before = people_.size();
  const std::size_t grants_before = grants_.size();
  for (const std::string& commune : territory_.Survivors()) {
    for (const char* role : kDistrictRoles) {
      Person(std::string(role) + "-" + commune, role, commune, at);
    }
  }
  // The merged province's emulation office, which selects from the
  // communes' annual lists now that the districts are gone.
  Person("approver-kh", "approver", "kh", at);
  std::vector<std::vector<SystemAction>> phases(2);
  phases[0].assign(people_.begin() + people_before, people_.end());
  phases[1].assign(grants_.begin() + grants_before, grants_.end());
  return RunPhases(phases, at);
}

Status DemoWriter::Reorganise(std::int64_t at) {
  const LegalBasis resolution{"202/2025/QH15", CivilDate::FromYmd(2025, 6, 12),
                              "Quốc hội"};
  // The demo's own documents carry sample numbers.
  const LegalBasis sample{"01/2025/NQ-MAU", CivilDate::FromYmd(2025, 6, 16),
                          "Ủy ban Thường vụ Quốc hội (văn bản mẫu)"};
  auto merge = [](std::string id, std::vector<std::string> units,
                  std::string into, LegalBasis basis) {
    MergeUnits merge;
    merge.reorganisation_id = std::move(id);
    merge.units = std::move(units);
    merge.into.unit_id = std::move(into);
    merge.legal_basis = std::move(basis);
    return merge;
  };
  // Designated, since GCC 12 at -O3 takes member-wise assignment of short
  // strings for a read of uninitialised bytes.
  DissolveLevel districts{.reorganisation_id = "sapxep-huyen-kh",
                          .parent_id = "kh",
                          .level = "district",
                          .legal_basis = sample,
                          .effective_date = std::nullopt};
  std::vector<ReorganisationAction> reorganisations = {
      merge("sapxep-tinh-kh", {"kh", "nt"}, "kh", resolution), districts};
  for (const CommuneMerger& merger : territory_.mergers()) {
    reorganisations.push_back(merge("sapxep-xa-" + merger.survivor(),
                                    merger.members, merger.survivor(), sample));
  }
  for (const ReorganisationAction& action : reorganisations) {
    Result<AppendResult> done =
        handler_.Handle(ReorganisationCommand{action, Admin(), at, "demo", ""});
    if (!done.ok()) return done.status();
    ++commands_;
  }
  std::vector<std::vector<SystemAction>> renamed(1);
  for (const CommuneMerger& merger : territory_.mergers()) {
    renamed[0].push_back(UnitRenamed{merger.survivor(), merger.new_name});
  }
  return RunPhases(renamed, at);
}

Status DemoWriter::CarryOver(std::int64_t at) {
  std::vector<std::function<Status()>> tasks;
  for (const auto& [exemplar, commune] : detected_in_) {
    const std::string& survivor = territory_.SurvivorOf(commune);
    if (survivor == commune) continue;
    tasks.push_back([this, exemplar, commune, survivor, at] {
      return handler_
          .Handle(TransferCommand{
              ExemplarTransferred{exemplar, "sapxep-xa-" + survivor, commune,
                                  survivor},
              Admin(), at, "demo", ""})
          .status();
    });
  }
  commands_ += tasks.size();
  return RunAll(tasks);
}

}  // namespace exemplar::tools
