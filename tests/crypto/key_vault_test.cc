// The key vault: one key per subject and retention class, handed out with
// its stored form until it is stored, kept across opens under the master
// key only, and destroyed in its storage. The physical side, no file
// keeping a destroyed key, is tested with the store that keeps the vault
// (tests/e2e/erasure_test.cc).
#include "crypto/key_vault.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace exemplar::crypto {
namespace {

const KeyName kNomination{"e1", "nomination"};
const KeyName kDecision{"e1", "published"};

// Storage in memory; reads are counted, and `after_read` runs between a
// read and its answer.
class MemoryStorage : public KeyStorage {
 public:
  Result<std::optional<std::string>> Read(std::string_view id) override {
    ++reads;
    auto found = values.find(std::string(id));
    std::optional<std::string> value;
    if (found != values.end()) value = found->second;
    if (after_read) after_read();
    return value;
  }
  Status Write(std::string_view id, std::string_view value) override {
    values[std::string(id)] = value;
    return Status::Ok();
  }
  Status Shred(const std::vector<std::string>& ids) override {
    for (const std::string& id : ids) values.erase(id);
    return Status::Ok();
  }
  // What a caller writes with its data.
  void Store(const std::vector<StoredKey>& keys) {
    for (const StoredKey& key : keys) values[key.id] = key.wrapped;
  }

  std::map<std::string, std::string> values;
  int reads = 0;
  std::function<void()> after_read;
};

class KeyVaultTest : public ::testing::Test {
 protected:
  std::unique_ptr<KeyVault> OpenVault(const DataKey& master) {
    Result<std::unique_ptr<KeyVault>> vault = KeyVault::Open(&storage_, master);
    EXPECT_TRUE(vault.ok()) << vault.status().ToString();
    return vault.ok() ? std::move(*vault) : nullptr;
  }
  // The key of `name`, stored as a caller would.
  DataKey StoredKeyOf(KeyVault* vault, const KeyName& name) {
    std::vector<StoredKey> to_store;
    DataKey key = vault->KeyFor(name, &to_store).value();
    storage_.Store(to_store);
    vault->Stored({name});
    return key;
  }

  MemoryStorage storage_;
  const DataKey master_ = NewDataKey();
};

TEST_F(KeyVaultTest, ANewKeyComesWithItsStoredFormUntilItIsStored) {
  auto vault = OpenVault(master_);
  std::vector<StoredKey> first, again, after;
  const DataKey key = vault->KeyFor(kNomination, &first).value();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, HashedKeyId(kNomination));
  // Asked again before it was stored (a second command on the subject):
  // the same key, and again its stored form.
  EXPECT_EQ(vault->KeyFor(kNomination, &again).value(), key);
  ASSERT_EQ(again.size(), 1u);
  storage_.Store(first);
  vault->Stored({kNomination});
  EXPECT_EQ(vault->KeyFor(kNomination, &after).value(), key);
  EXPECT_TRUE(after.empty());
}

// A subject seen for the first time has no key stored: its key is made
// without a read, and comes with its stored form as any new key.
TEST_F(KeyVaultTest, ASurelyNewKeyIsMadeWithoutReadingStorage) {
  auto vault = OpenVault(master_);
  const int reads_before = storage_.reads;
  std::vector<StoredKey> to_store;
  const DataKey key =
      vault->KeyFor(kNomination, &to_store, /*surely_new=*/true).value();
  EXPECT_EQ(storage_.reads, reads_before);
  ASSERT_EQ(to_store.size(), 1u);
  storage_.Store(to_store);
  vault->Stored({kNomination});
  auto reopened = OpenVault(master_);
  EXPECT_EQ(reopened->Find(kNomination).value(), key);
  // Not said to be new: storage is read.
  const int reads_then = storage_.reads;
  std::vector<StoredKey> other;
  vault->KeyFor(kDecision, &other).value();
  EXPECT_EQ(storage_.reads, reads_then + 1);
}

// Two commands creating the same exemplar race: both say its subject is
// new, and both get the one key made first, so that whichever is stored
// opens what either sealed.
TEST_F(KeyVaultTest, ASurelyNewKeyMadeTwiceIsTheKeyMadeFirst) {
  auto vault = OpenVault(master_);
  std::vector<StoredKey> first, second;
  const DataKey key =
      vault->KeyFor(kNomination, &first, /*surely_new=*/true).value();
  EXPECT_EQ(vault->KeyFor(kNomination, &second, /*surely_new=*/true).value(),
            key);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].wrapped, first[0].wrapped);
}

TEST_F(KeyVaultTest, AStoredKeyIsKeptAcrossOpensAndAnUnstoredOneIsNot) {
  DataKey nomination;
  {
    auto vault = OpenVault(master_);
    nomination = StoredKeyOf(vault.get(), kNomination);
    std::vector<StoredKey> never_stored;
    vault->KeyFor(kDecision, &never_stored).value();
  }
  auto reopened = OpenVault(master_);
  EXPECT_EQ(*reopened->Find(kNomination), nomination);
  EXPECT_EQ(reopened->Find(kDecision).status().code(), StatusCode::kNotFound);
}

TEST_F(KeyVaultTest, KeysAreStoredWrappedUnderIdsThatTellNothing) {
  auto vault = OpenVault(master_);
  const DataKey key = StoredKeyOf(vault.get(), kNomination);
  const std::string raw(reinterpret_cast<const char*>(key.data()), key.size());
  for (const auto& [id, value] : storage_.values) {
    EXPECT_EQ(id.find("e1"), std::string::npos);
    EXPECT_EQ(id.find("nomination"), std::string::npos);
    EXPECT_EQ(value.find(raw), std::string::npos);
  }
}

// Stores keep their keys under these ids: the hash may never change.
TEST(HashedKeyIdTest, IsTheSha256OfTheNamedFormInHex) {
  EXPECT_EQ(HashedKeyId({"ex-0123456789abcdef0123", "exemplar_file"}),
            "98cf2bce7f270c8b1922a82be892fe62d273e90d7f049fb4c5c5a9d42382ecff");
}

// A storage may order its keys: the vault writes, reads and destroys each
// key under the id its storage draws for the name.
TEST_F(KeyVaultTest, KeysLiveUnderTheIdsTheirStorageDraws) {
  class PrefixedStorage : public MemoryStorage {
   public:
    std::string IdOf(const KeyName& name) const override {
      return "ordered-" + HashedKeyId(name);
    }
  };
  PrefixedStorage storage;
  auto vault = KeyVault::Open(&storage, master_).value();
  std::vector<StoredKey> made;
  const DataKey key = vault->KeyFor(kNomination, &made).value();
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].id, "ordered-" + HashedKeyId(kNomination));
  storage.Store(made);

  auto reopened = KeyVault::Open(&storage, master_).value();
  EXPECT_EQ(*reopened->Find(kNomination), key);
  ASSERT_TRUE(reopened->Destroy({kNomination}).ok());
  EXPECT_EQ(storage.values.count(made[0].id), 0u);
  EXPECT_EQ(reopened->Find(kNomination).status().code(), StatusCode::kNotFound);
}

TEST_F(KeyVaultTest, AnotherMasterKeyDoesNotOpenTheVault) {
  StoredKeyOf(OpenVault(master_).get(), kNomination);
  Result<std::unique_ptr<KeyVault>> wrong =
      KeyVault::Open(&storage_, NewDataKey());
  EXPECT_EQ(wrong.status().code(), StatusCode::kPermissionDenied);
}

// A purpose's key is the same at every open under one master key, and
// tells nothing of the master key or of another purpose's key.
TEST_F(KeyVaultTest, APurposeKeyIsStableAndApartFromTheOthers) {
  const DataKey uploads = OpenVault(master_)->PurposeKey("uploads");
  EXPECT_EQ(OpenVault(master_)->PurposeKey("uploads"), uploads);
  EXPECT_NE(OpenVault(master_)->PurposeKey("uploads "), uploads);
  EXPECT_NE(uploads, master_);
  MemoryStorage other;
  const DataKey other_master = NewDataKey();
  auto other_vault = KeyVault::Open(&other, other_master);
  ASSERT_TRUE(other_vault.ok());
  EXPECT_NE((*other_vault)->PurposeKey("uploads"), uploads);
}

TEST_F(KeyVaultTest, AKeyMovedToAnotherNameDoesNotOpenThere) {
  {
    auto vault = OpenVault(master_);
    StoredKeyOf(vault.get(), kNomination);
    StoredKeyOf(vault.get(), kDecision);
  }
  storage_.values[HashedKeyId(kDecision)] =
      storage_.values[HashedKeyId(kNomination)];
  auto reopened = OpenVault(master_);
  EXPECT_TRUE(reopened->Find(kNomination).ok());
  EXPECT_EQ(reopened->Find(kDecision).status().code(),
            StatusCode::kPermissionDenied);
}

// Erasing one record of a person: the nomination's key goes, the published
// decision's stays; a key made for the name afterwards is a new one.
TEST_F(KeyVaultTest, ADestroyedKeyIsGoneAndTheOtherStays) {
  auto vault = OpenVault(master_);
  const DataKey nomination = StoredKeyOf(vault.get(), kNomination);
  const DataKey decision = StoredKeyOf(vault.get(), kDecision);

  ASSERT_TRUE(vault->Destroy({kNomination}).ok());
  EXPECT_EQ(vault->Find(kNomination).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(storage_.values.count(HashedKeyId(kNomination)), 0u);
  EXPECT_EQ(*vault->Find(kDecision), decision);
  EXPECT_TRUE(vault->Destroy({kNomination}).ok());  // again: nothing to do

  auto reopened = OpenVault(master_);
  EXPECT_EQ(reopened->Find(kNomination).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*reopened->Find(kDecision), decision);
  EXPECT_NE(StoredKeyOf(reopened.get(), kNomination), nomination);
}

// A rebuild needs each subject's key once: FindOnce reads it from storage
// every time and leaves nothing remembered, so that a Find after it reads
// storage too; a destroyed key is not found, and a key not yet stored
// (which seals nothing in the log yet) is not found either.
TEST_F(KeyVaultTest, FindOnceReadsStorageAndRemembersNothing) {
  auto writer = OpenVault(master_);
  const DataKey key = StoredKeyOf(writer.get(), kNomination);
  auto reader = OpenVault(master_);
  const int reads_before = storage_.reads;
  EXPECT_EQ(reader->FindOnce(kNomination).value(), key);
  EXPECT_EQ(reader->FindOnce(kNomination).value(), key);
  EXPECT_EQ(storage_.reads, reads_before + 2);
  EXPECT_EQ(reader->Find(kNomination).value(), key);
  EXPECT_EQ(storage_.reads, reads_before + 3);

  ASSERT_TRUE(writer->Destroy({kNomination}).ok());
  EXPECT_EQ(writer->FindOnce(kNomination).status().code(),
            StatusCode::kNotFound);
  std::vector<StoredKey> unstored;
  writer->KeyFor(kDecision, &unstored).value();
  EXPECT_EQ(writer->FindOnce(kDecision).status().code(), StatusCode::kNotFound);
}

// An erasure landing while another thread reads the key: what that read
// found must not be remembered, or the erased data would open until the
// next restart.
TEST_F(KeyVaultTest, AKeyDestroyedWhileBeingReadIsNotRemembered) {
  auto writer = OpenVault(master_);
  StoredKeyOf(writer.get(), kNomination);
  auto reader = OpenVault(master_);
  bool destroyed = false;
  storage_.after_read = [&] {
    if (destroyed) return;
    destroyed = true;
    ASSERT_TRUE(reader->Destroy({kNomination}).ok());
  };

  EXPECT_EQ(reader->Find(kNomination).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(destroyed);
  storage_.after_read = nullptr;
  EXPECT_EQ(reader->Find(kNomination).status().code(), StatusCode::kNotFound);
}

// The vault remembers a bounded number of keys: past the bound, stored
// keys are read again from storage, while a key not yet stored is never
// forgotten (forgetting it would make a second key for the same name).
TEST_F(KeyVaultTest, PastItsBoundTheVaultForgetsOnlyStoredKeys) {
  auto vault = OpenVault(master_);
  std::vector<StoredKey> pending;
  const KeyName unstored{"pending", "nomination"};
  const DataKey pending_key = *vault->KeyFor(unstored, &pending);
  const DataKey first = StoredKeyOf(vault.get(), kNomination);
  for (int i = 0; i < 70000; ++i) {
    StoredKeyOf(vault.get(), {"subject-" + std::to_string(i), "nomination"});
  }

  const int reads_before = storage_.reads;
  EXPECT_EQ(*vault->Find(kNomination), first);
  EXPECT_EQ(storage_.reads, reads_before + 1);  // forgotten, read again
  std::vector<StoredKey> still_pending;
  EXPECT_EQ(*vault->KeyFor(unstored, &still_pending), pending_key);
  EXPECT_EQ(still_pending.size(), 1u);
}

}  // namespace
}  // namespace exemplar::crypto
