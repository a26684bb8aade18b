#include "api/idempotency.h"

#include "events/sha256.h"

namespace exemplar::api {

std::string Fingerprint(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts) {
    joined += std::to_string(part.size()) + ':';
    joined.append(part);
  }
  return ToHex(Sha256({joined})).substr(0, 32);
}

Result<std::unique_ptr<IdempotencyIndex>> IdempotencyIndex::Load(
    const EventStore& store, IdempotencyOptions options) {
  std::unique_ptr<IdempotencyIndex> index(new IdempotencyIndex(options));
  const std::uint64_t head = store.head().position;
  std::uint64_t next = 1;
  while (next <= head) {
    Result<EventStore::Page> page = store.ReadAll(next, 10000);
    if (!page.ok()) return page.status();
    for (const EventRecord& record : page->events) {
      size_t bar = record.idempotency_key.rfind('|');
      if (bar == std::string::npos) continue;
      index->fingerprints_[record.idempotency_key.substr(0, bar)] =
          record.idempotency_key.substr(bar + 1);
    }
    if (page->next_position <= next) break;
    next = page->next_position;
  }
  return index;
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
  const std::string scoped = user + ":" + key;
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = fingerprints_.emplace(scoped, fingerprint);
  if (!inserted && it->second != fingerprint) {
    return Status::IdempotencyReused(
        "this Idempotency-Key was used for a different request");
  }
  return scoped + "|" + fingerprint;
}

void IdempotencyIndex::Release(const std::string& user,
                               const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  fingerprints_.erase(user + ":" + key);
}

}  // namespace exemplar::api
