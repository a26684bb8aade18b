#include "tools/projections_commands.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "api/service.h"
#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "projections/projections.h"
#include "tools/data_folder.h"

namespace exemplar::tools {
namespace {

using Clock = std::chrono::steady_clock;

int Fail(const Status& status) {
  std::fprintf(stderr, "rebuild failed: %s\n", status.ToString().c_str());
  return 1;
}

// "\r[#########...........]  45%  450000/1000000 events  350000 events/s
// ETA 2s", redrawn in place.
void DrawProgress(std::uint64_t done, std::uint64_t total, double seconds) {
  constexpr int kWidth = 30;
  const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / total;
  const int filled = static_cast<int>(fraction * kWidth);
  const double rate = seconds > 0 ? done / seconds : 0;
  const double eta = rate > 0 ? (total - done) / rate : 0;
  std::fprintf(
      stderr, "\r[%.*s%.*s] %3d%%  %llu/%llu events  %.0f events/s  ETA %.0fs ",
      filled, "##############################", kWidth - filled,
      "..............................", static_cast<int>(fraction * 100),
      static_cast<unsigned long long>(done),
      static_cast<unsigned long long>(total), rate, eta);
}

}  // namespace

int RunRebuild(const RebuildOptions& options) {
  Result<Definition> definition = LoadDefinition(options.workflow_path);
  if (!definition.ok()) return Fail(definition.status());
  auto store = OpenDataFolder(options.data_dir, StoreAccess::kWriter);
  if (!store.ok()) return Fail(store.status());

  const bool terminal = isatty(STDERR_FILENO);
  const auto start = Clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  auto personal_data =
      api::OpenPersonalData(**store, options.data_dir, options.master_key_file);
  if (!personal_data.ok()) return Fail(personal_data.status());
  projections::RebuildProgress progress;
  if (terminal) {
    progress = [&](std::uint64_t done, std::uint64_t total) {
      DrawProgress(done, total, seconds());
    };
  }
  std::vector<std::string> names;
  if (!options.name.empty()) names.push_back(options.name);
  projections::ProjectionsOptions rebuild_options;
  rebuild_options.personal_data = personal_data->get();
  Status rebuilt = projections::Projections::Rebuild(
      store->get(), &*definition, names, rebuild_options, progress);
  if (terminal) std::fprintf(stderr, "\n");
  if (!rebuilt.ok()) return Fail(rebuilt);
  const std::uint64_t events = (*store)->head().position;
  const double elapsed = seconds();
  std::printf("rebuilt %s from %llu events in %.2f s (%.0f events/s)\n",
              options.name.empty() ? "every projection" : options.name.c_str(),
              static_cast<unsigned long long>(events), elapsed,
              elapsed > 0 ? events / elapsed : 0.0);
  return 0;
}

void AddProjectionsCommands(CLI::App& app, Commands& commands) {
  CLI::App* group = CommandGroup(app, "projections", "Manage the read models");
  auto options = std::make_shared<RebuildOptions>();
  CLI::App* rebuild = group->add_subcommand(
      "rebuild",
      "Drop a projection (authority, exemplars, ledger; default all) and "
      "fold the whole log again; run with the server stopped");
  rebuild->add_option("name", options->name, "Projection to rebuild")
      ->check(CLI::IsMember({"authority", "exemplars", "ledger"}));
  AddDataOption(rebuild, &options->data_dir);
  AddMasterKeyOption(rebuild, &options->master_key_file);
  rebuild
      ->add_option("--workflow", options->workflow_path, "Workflow definition")
      ->capture_default_str();
  commands.push_back({rebuild, [options] { return RunRebuild(*options); }});
}

}  // namespace exemplar::tools
