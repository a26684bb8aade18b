// `exemplar backup`: a consistent copy of a store, taken while a server may
// be running on it, and verified before it is declared good.
#pragma once

#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct BackupOptions {
  std::string data_dir = "./data";
  std::string dest;  // must not exist
  // Also copy the private signing key (mode 0600). Default false: a backup
  // often lives somewhere less guarded than the server, and whoever holds the
  // key can sign heads in the server's name. The public key is always
  // written, as audit-ed25519.pub.pem.
  bool with_signing_key = false;
  // Also write the key vault, still wrapped, to this new file (mode 0600,
  // tools/vault_file.h). The copy itself never holds the vault's keys:
  // without the file its personal values read as erased.
  std::string vault_to;
  // Copies tried before giving up, when the server's compactions remove a
  // file from under a copy. Default 3.
  int attempts = 3;
};

// Opens the store as a read-only follower (the server keeps its lock),
// checkpoints it into `dest.partial`, moves the vault's keys out of the
// copy (into `vault_to` when given) and drops its read models (they hold
// plain names; a server on the copy folds them again), runs the whole audit
// verification on the copy (under the data folder's public key when it has
// one), and only then renames it to `dest`. Returns the process exit code: 0
// when `dest` holds a verified copy.
int RunBackup(const BackupOptions& options);

// Registers `backup`.
void AddBackupCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
