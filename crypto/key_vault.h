// The key vault: the data keys of personal data, one per data subject and
// retention class, kept apart from the log. Each key is wrapped
// (field_cipher.h) under the operator's master key and bound to its name,
// and is stored under an id its storage draws from the name (by default a
// hash of it, HashedKeyId), so that neither the subject nor the class
// shows in storage. Destroying a key shreds its
// stored form: every value sealed under it stops opening, while the log's
// bytes, hashes and proofs stay as they were (crypto-shredding).
//
// Where keys are stored is the KeyStorage's business. A new key is not
// written by the vault: KeyFor hands back its stored form, to be written
// in the same durable write as the first data sealed under it (the event
// store's group commit), so that making a key costs no write of its own
// and no data can outlive a crash without its key.
//
// Keys read or made are remembered, up to a bound, so that sealing and
// opening seldom read storage. Storage is never read with a lock held, so
// one lookup that misses does not hold up the others, and the keys
// remembered are sharded by name, each shard with its lock.
//
// Thread safety: thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
  // The id the key of `name` is stored under: HashedKeyId(name) unless a
  // storage orders its keys otherwise. The same name, the same id, always.
  virtual std::string IdOf(const KeyName& name) const;
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
  // the key seals, then calls Stored. `surely_new` says storage holds no
  // key of `name` (its subject appears for the first time): a new key is
  // then made without reading storage, and would replace one stored.
  Result<DataKey> KeyFor(const KeyName& name, std::vector<StoredKey>* to_store,
                         bool surely_new = false);
  // Says the keys of `names` were written.
  void Stored(const std::vector<KeyName>& names);
  // The key of `name`. kNotFound when it has none: never made, or
  // destroyed. kPermissionDenied when its stored form does not open under
  // the master key (another vault's, or altered); storage errors.
  Result<DataKey> Find(const KeyName& name) const;
  // The key of `name` as Find finds it, read from storage without looking
  // among the keys remembered nor remembering it: for a caller that needs
  // each key once, such as a rebuild opening every subject's name, where
  // a table of tens of thousands of keys would cost more than the reads.
  // A key not yet stored seals nothing in the log yet, so a reader of the
  // log misses none.
  Result<DataKey> FindOnce(const KeyName& name) const;
  // Destroys the keys of `names`: forgotten here and shredded in storage.
  // Ok for a name that had none.
  Status Destroy(const std::vector<KeyName>& names);
  // Destroys the keys stored under `ids`, whose names are not known here
  // (an erasure a stop interrupted): shredded in storage, after every
  // stored key remembered is forgotten.
  Status DestroyStored(const std::vector<std::string>& ids);
  // A key for `purpose` drawn from the master key (keyed_hash.h): what
  // seals the vault's neighbours' secrets, such as staged uploads' keys.
  DataKey PurposeKey(std::string_view purpose) const;

 private:
  struct Known {
    DataKey key;
    bool stored = false;
    // Until stored, the stored form, made once: every append that carries
    // the key writes the same bytes (a shredded key's mark names them).
    std::string wrapped;
  };
  // Keys remembered, over all shards, before those known to be stored are
  // forgotten.
  static constexpr std::size_t kMaxKnown = 1 << 16;
  // Keys are remembered in shards by name, each with its own lock, so that
  // the threads sealing and opening different subjects (every command and
  // every fold) seldom wait for one another.
  static constexpr std::size_t kShards = 16;

  KeyVault(KeyStorage* storage, const DataKey& master_key)
      : storage_(storage), master_key_(master_key) {}
  // How Lookup finds a key it does not remember.
  enum class Miss { kRead, kReadOrMake, kMake };
  // The key of `name` and whether it is stored: remembered, or on a miss
  // read from storage and, when storage has none, made (kReadOrMake), or
  // made without reading (kMake). kNotFound when kRead finds none.
  Result<Known> Lookup(const KeyName& name, Miss miss) const;
  // A new key for `name`, not stored.
  Known Made(const KeyName& name) const;
  struct Shard;
  // Remembers `known` as the key of `name` in `shard`, or what the shard
  // remembers already, and returns it; nullopt when `forgets_before` (the
  // shard's count when a lookup began) says keys were forgotten since: a
  // destroyed key must not come back from a read that began before its
  // destruction, so the lookup reads again.
  std::optional<Known> Remember(
      Shard& shard, const KeyName& name, Known known,
      std::optional<std::uint64_t> forgets_before) const;
  // Forgets the keys of `names`.
  void Forget(const std::vector<KeyName>& names);
  // Forgets every key known to be stored.
  void ForgetStored() const;
  // The key of `name` in storage, read without the lock.
  Result<DataKey> ReadStored(const KeyName& name) const;

  KeyStorage* storage_;
  const DataKey master_key_;
  struct NameHash {
    std::size_t operator()(const KeyName& name) const {
      const std::hash<std::string_view> hash;
      return hash(name.subject) * 31 + hash(name.retention_class);
    }
  };
  struct Shard {
    std::mutex mutex;
    // Keys read or made; those not yet stored are never forgotten.
    std::unordered_map<KeyName, Known, NameHash> known;
    // Counts the times keys were forgotten here (destroyed, or dropped for
    // the bound), so that what a lookup read from storage is remembered
    // only when nothing was forgotten meanwhile: a destroyed key must not
    // come back from a read that began before its destruction.
    std::uint64_t forgets = 0;
    // Forgets every key known to be stored; with `mutex` held.
    void ForgetStoredLocked();
  };
  Shard& ShardOf(const KeyName& name) const {
    return shards_[NameHash()(name) % kShards];
  }
  mutable std::array<Shard, kShards> shards_;
};

// The id the vault's check value is stored under: a known text sealed
// under the master key, by which Open tells the master key is the vault's.
inline constexpr std::string_view kVaultCheckId = "check";

// A hash of `name`, in hex: what a key of `name` is stored under by default.
std::string HashedKeyId(const KeyName& name);

}  // namespace exemplar::crypto
