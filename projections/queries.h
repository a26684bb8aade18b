// The questions the read models answer and the typed answers, each with its
// JSON form. Times are UTC microseconds; JSON shows them as RFC 3339 in the
// configured local offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/definition.h"
#include "events/status.h"
#include "projections/rows.h"

namespace exemplar::projections {

// ---- Read scope ------------------------------------------------------------

// What a reader may see: what belongs to a unit that lies within one of
// `roots` in the unit tree `tree` at `at_us`. The API builds it from the
// reader's grants valid now over the tree as it is now, and every query,
// live or as of the past, filters with it on that tree rather than on the
// tree of the moment it shows: time travel never widens what a reader sees.
// Without a tree: no restriction (in-process callers, tools).
struct ReadScope {
  std::shared_ptr<const Authority> tree;
  std::int64_t at_us = 0;
  std::vector<std::string> roots;

  bool unrestricted() const { return tree == nullptr; }
  // True when `unit_id` lies within one of the roots (always when
  // unrestricted).
  bool Covers(const std::string& unit_id) const;
};

// ---- Exemplar list ---------------------------------------------------------

enum class ExemplarSort { kId, kName, kDetected };

struct ExemplarListQuery {
  ReadScope visible;    // the exemplars of the units the caller may see
  std::string unit_id;  // within this unit's subtree; "" all
  std::vector<std::string> states;  // any of these; empty all
  std::string subject_kind;
  std::string field;
  std::string campaign_id;  // of the latest nomination
  std::string period;       // of the latest nomination, "2025" or "2025-Q2"
  std::vector<std::string> priority_flags;  // has every one of these
  std::optional<bool> has_mentor;
  std::optional<bool> propagated;  // has at least one propagation item
  std::optional<bool> replicated;  // has at least one replication planned
  // Matches names containing it, ignoring case and diacritics (đ is d).
  std::string search;
  ExemplarSort sort = ExemplarSort::kId;
  bool descending = false;
  // Rows per page, 1..1000. Default 50.
  std::size_t limit = 50;
  // next_cursor of the previous page; "" for the first page. A cursor stays
  // valid while rows are added or change: a page never repeats or skips a
  // row whose sort key did not change.
  std::string cursor;
};

struct ExemplarListPage {
  std::vector<ExemplarRow> items;
  std::string next_cursor;     // "" on the last page
  std::uint64_t position = 0;  // the log position the answer reflects
};

// ---- Approvals ledger ------------------------------------------------------

// The order of the ledger's rows: by log position, or from the latest back.
enum class LedgerOrder { kOldestFirst, kNewestFirst };

// The ledger holds the decisions the definition's read side lists
// (read_side.ledger), each with whether its actor held the role.
struct LedgerQuery {
  // Decisions on the exemplars of the units the caller may see (by the
  // exemplar's unit, whoever decided).
  ReadScope visible;
  std::string actor_user;  // "" any
  // Decisions on exemplars within this unit's subtree, whoever decided:
  // a decision is an event of the exemplar's stream, whose unit is the
  // exemplar's (engine/workflow/event_unit.h); "" any.
  std::string unit_id;
  std::vector<std::string> actions;  // any of these; empty all
  std::int64_t from_us = 0;          // inclusive; 0 open
  std::int64_t to_us = 0;            // exclusive; 0 open
  std::size_t limit = 100;           // 1..10000. Default 100.
  LedgerOrder order = LedgerOrder::kOldestFirst;
  // Cursor: rows past this position in `order` (after it, or before it
  // from the latest back); 0 from the first.
  std::uint64_t after_position = 0;
};

struct LedgerPage {
  std::vector<LedgerRow> rows;
  std::uint64_t next_after_position = 0;  // 0 on the last page
  std::uint64_t position = 0;
};

// ---- Quota report
// ------------------------------------------------------------

struct QuotaRow {
  std::string unit_id;
  std::string unit_name;
  std::string level;
  int minimum = 0;  // exemplars a year for the level (0: no quota)
  // Exemplars of the unit's subtree with that step in the year.
  int detected = 0, nominated = 0, approved = 0, honoured = 0;
  int propagated = 0, replicated = 0;
  int propagated_and_replicated = 0;
  bool met = false;  // propagated_and_replicated >= minimum
  // Annual registration by this unit (its nominators' acting unit).
  int registration_min = 0, registration_max = 0;  // 0: none required
  std::string registration_due;                    // "YYYY-MM-DD"
  int registered_on_time = 0, registered_late = 0;
  bool registration_met = false;
  // Across a reorganisation: the units this one succeeded, whose steps its
  // counts include, and the units that succeeded it, whose counts include
  // its own (both rows shown).
  std::vector<std::string> predecessors;
  std::vector<std::string> successors;
};

struct QuotaReport {
  int year = 0;
  std::string unit_id;  // "" for every unit
  std::vector<QuotaRow> rows;
  std::uint64_t position = 0;
};

// ---- Deadline report
// ---------------------------------------------------------

struct DeadlineRow {
  std::string unit_id;
  std::string unit_name;
  std::string level;
  std::string status;  // "on_time", "late" or "missing"
  int introduced = 0;  // quarterly introductions for the quarter
  std::int64_t first_introduced_at_us = 0;  // 0 when missing
};

struct DeadlineReport {
  int year = 0;
  int quarter = 0;
  std::string due_before;  // local date "YYYY-MM-DD": on time if before it
  std::vector<std::string> lead_blocs;
  std::vector<Label> lead_bloc_labels;  // the definition's, of each bloc
  std::vector<DeadlineRow> rows;
  std::uint64_t position = 0;
};

// ---- Follow-up report
// ----------------------------------------------------------

struct FollowUpItem {
  // "no_mentor", "approved_not_propagated", "honoured_not_replicated",
  // "replication_without_evaluation", "no_evaluation_this_year".
  std::string category;
  std::string exemplar_id;
  std::string name;
  std::string unit_id;
  std::string state;
  std::string detail;  // e.g. the replication id, or days without mentor
  std::int64_t since_us = 0;
};

struct PriorityShare {
  std::string flag;  // a priority flag, or "any"
  int count = 0;
  double share = 0;  // count / total, 0 when total is 0
};

struct FollowUpReport {
  std::int64_t as_of_us = 0;
  int no_mentor_days = 0;
  std::vector<FollowUpItem> items;
  int total = 0;  // exemplars in scope
  std::vector<PriorityShare> priority;
  std::uint64_t position = 0;
};

struct FollowUpQuery {
  ReadScope visible;
  std::string unit_id;
  std::int64_t as_of_us = 0;  // 0: the time of the last event
  int no_mentor_days = 30;    // default 30 days
};

// ---- Retention report
// --------------------------------------------------------

// Personal data of one exemplar and retention class whose keeping period
// (the definition's erase_after_years after the last of its after_actions)
// ends by the report's date and that has not been erased since.
struct RetentionItem {
  std::string exemplar_id;
  std::string name;
  std::string unit_id;
  std::string state;
  std::string retention_class;
  std::int64_t keeping_started_us = 0;  // the action that started the period
  std::string due_on;                   // local date the period ends
  std::int64_t requested_us = 0;        // its erasure requested; 0: not yet
};

struct RetentionReport {
  std::string due_by;                // local date: items due on or before it
  std::vector<RetentionItem> items;  // by due date, then exemplar
  std::uint64_t position = 0;
};

struct RetentionQuery {
  ReadScope visible;
  std::string unit_id;
  std::string due_by;  // "YYYY-MM-DD"; empty: the local date of `now_us`
  std::int64_t now_us = 0;
};

// ---- Units, users and grants
// -------------------------------------------------

struct UnitNode {
  std::string id;
  std::string name;
  std::string level;
  std::string parent_id;
  bool open = true;
  // False for a unit outside the reader's scope, listed only as the
  // ancestor of units within it, to place them in the tree.
  bool in_scope = true;
  std::vector<std::string> predecessors;  // units it succeeded (direct)
  std::vector<std::string> successors;    // units that succeeded it (direct)
  std::string ended_by;  // the reorganisation that ended it; "" if none
  std::vector<std::string> former_names;  // every other name it bore
  std::vector<UnitNode> children;
};

struct GrantInfo {
  std::string id;
  std::string role;
  std::string unit_id;
  std::int64_t valid_from_us = 0;
  std::int64_t valid_to_us = 0;
  std::int64_t revoked_at_us = 0;
  bool valid_now = false;
};

struct UserInfo {
  std::string id;
  std::string full_name;
  std::string home_unit_id;
  bool active = true;
  std::vector<GrantInfo> grants;
};

// ---- JSON
// ----------------------------------------------------------------------

// Instants are written as RFC 3339 at `utc_offset_minutes`, e.g.
// "2025-06-30T23:59:59+07:00"; 0 as null.
nlohmann::json ToJson(const ExemplarRow& row, int utc_offset_minutes);
nlohmann::json ToJson(const ExemplarListPage& page, int utc_offset_minutes);
nlohmann::json ToJson(const LedgerRow& row, int utc_offset_minutes);
nlohmann::json ToJson(const LedgerPage& page, int utc_offset_minutes);
nlohmann::json ToJson(const QuotaReport& report);
nlohmann::json ToJson(const DeadlineReport& report, int utc_offset_minutes);
nlohmann::json ToJson(const FollowUpReport& report, int utc_offset_minutes);
nlohmann::json ToJson(const RetentionReport& report, int utc_offset_minutes);
nlohmann::json ToJson(const UnitNode& unit);
nlohmann::json ToJson(const UserInfo& user, int utc_offset_minutes);

// "2025-06-30T23:59:59+07:00" for instant `unix_us`; "" for 0.
std::string FormatInstant(std::int64_t unix_us, int utc_offset_minutes);
// Parses RFC 3339 ("2025-06-30T23:59:59+07:00", "...Z", fractional seconds
// allowed) or a date "2025-06-30", which means the start of that day (its
// local midnight at `utc_offset_minutes`). kInvalidArgument otherwise.
Result<std::int64_t> ParseInstant(std::string_view text,
                                  int utc_offset_minutes);
// The last microsecond of the local day `date` ("2025-06-30") at
// `utc_offset_minutes`: "as of 30 June" as people mean it, the whole day
// included. kInvalidArgument for anything but a date.
Result<std::int64_t> EndOfDay(std::string_view date, int utc_offset_minutes);

}  // namespace exemplar::projections
