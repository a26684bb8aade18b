#include "crypto/key_vault.h"

#include <algorithm>

#include "crypto/keyed_hash.h"
#include "events/sha256.h"

namespace exemplar::crypto {
namespace {

constexpr std::string_view kCheckPlace = "exemplar-vault-v1 check";
constexpr std::string_view kCheckValue = "exemplar key vault";

// Where a wrapped key belongs: its name, so that a stored key moved to
// another name does not open there.
std::string WrapPlace(const KeyName& name) {
  return "exemplar-vault-v1 key\n" + name.subject + "\n" + name.retention_class;
}

std::string_view AsText(const DataKey& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

}  // namespace

std::string HashedKeyId(const KeyName& name) {
  return ToHex(Sha256(
      {"exemplar-vault-v1 name\n", name.subject, "\n", name.retention_class}));
}

std::string KeyStorage::IdOf(const KeyName& name) const {
  return HashedKeyId(name);
}

Result<std::unique_ptr<KeyVault>> KeyVault::Open(KeyStorage* storage,
                                                 const DataKey& master_key) {
  Result<std::optional<std::string>> check = storage->Read(kVaultCheckId);
  if (!check.ok()) return check.status();
  if (!check->has_value()) {
    const std::string made = Seal(master_key, kCheckValue, kCheckPlace);
    EXEMPLAR_RETURN_IF_ERROR(storage->Write(kVaultCheckId, made));
    *check = made;
  }
  Result<std::string> opened = crypto::Open(master_key, **check, kCheckPlace);
  if (opened.status().code() == StatusCode::kInvalidArgument ||
      (opened.ok() && *opened != kCheckValue)) {
    return Status::Corruption("the key vault's check value does not decode", 0);
  }
  if (!opened.ok()) {
    return Status::PermissionDenied(
        "the master key does not open the key vault: it was made with "
        "another");
  }
  return std::unique_ptr<KeyVault>(new KeyVault(storage, master_key));
}

Result<DataKey> KeyVault::KeyFor(const KeyName& name,
                                 std::vector<StoredKey>* to_store,
                                 bool surely_new) {
  Result<Known> known =
      Lookup(name, surely_new ? Miss::kMake : Miss::kReadOrMake);
  if (!known.ok()) return known.status();
  if (!known->stored)
    to_store->push_back({storage_->IdOf(name), known->wrapped});
  return known->key;
}

void KeyVault::Stored(const std::vector<KeyName>& names) {
  for (const KeyName& name : names) {
    Shard& shard = ShardOf(name);
    std::lock_guard lock(shard.mutex);
    if (auto known = shard.known.find(name); known != shard.known.end()) {
      known->second.stored = true;
      known->second.wrapped.clear();
    }
  }
}

KeyVault::Known KeyVault::Made(const KeyName& name) const {
  const DataKey key = NewDataKey();
  return {key, false, Seal(master_key_, AsText(key), WrapPlace(name))};
}

Result<DataKey> KeyVault::Find(const KeyName& name) const {
  Result<Known> known = Lookup(name, Miss::kRead);
  if (!known.ok()) return known.status();
  return known->key;
}

Result<DataKey> KeyVault::FindOnce(const KeyName& name) const {
  return ReadStored(name);
}

Result<KeyVault::Known> KeyVault::Lookup(const KeyName& name, Miss miss) const {
  Shard& shard = ShardOf(name);
  // A key made for a name that is surely new is not looked for first: a
  // miss in a large table costs more than making the key, and should a
  // racing lookup have remembered the name meanwhile, its key wins below.
  if (miss == Miss::kMake) {
    return *Remember(shard, name, Made(name), std::nullopt);
  }
  while (true) {
    std::uint64_t forgets_before = 0;
    {
      std::lock_guard lock(shard.mutex);
      if (auto known = shard.known.find(name); known != shard.known.end()) {
        return known->second;
      }
      forgets_before = shard.forgets;
    }
    Result<DataKey> stored = ReadStored(name);
    const bool absent = stored.status().code() == StatusCode::kNotFound;
    if (!stored.ok() && !(absent && miss != Miss::kRead)) {
      return stored.status();
    }
    std::optional<Known> remembered =
        Remember(shard, name, absent ? Made(name) : Known{*stored, true, ""},
                 forgets_before);
    if (remembered) return *std::move(remembered);
  }
}

std::optional<KeyVault::Known> KeyVault::Remember(
    Shard& shard, const KeyName& name, Known known,
    std::optional<std::uint64_t> forgets_before) const {
  std::lock_guard lock(shard.mutex);
  if (forgets_before && shard.forgets != *forgets_before) return std::nullopt;
  if (shard.known.size() >= kMaxKnown / kShards) shard.ForgetStoredLocked();
  // Another lookup may have remembered the name meanwhile: theirs wins.
  return shard.known.try_emplace(name, std::move(known)).first->second;
}

Result<DataKey> KeyVault::ReadStored(const KeyName& name) const {
  Result<std::optional<std::string>> wrapped =
      storage_->Read(storage_->IdOf(name));
  if (!wrapped.ok()) return wrapped.status();
  if (!wrapped->has_value()) {
    return Status::NotFound("no key for " + name.subject + " (" +
                            name.retention_class + ")");
  }
  Result<std::string> key =
      crypto::Open(master_key_, **wrapped, WrapPlace(name));
  if (!key.ok() || key->size() != DataKey().size()) {
    return Status::PermissionDenied("the stored key of " + name.subject +
                                    " does not open under this vault's key");
  }
  DataKey out;
  std::copy(key->begin(), key->end(), out.begin());
  return out;
}

Status KeyVault::Destroy(const std::vector<KeyName>& names) {
  std::vector<std::string> ids;
  for (const KeyName& name : names) ids.push_back(storage_->IdOf(name));
  Forget(names);
  Status shredded = storage_->Shred(ids);
  // Again: a lookup that read storage before the shred must not remember
  // what it read.
  Forget(names);
  return shredded;
}

Status KeyVault::DestroyStored(const std::vector<std::string>& ids) {
  ForgetStored();
  Status shredded = storage_->Shred(ids);
  ForgetStored();  // as in Destroy
  return shredded;
}

DataKey KeyVault::PurposeKey(std::string_view purpose) const {
  return DerivedKey(master_key_, purpose);
}

void KeyVault::ForgetStored() const {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.ForgetStoredLocked();
  }
}

void KeyVault::Shard::ForgetStoredLocked() {
  std::erase_if(known, [](const auto& entry) { return entry.second.stored; });
  ++forgets;
}

void KeyVault::Forget(const std::vector<KeyName>& names) {
  for (const KeyName& name : names) {
    Shard& shard = ShardOf(name);
    std::lock_guard lock(shard.mutex);
    shard.known.erase(name);
    ++shard.forgets;
  }
}

}  // namespace exemplar::crypto
