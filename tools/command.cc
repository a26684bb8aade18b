#include "tools/command.h"

namespace exemplar::tools {

CLI::App* CommandGroup(CLI::App& app, const std::string& name,
                       const std::string& description) {
  auto named = [&name](CLI::App* sub) { return sub->get_name() == name; };
  std::vector<CLI::App*> existing = app.get_subcommands(named);
  if (!existing.empty()) return existing.front();
  CLI::App* group = app.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

}  // namespace exemplar::tools
