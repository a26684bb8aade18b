// Runs the built `exemplar` binary with arguments, as an operator would,
// and keeps what it printed. For end-to-end tests of the CLI.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace exemplar::testing {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

inline CliRun RunCli(const std::string& arguments) {
  std::string command =
      std::string(EXEMPLAR_BINARY) + " " + arguments + " 2>&1";
  CliRun run;
  FILE* process = popen(command.c_str(), "r");
  if (process == nullptr) return run;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, process)) run.output += buffer;
  int status = pclose(process);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace exemplar::testing
