// The one `exemplar` binary: serve, bench, verify and the other subcommands.
// Each command registers itself from its own file (see tools/command.h).
#include <CLI/CLI.hpp>

#include "tools/audit_commands.h"
#include "tools/backup.h"
#include "tools/bench_append.h"
#include "tools/bench_audit.h"
#include "tools/bench_projections.h"
#include "tools/bench_relay.h"
#include "tools/bench_seal.h"
#include "tools/bench_sse.h"
#include "tools/command.h"
#include "tools/demo.h"
#include "tools/export_import.h"
#include "tools/projections_commands.h"
#include "tools/replay.h"
#include "tools/serve.h"
#include "tools/token.h"
#include "tools/vault_file.h"

int main(int argc, char** argv) {
  CLI::App app{
      "exemplar: event-sourced workflow engine for advanced exemplars"};
  app.require_subcommand(1);

  exemplar::tools::Commands commands;
  exemplar::tools::AddServeCommand(app, commands);
  exemplar::tools::AddAuditCommands(app, commands);
  exemplar::tools::AddBenchAppendCommand(app, commands);
  exemplar::tools::AddExportImportCommands(app, commands);
  exemplar::tools::AddBackupCommand(app, commands);
  exemplar::tools::AddVaultCommands(app, commands);
  exemplar::tools::AddBenchAuditCommand(app, commands);
  exemplar::tools::AddBenchSseCommand(app, commands);
  exemplar::tools::AddBenchRelayCommand(app, commands);
  exemplar::tools::AddBenchSealCommand(app, commands);
  exemplar::tools::AddBenchProjectionsCommand(app, commands);
  exemplar::tools::AddProjectionsCommands(app, commands);
  exemplar::tools::AddReplayCommand(app, commands);
  exemplar::tools::AddTokenCommands(app, commands);
  exemplar::tools::AddDemoCommand(app, commands);

  CLI11_PARSE(app, argc, argv);
  for (const exemplar::tools::Command& command : commands) {
    if (command.cli->parsed()) return command.run();
  }
  return 0;
}
