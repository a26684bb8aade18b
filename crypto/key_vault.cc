#include "crypto/key_vault.h"

#include <algorithm>

#include "events/sha256.h"

namespace exemplar::crypto {
namespace {

constexpr std::string_view kCheckId = "check";
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

std::string StoredKeyId(const KeyName& name) {
  return ToHex(Sha256(
      {"exemplar-vault-v1 name\n", name.subject, "\n", name.retention_class}));
}

Result<std::unique_ptr<KeyVault>> KeyVault::Open(KeyStorage* storage,
                                                 const DataKey& master_key) {
  Result<std::optional<std::string>> check = storage->Read(kCheckId);
  if (!check.ok()) return check.status();
  if (!check->has_value()) {
    const std::string made = Seal(master_key, kCheckValue, kCheckPlace);
    EXEMPLAR_RETURN_IF_ERROR(storage->Write(kCheckId, made));
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
                                 std::vector<StoredKey>* to_store) {
  std::lock_guard lock(mutex_);
  Result<DataKey> found = FindLocked(name);
  if (found.status().code() == StatusCode::kNotFound) {
    known_[name] = Known{NewDataKey(), false};
  } else if (!found.ok()) {
    return found;
  }
  const Known& known = known_.at(name);
  if (!known.stored) {
    to_store->push_back({StoredKeyId(name), Seal(master_key_, AsText(known.key),
                                                 WrapPlace(name))});
  }
  return known.key;
}

void KeyVault::Stored(const std::vector<KeyName>& names) {
  std::lock_guard lock(mutex_);
  for (const KeyName& name : names) {
    if (auto known = known_.find(name); known != known_.end()) {
      known->second.stored = true;
    }
  }
}

Result<DataKey> KeyVault::Find(const KeyName& name) const {
  std::lock_guard lock(mutex_);
  return FindLocked(name);
}

Result<DataKey> KeyVault::FindLocked(const KeyName& name) const {
  if (auto known = known_.find(name); known != known_.end()) {
    return known->second.key;
  }
  Result<std::optional<std::string>> wrapped =
      storage_->Read(StoredKeyId(name));
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
  known_.emplace(name, Known{out, true});
  return out;
}

Status KeyVault::Destroy(const std::vector<KeyName>& names) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const KeyName& name : names) {
    known_.erase(name);
    ids.push_back(StoredKeyId(name));
  }
  return storage_->Shred(ids);
}

}  // namespace exemplar::crypto
