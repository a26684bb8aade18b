// `exemplar token create --user U` and `exemplar token revoke --id T`: manage
// API tokens directly in a store that no server holds open (RocksDB locks
// the folder, so this fails while `serve` runs; use the admin API then).
#pragma once

#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct TokenOptions {
  std::string data_dir = "./data";
  std::string user_id;   // create: whose token
  std::string token_id;  // revoke: which token
  // create: days until the token expires, from now. Default 90.
  int expires_in_days = 90;
};

// Prints the new token and when it expires once; returns the process exit
// code (1 when the user is not registered or the store cannot be opened).
int RunTokenCreate(const TokenOptions& options);

// Revokes a token; returns the process exit code.
int RunTokenRevoke(const TokenOptions& options);

// Registers `token create` and `token revoke`.
void AddTokenCommands(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
