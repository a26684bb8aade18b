// The one `exemplar` binary: serve, bench, verify and the other subcommands.
// Each command registers itself from its own file (see tools/command.h).
#include <CLI/CLI.hpp>

#include "tools/audit_commands.h"
#include "tools/bench_append.h"
#include "tools/command.h"
#include "tools/demo.h"
#include "tools/serve.h"
#include "tools/token.h"

int main(int argc, char** argv) {
  CLI::App app{
      "exemplar: event-sourced workflow engine for advanced exemplars"};
  app.require_subcommand(1);

  exemplar::tools::Commands commands;
  exemplar::tools::AddServeCommand(app, commands);
  exemplar::tools::AddAuditCommands(app, commands);
  exemplar::tools::AddBenchAppendCommand(app, commands);
  exemplar::tools::AddTokenCommands(app, commands);
  exemplar::tools::AddDemoCommand(app, commands);

  CLI11_PARSE(app, argc, argv);
  for (const exemplar::tools::Command& command : commands) {
    if (command.cli->parsed()) return command.run();
  }
  return 0;
}
