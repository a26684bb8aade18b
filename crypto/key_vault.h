// The key vault: the data keys of personal data, one per data subject and
// retention class, kept apart from the log. Each key is wrapped
// (field_cipher.h) under the operator's master key and bound to its name,
// and is stored under an id that is a hash of that name, so that neither
// the subject nor the class shows in storage. Destroying a key shreds its
// stored form: every value sealed under it stops opening, while the log's
// bytes, hashes and proofs stay as they were (crypto-shredding).
//
// Where keys are stored is the KeyStorage's business. A new key is not
// written by the vault: KeyFor hands back its stored form, to be written
// in the same durable write as the first data sealed under it (the event
// store's group commit), so that making a key costs no write of its own
// and no data can outlive a crash without its key.
//
// Thread safety: thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/field_cipher.h"
#include "events/status.h"

namespace exemplar::crypto {

// Whose data a key protects, and under which rule of keeping: one person's
// published decision and their rejected nomination are kept for different
// times, so they take different keys.
struct KeyName {
  std::string subject;
  std::string retention_class;

  auto operator<=>(const KeyName&) const = default;
};

// A key in the form it is stored: `wrapped` under the master key, under
// `id`.
struct StoredKey {
  std::string id;
  std::string wrapped;
};

// Where the vault's stored keys live.
class KeyStorage {
 public:
  virtual ~KeyStorage() = default;
  // The value under `id`; nullopt when there is none.
  virtual Result<std::optional<std::string>> Read(std::string_view id) = 0;
  // Writes `value` under `id` durably.
  virtual Status Write(std::string_view id, std::string_view value) = 0;
  // Removes `ids` so that no file keeps their values; Ok for those it has
  // not.
  virtual Status Shred(const std::vector<std::string>& ids) = 0;
};

class KeyVault {
 public:
  // Opens the vault kept in `storage` (which must outlive it), making it
  // when `storage` holds none. kPermissionDenied when `master_key` is not
  // the one the vault was made with; kCorruption when its check value does
  // not decode; errors of the storage.
  static Result<std::unique_ptr<KeyVault>> Open(KeyStorage* storage,
                                                const DataKey& master_key);
  KeyVault(const KeyVault&) = delete;
  KeyVault& operator=(const KeyVault&) = delete;

  // The key of `name`. When it is not known to be stored yet, its stored
  // form is added to `*to_store`: the caller writes it durably with what
  // the key seals, then calls Stored.
  Result<DataKey> KeyFor(const KeyName& name, std::vector<StoredKey>* to_store);
  // Says the keys of `names` were written.
  void Stored(const std::vector<KeyName>& names);
  // The key of `name`. kNotFound when it has none: never made, or
  // destroyed. kPermissionDenied when its stored form does not open under
  // the master key (another vault's, or altered); storage errors.
  Result<DataKey> Find(const KeyName& name) const;
  // Destroys the keys of `names`: forgotten here and shredded in storage.
  // Ok for a name that had none.
  Status Destroy(const std::vector<KeyName>& names);

 private:
  struct Known {
    DataKey key;
    bool stored = false;
  };
  KeyVault(KeyStorage* storage, const DataKey& master_key)
      : storage_(storage), master_key_(master_key) {}
  // Find with mutex_ held.
  Result<DataKey> FindLocked(const KeyName& name) const;

  KeyStorage* storage_;
  const DataKey master_key_;
  mutable std::mutex mutex_;
  // Keys read or made.
  mutable std::map<KeyName, Known> known_;
};

// The id a key of `name` is stored under: a hash of the name, in hex.
std::string StoredKeyId(const KeyName& name);

}  // namespace exemplar::crypto
