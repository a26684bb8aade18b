// Keyed hashes (HMAC-SHA256 through OpenSSL) of what must be looked up but
// not stored as given: a client's idempotency key, which may hold a name;
// and keys derived from another for one purpose.
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

// A key for `purpose` drawn from `key` (HMAC-SHA256 of the purpose), so
// that one secret serves several uses without one use's key opening
// another's data.
DataKey DerivedKey(const DataKey& key, std::string_view purpose);

}  // namespace exemplar::crypto
