#include "api/idempotency.h"

#include "crypto/keyed_hash.h"
#include "events/sha256.h"

namespace exemplar::api {

// The user and the client key as one string, unambiguously, then hashed: a
// user id ([A-Za-z0-9._:-]) and a key (printable ASCII without '|') may
// both hold ':', but neither holds '|', so "<user>|<key>" tells every pair
// apart.
std::string IdempotencyIndex::ScopedKey(const std::string& user,
                                        const std::string& key) const {
  return crypto::KeyedHashHex(secret_, user + "|" + key);
}

std::string Fingerprint(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts) {
    joined += std::to_string(part.size()) + ':';
    joined.append(part);
  }
  return ToHex(Sha256({joined})).substr(0, 32);
}

Result<std::string> IdempotencyIndex::Claim(const std::string& user,
                                            const std::string& key,
                                            const std::string& fingerprint) {
  if (key.empty() || key.size() > options_.max_key_bytes) {
    return Status::InvalidArgument("an idempotency key is 1 to " +
                                       std::to_string(options_.max_key_bytes) +
                                       " characters",
                                   "Idempotency-Key");
  }
  for (char c : key) {
    if (c <= ' ' || c > '~' || c == '|') {
      return Status::InvalidArgument(
          "an idempotency key is printable ASCII without '|'",
          "Idempotency-Key");
    }
  }
  const std::string scoped = ScopedKey(user, key);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = fingerprints_.find(scoped);
  if (it == fingerprints_.end()) {
    const std::string stored_prefix = scoped + "|";
    Result<std::optional<std::string>> stored =
        store_.FirstIdempotencyKey(stored_prefix);
    if (!stored.ok()) return stored.status();
    std::string first = stored->has_value()
                            ? (*stored)->substr(stored_prefix.size())
                            : fingerprint;
    it = fingerprints_.emplace(scoped, std::move(first)).first;
  }
  if (it->second != fingerprint) {
    return Status::IdempotencyReused(
        "this Idempotency-Key was used for a different request");
  }
  return scoped + "|" + fingerprint;
}

void IdempotencyIndex::Release(const std::string& user,
                               const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  fingerprints_.erase(ScopedKey(user, key));
}

}  // namespace exemplar::api
