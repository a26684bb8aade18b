// What an append means, apart from where it is stored: the limits a
// request must keep, what an idempotency key remembers, and how the
// expected version is checked. Private to engine/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/event_store.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

// OK when `request` keeps the limits of `options` (StoreOptions); else
// kInvalidArgument naming the field.
Status ValidateRequest(const AppendRequest& request,
                       const StoreOptions& options);

// What an idempotency key remembers: the result, and a digest of the request
// so that a reuse with other content is told apart from a retry.
struct IdempotencyEntry {
  AppendResult result;
  Hash256 request_digest{};

  std::string Encode() const;
  // False when `value` is not an entry's 56 bytes.
  static bool Decode(std::string_view value, IdempotencyEntry* out);
};

// Digest of everything the caller chose in a request, except timestamps the
// store may have stamped. Two requests with the same digest are the same.
Hash256 RequestDigest(const AppendRequest& request);

// OK when a stream at `actual` (nullopt: no events) meets `expected`;
// kVersionConflict otherwise.
Status CheckExpectedVersion(const ExpectedVersion& expected,
                            std::optional<std::uint64_t> actual,
                            const std::string& stream_id);

}  // namespace exemplar
