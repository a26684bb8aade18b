// Keys kept in files of their own, written as 64 hexadecimal characters:
// the master key the operator supplies, which wraps the key vault's keys,
// and secrets the server makes for itself in its data folder (the key of
// the idempotency keys' hashes). A key file is the owner's only: one that
// others may read or write is refused.
//
// Thread safety: plain functions.
#pragma once

#include <string>
#include <string_view>

#include "crypto/field_cipher.h"
#include "events/status.h"

namespace exemplar::crypto {

// A key written as 64 hexadecimal characters (surrounding whitespace
// ignored). kInvalidArgument otherwise.
Result<DataKey> ParseKey(std::string_view text);
// A new key, as ParseKey reads it.
std::string NewKeyText();

// The key in `path`. kNotFound when absent; kPermissionDenied when others
// than its owner may read or write it; kInvalidArgument when it is not a
// key; kIoError.
Result<DataKey> LoadKeyFile(const std::string& path);
// The key in `path`, made (mode 0600, written durably) when absent; two
// processes making it at once end up with the same key.
Result<DataKey> LoadOrCreateKeyFile(const std::string& path);

// The environment variable that may hold the master key, as 64 hex digits.
inline constexpr char kMasterKeyVariable[] = "EXEMPLAR_MASTER_KEY";
// The master key's file in a data folder, when the operator supplies none.
inline constexpr char kMasterKeyFileName[] = "master.key";

// The operator's master key and where it came from.
struct MasterKey {
  DataKey key{};
  std::string source;  // the file's path, or the variable's name
  // True when it is the data folder's own file, made on first use: a copy
  // of the folder then holds both the vault and the key that opens it.
  bool beside_the_data = false;
};

// The master key: from `file` when given; else from kMasterKeyVariable
// when set; else from `data_dir`/kMasterKeyFileName, made when absent.
// Errors as LoadKeyFile and ParseKey.
Result<MasterKey> LoadMasterKey(const std::string& file,
                                const std::string& data_dir);

}  // namespace exemplar::crypto
