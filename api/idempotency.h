// Idempotency keys as the API offers them: scoped per user, and bound to the
// request that first used them, so a retry returns the first response while
// a reuse with other content is refused (409) instead of being mistaken for
// a retry.
//
// The engine deduplicates by the key it is given, so the key handed down is
// "<user>:<client key>|<fingerprint of the request>": a true retry finds its
// first result there. Which fingerprint a key was first used with is kept
// here, in memory, rebuilt from those stored keys on start.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/event_store.h"
#include "events/status.h"

namespace exemplar::api {

struct IdempotencyOptions {
  // Longest client key, in bytes. Default 64.
  std::size_t max_key_bytes = 64;
};

class IdempotencyIndex {
 public:
  // Reads every stored key of `store`'s log. Errors: the store's.
  static Result<std::unique_ptr<IdempotencyIndex>> Load(
      const EventStore& store, IdempotencyOptions options = {});

  // Claims `key` of `user` for a request with `fingerprint` (a digest of
  // method, path, headers that matter and body) and returns the key to give
  // the engine. kIdempotencyReused when the key was used with another
  // fingerprint; kInvalidArgument (field "Idempotency-Key") when it is too
  // long or not printable ASCII. A claim stays until Release.
  Result<std::string> Claim(const std::string& user, const std::string& key,
                            const std::string& fingerprint);

  // Forgets a claim whose command appended nothing (it was rejected), so the
  // key may be used again for another request.
  void Release(const std::string& user, const std::string& key);

 private:
  explicit IdempotencyIndex(IdempotencyOptions options) : options_(options) {}

  IdempotencyOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::string> fingerprints_;  // user:key -> digest
};

// A short hex digest of the parts, for fingerprints.
std::string Fingerprint(std::initializer_list<std::string_view> parts);

}  // namespace exemplar::api
