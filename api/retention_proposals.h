// The retention schedule at work: proposes the erasure of each item of the
// retention report due by today that nobody has requested since its
// keeping period began, by taking the definition's retention_schedule
// action (engine/workflow/retention_schedule.h) as the system user
// kRetentionScheduleUserId, so that a person approves every erasure
// (four-eyes). It runs once a day at a local hour when told to, and on
// demand: POST /v1/reports/retention/proposals, by an admin or in the
// schedule's role.
//
// Thread safety: ProposeDue may be called from any thread; runs do not
// overlap.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/router.h"
#include "engine/workflow/command_handler.h"
#include "projections/projections.h"

namespace exemplar::api {

struct RetentionProposalOptions {
  // The local hour (0 to 23) of the daily run; -1: none, only on demand.
  // Off by default: the office's data-protection officer reviews the
  // definition's retention rules before the server acts on them.
  int hour = -1;
  int utc_offset_minutes = 420;
};

// One item the run proposed (at `position`), or could not (`refused`
// says why).
struct ProposalOutcome {
  std::string exemplar_id;
  std::string retention_class;
  std::string due_on;
  std::uint64_t position = 0;
  std::string refused;
};

class RetentionProposals {
 public:
  // `store`, `handler` and `projections` must outlive this.
  RetentionProposals(const EventStore& store, CommandHandler& handler,
                     const projections::Projections& projections,
                     RetentionProposalOptions options);
  ~RetentionProposals();

  // Proposes what is due on the local date of `now_us` and not requested
  // yet, once the projections have folded the log's head. Makes the
  // schedule's user and grant first when missing. kRejected
  // "no_retention_schedule" when the definition has none.
  Result<std::vector<ProposalOutcome>> ProposeDue(std::int64_t now_us);

  // Starts the daily run when options.hour is set; Stop ends it.
  void Start();
  void Stop();

 private:
  Status EnsureScheduleUser(std::int64_t now_us);
  void RunDaily();

  const EventStore& store_;
  CommandHandler& handler_;
  const projections::Projections& projections_;
  const RetentionProposalOptions options_;
  std::mutex run_mutex_;  // one run at a time
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread daily_;
};

// POST /v1/reports/retention/proposals.
void AddRetentionRoutes(Router& router, CommandHandler& handler,
                        RetentionProposals& proposals);

}  // namespace exemplar::api
