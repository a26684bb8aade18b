// The one `exemplar` binary: serve, bench, verify and the other subcommands.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{
      "exemplar: event-sourced workflow engine for advanced exemplars"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
