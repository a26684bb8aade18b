// The key vault carried apart from its store (crypto/key_vault.h): a backup
// or an export holds the log's sealed values, and a vault file the keys
// that open them, still wrapped under the master key. Kept apart, a stolen
// backup reads as erased, and an erasure made after a backup reaches that
// backup once the old vault files are deleted.
//
// A vault file is JSON Lines: a first line {"exemplar_vault": 1}, then one
// {"id": ..., "wrapped_base64": ...} per stored entry (the vault's check
// value included), written with mode 0600.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/side_store.h"
#include "events/status.h"
#include "tools/command.h"

namespace exemplar::tools {

// Writes the vault kept in `side` to `path`, which must not exist. Returns
// the number of keys written (the check value not counted).
Result<std::size_t> SaveVault(SideStore* side, const std::string& path);

// Writes the entries of the vault file `path` into the vault kept in
// `side`. kInvalidArgument, writing nothing, when the file is not a vault
// file or `side` holds the check value of another vault. Returns the number
// of keys written.
Result<std::size_t> LoadVault(SideStore* side, const std::string& path);

// Shreds every key of the vault kept in `side`, keeping its check value.
Status StripVault(SideStore* side);

// Registers `vault export` and `vault import`.
void AddVaultCommands(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
