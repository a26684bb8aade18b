// The event envelope: what the log stores for every event, and how its bytes
// are laid out.
//
// A stored record is `body || hash`, where `body` is the cereal binary of the
// envelope (every field below except `hash`, and including `prev_hash`) and
// `hash = SHA-256(prev_hash || body)`. So the hash covers every byte stored
// for the event: actor, reason, request id, remote address, timestamps and
// the payload.
//
// `remote_address` is the IP address of the HTTP client whose request
// produced the event (as the server saw it, e.g. "127.0.0.1"); it is empty
// for events made without a request: bootstrap, the demo loader, CLI
// commands and benchmarks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/sha256.h"
#include "events/status.h"

namespace exemplar {

// Who took an action, in which role, for which unit.
struct Actor {
  std::string user_id;
  std::string role;
  std::string unit_id;

  bool operator==(const Actor&) const = default;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, role, unit_id);
  }
};

// Everything a caller supplies for one event; the store adds the rest.
struct NewEvent {
  std::string type;                  // stable type tag, e.g. "unit_created"
  std::uint32_t schema_version = 1;  // version of the payload's layout
  std::string payload;               // encoded payload bytes (cereal binary)
  Actor actor;
  std::string on_behalf_of;
  std::string reason;
  std::string request_id;
  std::string remote_address;  // the client's IP address; empty: no request
  std::string correlation_id;
  std::string causation_id;
  // Time of the action, UTC microseconds since the epoch. 0 lets the store
  // stamp the time it sequenced the event.
  std::int64_t recorded_at_us = 0;

  bool operator==(const NewEvent&) const = default;
};

// One event as it sits in the log: what its caller supplied (with
// recorded_at_us always set) and where the store put it.
struct EventRecord : NewEvent {
  std::uint64_t position = 0;  // global, 1-based, gapless
  std::string stream_id;
  std::uint64_t stream_version = 0;  // 0-based within its stream
  std::string idempotency_key;
  Hash256 prev_hash{};  // hash of the event at position - 1 (zeros for 1)
  Hash256 hash{};       // SHA-256(prev_hash || body); not part of the body

  bool operator==(const EventRecord&) const = default;

  // Defined in envelope.cc, the only place records are encoded or decoded;
  // decoding bounds every length by the size of the stored record.
  template <class Archive>
  void serialize(Archive& ar);
};

// Encodes the body of `record` (all but `hash`).
std::string EncodeEventBody(const EventRecord& record);

// Sets record->hash from its prev_hash and body, and returns the bytes to
// store: body followed by the 32-byte hash.
std::string SealEventRecord(EventRecord* record);

// Decodes stored bytes. Fails with kCorruption naming `position` when the
// bytes do not decode, when the stored hash does not match the body, or when
// the record's own position differs from the key it was stored under.
Result<EventRecord> DecodeEventRecord(std::string_view stored,
                                      std::uint64_t position);

// DecodeEventRecord for long scans: decodes into a record the caller keeps,
// whose strings keep their storage from one record to the next, so a
// warmed-up record costs no allocation. On error `*record` holds a partial
// decode.
Status DecodeEventRecord(std::string_view stored, std::uint64_t position,
                         EventRecord* record);

}  // namespace exemplar
