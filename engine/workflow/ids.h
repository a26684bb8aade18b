// The ids the engine draws for what a command creates when the caller names
// none: exemplars ("ex-" + 24 hex, time first), role grants ("g-" + 16 hex) and
// API tokens ("tok" + 16 hex), and the random hex they are made of.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "events/status.h"

namespace exemplar {

// `bytes` random bytes (OpenSSL RAND_bytes) in lower-case hex; kInternal if
// the generator fails. For secrets.
Result<std::string> RandomHex(std::size_t bytes);

// `bytes` random bytes in lower-case hex from a per-thread generator seeded
// from OpenSSL's: for ids that must not collide but need not be secret
// (exemplar ids, grant ids). Unlike RandomHex it makes no system call, which
// OpenSSL's fork check costs on every call.
std::string RandomIdHex(std::size_t bytes);

// A new exemplar's id: "ex-", 12 hex digits of the time (milliseconds
// since 1970, UTC) and 12 random ones, so that ids drawn later sort later:
// what is keyed by exemplar (streams, read models, subject keys) is
// appended in order, not inserted at random places.
std::string NewExemplarId();

// The 12 time digits of an id of NewExemplarId's form ("ex-" and 24
// lower-case hex digits), alone or with what a commenter's subject adds
// ("#comment-N"); nullopt for another id, such as one a client chose
// before ids had to be opaque.
std::optional<std::string_view> ExemplarIdTime(std::string_view id);

// Whether `id` is an id a client may choose for a new exemplar: opaque, so
// that an id, which travels in every URL, log line and event, never names
// a person. A UUID in its textual form (8-4-4-4-12 hex digits, either
// case), or the forms the server draws ("ex-" and 24 lower-case hex, or
// the 20 of the ids it drew before its ids began with the time).
bool IsOpaqueExemplarId(std::string_view id);

// The exemplar id a create retried under an Idempotency-Key lands on, so
// that the retry is recognised: "ex-" and the first 20 hex digits of the
// SHA-256 of the length-prefixed caller and key.
std::string ExemplarIdForRetry(std::string_view user, std::string_view key);

// A new role grant's id: "g-" and 16 hex digits.
std::string NewGrantId();

// A new reorganisation's id: "reorg-" and 16 hex digits.
std::string NewReorganisationId();

// A new API token's id: "tok" and 16 hex digits (OpenSSL's generator: a
// token id is not secret, but it names a credential).
Result<std::string> NewTokenId();

}  // namespace exemplar
