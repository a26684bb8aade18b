// Authenticated encryption of single values (AES-256-GCM through OpenSSL):
// what personal data is sealed with before it enters the log. Each value
// gets a fresh random nonce and is bound to its place (the associated
// data: which stream, action and field it belongs to), so a sealed value
// copied to another place does not open there.
//
// Sealed form: one version byte (1), the 12-byte nonce, the ciphertext
// (as long as the plain value) and the 16-byte tag.
//
// Thread safety: plain functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/status.h"

namespace exemplar::crypto {

// A 256-bit key: a data subject's data key, or the operator's master key.
using DataKey = std::array<std::uint8_t, 32>;

// A key of 32 bytes from the operating system's random source.
DataKey NewDataKey();

// `plain` sealed under `key`, bound to `place`, after `prefix`: a caller
// that frames the sealed form gets it framed without a second copy.
std::string Seal(const DataKey& key, std::string_view plain,
                 std::string_view place, std::string_view prefix = {});

// The plain value of `sealed`. kInvalidArgument when it is not a sealed
// value of a known version; kPermissionDenied when it does not open under
// `key` and `place` (another key, another place, or altered bytes).
Result<std::string> Open(const DataKey& key, std::string_view sealed,
                         std::string_view place);

// The bytes a sealed value adds to its plain one.
constexpr std::size_t kSealOverhead = 1 + 12 + 16;

}  // namespace exemplar::crypto
