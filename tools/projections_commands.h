// `exemplar projections rebuild [NAME]`: drops read models and folds the
// whole log again.
#pragma once

#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct RebuildOptions {
  std::string data_dir = "./data";
  std::string workflow_path = EXEMPLAR_DEFAULT_WORKFLOW;
  std::string name;             // "" for every projection
  std::string master_key_file;  // empty: LoadMasterKey's default
};

// Run with the server stopped. Shows a progress bar (events/s, ETA) on a
// terminal; returns 0 on success, 1 with the reason otherwise.
int RunRebuild(const RebuildOptions& options);

// Registers `projections rebuild`.
void AddProjectionsCommands(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
