// What the commands that open an existing data folder share: opening its
// store beside a running server or as its one writer, and the figures of
// a verified store.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/audit/signed_head.h"
#include "engine/audit/verify.h"
#include "engine/event_store.h"
#include "tools/command.h"

namespace exemplar::tools {

enum class StoreAccess {
  // A read-only follower (a RocksDB secondary instance): runs beside a
  // server holding the folder, and sees the store as of the open.
  kBesideServer,
  // The one process that may write: kUnavailable, saying to stop the
  // server first, when another process holds the folder.
  kWriter,
};

// Opens the store that `data_dir` holds (kNotFound when it holds none).
Result<std::unique_ptr<EventStore>> OpenDataFolder(const std::string& data_dir,
                                                   StoreAccess access);

// The head-signing key's file in a data folder (engine/audit/signed_head.h).
inline constexpr char kSigningKeyFile[] = "audit-ed25519.pem";

// The public half of the data folder's signing key; nullopt when it has
// none (a store never served: no key, no signed heads).
Result<std::optional<audit::Ed25519PublicKey>> DataFolderPublicKey(
    const std::string& data_dir);

// `pattern` with {events}, {root} and {heads} replaced by the report's
// events, Merkle root (hex) and signed heads.
std::string VerifiedFigures(const audit::VerifyReport& report,
                            std::string_view pattern);

// Registers `--data` (the data folder) on `command`.
void AddDataOption(CLI::App* command, std::string* data_dir);
// Registers `--master-key-file` (crypto/key_file.h, LoadMasterKey).
void AddMasterKeyOption(CLI::App* command, std::string* master_key_file);

}  // namespace exemplar::tools
