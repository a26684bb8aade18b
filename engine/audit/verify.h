// Verification of a whole store that trusts nothing the server computed:
// every event hash and chain link, the Merkle tree, the stream index, the
// idempotency index and every stored signed head.
#pragma once

#include <functional>
#include <optional>

#include "engine/audit/signed_head.h"
#include "engine/event_store.h"

namespace exemplar::audit {

struct VerifyReport {
  std::uint64_t events = 0;
  std::uint64_t signed_heads = 0;
  Hash256 root{};
};

// Returns the report when all holds. Otherwise kCorruption whose number() is
// the first bad position (or tree size, for a head) and whose message says
// what is wrong; a table file RocksDB finds damaged is named with its column
// family and RocksDB's message (position 0 when the fault is not at an
// event). `public_key`, when given, is the key every stored head must
// verify under. `progress` is called now and then with the position reached.
Result<VerifyReport> VerifyStore(
    const EventStore& store, const std::optional<Ed25519PublicKey>& public_key,
    const std::function<void(std::uint64_t position, std::uint64_t head)>&
        progress = nullptr);

}  // namespace exemplar::audit
