#include "tools/bench_support.h"

#include <unistd.h>

#include <cstdio>

namespace exemplar::tools {

CLI::App* AddBenchCommand(CLI::App& app, const std::string& name,
                          const std::string& description) {
  return CommandGroup(app, "bench", "Print performance figures")
      ->add_subcommand(name, description);
}

void AddScratchOption(CLI::App* bench, std::string* scratch_dir) {
  bench
      ->add_option("--dir", *scratch_dir, "Scratch folder for the bench stores")
      ->capture_default_str();
}

std::filesystem::path ScratchFolder(const std::string& scratch_dir,
                                    const std::string& prefix) {
  std::filesystem::path root = std::filesystem::path(scratch_dir) /
                               (prefix + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  return root;
}

int FinishBench(const std::filesystem::path& root, const Status& status) {
  std::filesystem::remove_all(root);
  if (status.ok()) return 0;
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}

NewEvent BenchEvent(const std::string& payload, int client) {
  NewEvent event;
  event.type = "bench_recorded";
  event.payload = payload;
  event.actor = {"user-" + std::to_string(client), "reporter", "unit-1"};
  return event;
}

Result<RunFigures> AppendFromClients(EventStore* store, int clients, int count,
                                     std::size_t payload_bytes) {
  const std::string payload(payload_bytes, 'x');
  std::atomic<bool> failed{false};
  RunFigures figures = RunClients(clients, count, [&](int client, int i) {
    AppendRequest request;
    request.stream_id = "exemplar-" + std::to_string(i % 10000);
    request.events.push_back(BenchEvent(payload, client));
    if (!store->Append(std::move(request)).ok()) failed = true;
  });
  if (failed) return Status::Internal("an append failed during the bench");
  return figures;
}

}  // namespace exemplar::tools
