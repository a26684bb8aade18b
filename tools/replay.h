// `exemplar replay`: the state as it was at a time or position, by folding
// the log up to there (projections/ time travel): one stream, or a list or
// report. It opens the store as a read-only follower, so it runs beside a
// server on the same data folder.
#pragma once

#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct ReplayOptions {
  std::string data_dir = "./data";
  std::string workflow_path = EXEMPLAR_DEFAULT_WORKFLOW;
  std::string master_key_file;  // empty: LoadMasterKey's default
  // A position ("1200") or a time ("2025-06-30T23:59:59+07:00", or a date
  // "2025-06-30" meaning its local midnight).
  std::string until;
  // "exemplar-<id>" (or just the id): that exemplar's view; any other
  // stream id: its events. Empty: the report below.
  std::string stream;
  // list, ledger, quotas, deadlines, follow-up or units. Default list.
  std::string report = "list";
  int year = 0;      // quotas, deadlines; default: the year of --until
  int quarter = 0;   // deadlines; default: the quarter of --until
  std::string unit;  // quotas, list, follow-up: within this unit's subtree
  std::string format = "json";   // json, csv or jsonl
  int utc_offset_minutes = 420;  // local time; default UTC+7
};

// Prints to stdout; returns 0, or 1 with the reason on stderr.
int RunReplay(const ReplayOptions& options);

// Registers `replay`.
void AddReplayCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
