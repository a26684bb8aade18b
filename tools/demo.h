// `exemplar demo`: fills an empty data folder with a demo province (Khánh
// Hòa: 3 districts, 30 communes, departments and emulation blocs, users in
// every role, two campaigns, a few hundred exemplars at every stage over
// 2025-2026), written through the engine's CommandHandler exactly as API
// commands are, with past timestamps, and prints tokens to try; every person
// gets the password kDemoPassword through setup codes.
// Deterministic: a fixed seed gives the same organisation and history
// (tokens are random and only their hashes are stored).
#pragma once

#include <cstdint>
#include <string>

#include "tools/command.h"

namespace exemplar::tools {

// The password of every demo person, the admin included.
inline constexpr char kDemoPassword[] = "demo-matkhau-2026";

struct DemoOptions {
  std::string data_dir = "./data";
  std::string workflow_path = EXEMPLAR_DEFAULT_WORKFLOW;
  std::string master_key_file;  // empty: LoadMasterKey's default
  // Exemplars to create. Default 300.
  int exemplars = 300;
  // Seed of the history's choices. Default 20250611.
  std::uint32_t seed = 20250611;
};

// Returns the process exit code: 1 when the folder already holds a log.
int RunDemo(const DemoOptions& options);

// Registers `demo`.
void AddDemoCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
