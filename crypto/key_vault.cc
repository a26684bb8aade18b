#include "crypto/key_vault.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "events/private_file.h"
#include "events/sha256.h"

namespace exemplar::crypto {
namespace {

constexpr std::string_view kCheckPlace = "exemplar-vault-v1 check";
constexpr std::string_view kCheckValue = "exemplar key vault";

// Where a wrapped key belongs: its name, so that a key file moved to
// another name does not open there.
std::string WrapPlace(const KeyName& name) {
  return "exemplar-vault-v1 key\n" + name.subject + "\n" + name.retention_class;
}

Status MakeFolder(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) {
    return Status::Ok();
  }
  return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
}

std::string_view AsText(const DataKey& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

}  // namespace

Result<std::unique_ptr<KeyVault>> KeyVault::Open(const std::string& folder,
                                                 const DataKey& master_key) {
  EXEMPLAR_RETURN_IF_ERROR(MakeFolder(folder));
  EXEMPLAR_RETURN_IF_ERROR(MakeFolder(folder + "/keys"));
  const std::string check = folder + "/check";
  Result<bool> created =
      CreatePrivateFile(check, Seal(master_key, kCheckValue, kCheckPlace));
  if (!created.ok()) return created.status();
  Result<std::string> sealed = ReadPrivateFile(check);
  if (!sealed.ok()) return sealed.status();
  Result<std::string> opened = crypto::Open(master_key, *sealed, kCheckPlace);
  if (opened.status().code() == StatusCode::kInvalidArgument ||
      (opened.ok() && *opened != kCheckValue)) {
    return Status::Corruption(check + " is not a key vault's check file", 0);
  }
  if (!opened.ok()) {
    return Status::PermissionDenied("the master key does not open the vault " +
                                    folder + ": it was made with another");
  }
  return std::unique_ptr<KeyVault>(new KeyVault(folder, master_key));
}

std::string KeyVault::PathOf(const KeyName& name) const {
  return folder_ + "/keys/" +
         ToHex(Sha256({"exemplar-vault-v1 name\n", name.subject, "\n",
                       name.retention_class})) +
         ".key";
}

Result<DataKey> KeyVault::KeyFor(const KeyName& name) {
  std::lock_guard lock(mutex_);
  Result<DataKey> found = FindLocked(name);
  if (found.status().code() != StatusCode::kNotFound) return found;
  const DataKey key = NewDataKey();
  Result<bool> created = CreatePrivateFile(
      PathOf(name), Seal(master_key_, AsText(key), WrapPlace(name)));
  if (!created.ok()) return created.status();
  if (!*created) return FindLocked(name);  // another process made it first
  known_[{name.subject, name.retention_class}] = key;
  return key;
}

Result<DataKey> KeyVault::Find(const KeyName& name) const {
  std::lock_guard lock(mutex_);
  return FindLocked(name);
}

Result<DataKey> KeyVault::FindLocked(const KeyName& name) const {
  auto known = known_.find({name.subject, name.retention_class});
  if (known != known_.end()) return known->second;
  Result<std::string> wrapped = ReadPrivateFile(PathOf(name));
  if (!wrapped.ok()) return wrapped.status();
  Result<std::string> key =
      crypto::Open(master_key_, *wrapped, WrapPlace(name));
  if (!key.ok() || key->size() != DataKey().size()) {
    return Status::PermissionDenied("the key file of " + name.subject +
                                    " does not open under this vault's key");
  }
  DataKey out;
  std::copy(key->begin(), key->end(), out.begin());
  known_.emplace(std::make_pair(name.subject, name.retention_class), out);
  return out;
}

Status KeyVault::Destroy(const KeyName& name) {
  std::lock_guard lock(mutex_);
  known_.erase({name.subject, name.retention_class});
  return ShredFile(PathOf(name));
}

}  // namespace exemplar::crypto
