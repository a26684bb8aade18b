// Idempotency keys as the API offers them: scoped per user, and bound to the
// request that first used them, so a retry returns the first response while
// a reuse with other content is refused (409) instead of being mistaken for
// a retry.
//
// The engine deduplicates by the key it is given, so the key handed down is
// "<keyed hash of user|client key>|<fingerprint of the request>": a true
// retry finds its first result there. A client key may hold a name, so it
// is stored only as a keyed hash (crypto/keyed_hash.h) under a secret of
// the data folder, never as given. Neither a user id nor a client key may
// hold '|', so one user's key is never another's (both may hold ':'). Keys
// stored in an earlier form (the user and key as given) are not found: a
// retry across the upgrade is taken as a new request. Which fingerprint a
// key was first used with is looked up among those stored keys when the
// key is first claimed, and kept here with the claims in flight; nothing is
// read on start.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "crypto/field_cipher.h"
#include "engine/event_store.h"
#include "events/status.h"

namespace exemplar::api {

struct IdempotencyOptions {
  // Longest client key, in bytes. Default 64.
  std::size_t max_key_bytes = 64;
};

class IdempotencyIndex {
 public:
  // Looks keys up in `store`, which must outlive the index, hashed under
  // `secret`.
  IdempotencyIndex(const EventStore& store, const crypto::DataKey& secret,
                   IdempotencyOptions options = {})
      : store_(store), secret_(secret), options_(options) {}

  // Claims `key` of `user` for a request with `fingerprint` (a digest of
  // method, path, headers that matter and body) and returns the key to give
  // the engine. kIdempotencyReused when the key was used with another
  // fingerprint; kInvalidArgument (field "Idempotency-Key") when it is too
  // long or not printable ASCII; the store's errors when it cannot be read.
  // A claim stays until Release.
  Result<std::string> Claim(const std::string& user, const std::string& key,
                            const std::string& fingerprint);

  // Forgets a claim whose command appended nothing (it was rejected), so the
  // key may be used again for another request, unless the store holds it
  // from an earlier request.
  void Release(const std::string& user, const std::string& key);

 private:
  // The user and the client key as the store keeps them.
  std::string ScopedKey(const std::string& user, const std::string& key) const;

  const EventStore& store_;
  const crypto::DataKey secret_;
  IdempotencyOptions options_;
  std::mutex mutex_;
  // scoped key -> digest, for the keys claimed since start
  std::map<std::string, std::string> fingerprints_;
};

// A short hex digest of the parts, for fingerprints.
std::string Fingerprint(std::initializer_list<std::string_view> parts);

}  // namespace exemplar::api
