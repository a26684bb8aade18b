// Files only their owner may read, each written so that a crash leaves it
// either absent or whole, and destroyed so that its bytes are overwritten
// before its name goes: the audit log's signing key and the key vault's
// keys.
//
// Thread safety: plain functions; two processes creating one path race
// safely (one wins, the other sees it exist).
#pragma once

#include <string>
#include <string_view>

#include "events/status.h"

namespace exemplar {

// Creates `path` holding `bytes`, mode 0600: written to a temporary file
// beside it, synced, linked into place, then its folder synced. False when
// `path` already existed (it is left as it was). Errors: kIoError.
Result<bool> CreatePrivateFile(const std::string& path, std::string_view bytes);

// The bytes of `path`. kNotFound when absent; kPermissionDenied when
// `owner_only` and the group or others may read or write it; kIoError.
Result<std::string> ReadPrivateFile(const std::string& path,
                                    bool owner_only = true);

// Overwrites `path` with zeros, syncs it, removes it and syncs its folder;
// nothing when it does not exist. A file system that keeps old blocks (a
// copy-on-write one, a snapshot) may still hold the bytes: the overwrite
// guarantees only that no file under the folder does. Errors: kIoError.
Status ShredFile(const std::string& path);

// Syncs the folder `dir`, so that the names created or removed in it last.
Status SyncDirectory(const std::string& dir);

}  // namespace exemplar
