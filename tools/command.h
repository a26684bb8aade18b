// How each subcommand of the `exemplar` binary plugs into main: a file per
// command registers its CLI11 node and what running it does, so adding a
// command never touches another command's code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace exemplar::tools {

struct Command {
  CLI::App* cli = nullptr;   // the parsed node that selects this command
  std::function<int()> run;  // returns the process exit code
};

using Commands = std::vector<Command>;

// Returns the subcommand `name` of `app`, creating it (requiring one
// subcommand of its own) when absent; groups such as `audit` and `bench`
// collect commands registered from several files.
CLI::App* CommandGroup(CLI::App& app, const std::string& name,
                       const std::string& description);

}  // namespace exemplar::tools
