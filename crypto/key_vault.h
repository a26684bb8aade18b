// The key vault: the data keys of personal data, one per data subject and
// retention class, kept apart from the log. Each key is wrapped
// (field_cipher.h) under the operator's master key, bound to its name, and
// lies in a file of its own (mode 0600, written durably) named by a hash
// of that name, so that neither the subject nor the class shows in the
// folder. Destroying a key overwrites and removes its file: every value
// sealed under it stops opening, while the log's bytes, hashes and proofs
// stay as they were (crypto-shredding).
//
// Layout of `folder`: `check` (a value sealed under the master key, which
// tells a wrong master key at open) and `keys/<hash>.key`.
//
// Thread safety: thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/field_cipher.h"
#include "events/status.h"

namespace exemplar::crypto {

// Whose data a key protects, and under which rule of keeping: one person's
// published decision and their rejected nomination are kept for different
// times, so they take different keys.
struct KeyName {
  std::string subject;
  std::string retention_class;
};

class KeyVault {
 public:
  // Opens the vault in `folder`, creating it when absent. kPermissionDenied
  // when `master_key` is not the one the vault was created with;
  // kCorruption when its check file does not decode; kIoError.
  static Result<std::unique_ptr<KeyVault>> Open(const std::string& folder,
                                                const DataKey& master_key);
  KeyVault(const KeyVault&) = delete;
  KeyVault& operator=(const KeyVault&) = delete;

  // The key of `name`, made and written durably when it has none.
  Result<DataKey> KeyFor(const KeyName& name);
  // The key of `name`. kNotFound when it has none: never made, or
  // destroyed. kPermissionDenied when its file does not open (another
  // vault's, or altered); kIoError.
  Result<DataKey> Find(const KeyName& name) const;
  // Destroys the key of `name` (its file overwritten, synced, removed); Ok
  // when it had none.
  Status Destroy(const KeyName& name);

  const std::string& folder() const { return folder_; }

 private:
  KeyVault(std::string folder, const DataKey& master_key)
      : folder_(std::move(folder)), master_key_(master_key) {}
  std::string PathOf(const KeyName& name) const;
  // Find with mutex_ held.
  Result<DataKey> FindLocked(const KeyName& name) const;

  const std::string folder_;
  const DataKey master_key_;
  mutable std::mutex mutex_;
  // Keys read or made, by (subject, class).
  mutable std::map<std::pair<std::string, std::string>, DataKey> known_;
};

}  // namespace exemplar::crypto
