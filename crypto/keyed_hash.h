// Keyed hashes (HMAC-SHA256 through OpenSSL) of what must be looked up but
// not stored as given: a client's idempotency key, which may hold a name.
// Without the key, the hash tells nothing of the value, not even whether
// two stores saw the same one.
//
// Thread safety: plain functions.
#pragma once

#include <string>
#include <string_view>

#include "crypto/field_cipher.h"

namespace exemplar::crypto {

// HMAC-SHA256 of `message` under `key`, as 64 lower-case hex characters.
std::string KeyedHashHex(const DataKey& key, std::string_view message);

}  // namespace exemplar::crypto
