// The relay's durable checkpoint: the highest log position P such that
// JetStream acknowledged every event at positions 1..P. A restarted relay
// resumes at P + 1.
//
// Stored in the store's side store (engine/side_store.h), in the
// kRelayCheckpoints space under "<stream name>/checkpoint" (in the `meta`
// family: "relay/<stream name>/checkpoint"), as an 8-byte big-endian
// position, so one store can feed several streams, each with its own
// checkpoint.
//
// Thread safety: any thread.
#pragma once

#include <cstdint>
#include <string>

#include "engine/event_store.h"
#include "events/status.h"

namespace exemplar::relay {

// The stored checkpoint; 0 when none was stored yet. Errors: kCorruption
// when the value is not 8 bytes, kIoError.
Result<std::uint64_t> LoadCheckpoint(const EventStore& store,
                                     const std::string& stream_name);

// Stores `position` with a synced write (the caller rate-limits: at most one
// per RelayOptions::checkpoint_interval). Errors: kIoError.
Status SaveCheckpoint(const EventStore& store, const std::string& stream_name,
                      std::uint64_t position);

}  // namespace exemplar::relay
