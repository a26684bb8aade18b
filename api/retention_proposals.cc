#include "api/retention_proposals.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "api/bootstrap.h"
#include "engine/workflow/retention_schedule.h"
#include "events/civil_date.h"
#include "events/clock.h"

namespace exemplar::api {
namespace {

// How long a run waits for the projections to fold what is in the log, so
// that it does not propose again what was just requested.
constexpr std::chrono::seconds kCatchUpWait{10};

nlohmann::json ToJson(const ProposalOutcome& outcome) {
  nlohmann::json out = {{"exemplar_id", outcome.exemplar_id},
                        {"retention_class", outcome.retention_class},
                        {"due_on", outcome.due_on}};
  if (outcome.refused.empty()) {
    out["position"] = outcome.position;
  } else {
    out["reason"] = outcome.refused;
  }
  return out;
}

// Whether `user` holds one of `roles` anywhere at `at_us`: the schedule
// proposes for the whole tree, whoever asks it to run.
bool HoldsAnyOf(const Authority& authority, const std::string& user,
                const std::vector<std::string>& roles, std::int64_t at_us) {
  for (const GrantRecord* grant : authority.GrantsOf(user, at_us)) {
    if (std::find(roles.begin(), roles.end(), grant->role) != roles.end()) {
      return true;
    }
  }
  return false;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

RetentionProposals::RetentionProposals(
    const EventStore& store, CommandHandler& handler,
    const projections::Projections& projections,
    RetentionProposalOptions options)
    : store_(store),
      handler_(handler),
      projections_(projections),
      options_(options) {}

RetentionProposals::~RetentionProposals() { Stop(); }

Status RetentionProposals::EnsureScheduleUser(std::int64_t now_us) {
  auto authority = handler_.CurrentAuthority();
  if (!authority.ok()) return authority.status();
  if ((*authority)->FindUser(kRetentionScheduleUserId) != nullptr) {
    return Status::Ok();
  }
  const Actor admin{kAdminUserId, "admin", kRootUnitId};
  for (SystemAction action : RetentionScheduleUser(
           *handler_.definition().retention_schedule, kRootUnitId, now_us)) {
    Result<AppendResult> done = handler_.Handle(
        SystemCommand{action, admin, now_us, "retention-schedule", ""});
    if (!done.ok()) return done.status();
  }
  return Status::Ok();
}

Result<std::vector<ProposalOutcome>> RetentionProposals::ProposeDue(
    std::int64_t now_us) {
  const Definition& definition = handler_.definition();
  if (!definition.retention_schedule) {
    return Status::Rejected(
        "no_retention_schedule",
        "the workflow definition has no retention_schedule");
  }
  std::lock_guard run(run_mutex_);
  const std::uint64_t head = store_.head().position;
  EXEMPLAR_RETURN_IF_ERROR(projections_.WaitForPosition(
      head,
      std::chrono::duration_cast<std::chrono::milliseconds>(kCatchUpWait)));
  projections::RetentionQuery query;
  query.due_by =
      CivilDate::AtInstant(now_us, options_.utc_offset_minutes).ToString();
  Result<projections::RetentionReport> due = projections_.Retention(query);
  if (!due.ok()) return due.status();
  std::vector<ProposalOutcome> outcomes;
  for (const projections::RetentionItem& item : due->items) {
    if (item.requested_us != 0) continue;
    if (outcomes.empty()) EXEMPLAR_RETURN_IF_ERROR(EnsureScheduleUser(now_us));
    ProposalOutcome& outcome = outcomes.emplace_back(ProposalOutcome{
        item.exemplar_id, item.retention_class, item.due_on, 0, ""});
    Result<AppendResult> done = handler_.Handle(ProposeErasure(
        *definition.retention_schedule, definition, item.exemplar_id,
        item.retention_class, item.due_on, kRootUnitId, now_us));
    if (done.ok()) {
      outcome.position = done->last_position;
    } else {
      outcome.refused = done.status().reason().empty()
                            ? done.status().ToString()
                            : done.status().reason();
    }
  }
  return outcomes;
}

void RetentionProposals::Start() {
  if (options_.hour < 0 || !handler_.definition().retention_schedule) return;
  daily_ = std::thread([this] { RunDaily(); });
}

void RetentionProposals::Stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (daily_.joinable()) daily_.join();
}

void RetentionProposals::RunDaily() {
  std::string last_run;  // the local date of the last run
  std::unique_lock lock(stop_mutex_);
  while (!stopping_) {
    const std::int64_t now = SystemClockMicros();
    const std::int64_t local_us =
        now + std::int64_t{options_.utc_offset_minutes} * 60'000'000;
    const int hour = static_cast<int>((local_us / 3'600'000'000) % 24);
    const std::string today =
        CivilDate::AtInstant(now, options_.utc_offset_minutes).ToString();
    if (hour == options_.hour && last_run != today) {
      last_run = today;
      lock.unlock();
      Result<std::vector<ProposalOutcome>> run = ProposeDue(now);
      if (run.ok()) {
        spdlog::info("retention schedule: {} erasures proposed", run->size());
      } else {
        spdlog::warn("retention schedule: {}", run.status().ToString());
      }
      lock.lock();
    }
    stop_signal_.wait_for(lock, std::chrono::minutes(1));
  }
}

void AddRetentionRoutes(Router& router, CommandHandler& handler,
                        RetentionProposals& proposals) {
  router.Add(
      http::verb::post, "/v1/reports/retention/proposals",
      [&handler, &proposals](const Request& request,
                             const RouteParams& params) -> Reply {
        const Definition& definition = handler.definition();
        std::vector<std::string> roles = {"admin"};
        if (definition.retention_schedule) {
          roles.push_back(definition.retention_schedule->role);
        }
        const std::int64_t now = SystemClockMicros();
        auto authority = handler.CurrentAuthority();
        if (!authority.ok())
          return ProblemFromStatus(request, authority.status());
        if (!HoldsAnyOf(**authority, params.context.user_id, roles, now)) {
          return ProblemFromStatus(
              request, Status::Rejected("role_not_permitted",
                                        "proposing erasures takes one of the "
                                        "roles: " +
                                            Join(roles)));
        }
        Result<std::vector<ProposalOutcome>> run = proposals.ProposeDue(now);
        if (!run.ok()) return ProblemFromStatus(request, run.status());
        nlohmann::json proposed = nlohmann::json::array();
        nlohmann::json refused = nlohmann::json::array();
        for (const ProposalOutcome& outcome : *run) {
          (outcome.refused.empty() ? proposed : refused)
              .push_back(ToJson(outcome));
        }
        return JsonResponse(request, http::status::ok,
                            {{"proposed", proposed}, {"refused", refused}});
      });
}

}  // namespace exemplar::api
