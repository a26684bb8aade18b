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

}  // namespace exemplar::crypto
