// The key vault: one key per subject and retention class, kept across
// opens under the master key only, and destroyed so that no file under
// the folder holds it any more.
#include "crypto/key_vault.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "events/private_file.h"
#include "tests/support/temp_dir.h"

namespace exemplar::crypto {
namespace {

namespace fs = std::filesystem;

const KeyName kNomination{"exemplar-e1", "rejected_nomination"};
const KeyName kDecision{"exemplar-e1", "published_decision"};

std::string Bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Whether any file under `folder` holds `needle`.
bool AnyFileHolds(const fs::path& folder, std::string_view needle) {
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() &&
        Bytes(entry.path()).find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string_view AsText(const DataKey& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

class KeyVaultTest : public ::testing::Test {
 protected:
  std::unique_ptr<KeyVault> OpenVault(const DataKey& master) {
    Result<std::unique_ptr<KeyVault>> vault = KeyVault::Open(folder(), master);
    EXPECT_TRUE(vault.ok()) << vault.status().ToString();
    return vault.ok() ? std::move(*vault) : nullptr;
  }
  std::string folder() const { return dir_.str() + "/vault"; }

  testing::TempDir dir_;
  const DataKey master_ = NewDataKey();
};

TEST_F(KeyVaultTest, AKeyIsMadeOnceAndKeptAcrossOpens) {
  DataKey nomination, decision;
  {
    auto vault = OpenVault(master_);
    Result<DataKey> made = vault->KeyFor(kNomination);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    nomination = *made;
    EXPECT_EQ(*vault->KeyFor(kNomination), nomination);
    decision = *vault->KeyFor(kDecision);
    EXPECT_NE(decision, nomination);
  }
  auto reopened = OpenVault(master_);
  EXPECT_EQ(*reopened->Find(kNomination), nomination);
  EXPECT_EQ(*reopened->KeyFor(kDecision), decision);
  EXPECT_EQ(
      reopened->Find({"exemplar-e2", "rejected_nomination"}).status().code(),
      StatusCode::kNotFound);
}

TEST_F(KeyVaultTest, KeysAreStoredWrappedUnderNamesThatTellNothing) {
  auto vault = OpenVault(master_);
  const DataKey key = *vault->KeyFor(kNomination);
  EXPECT_FALSE(AnyFileHolds(folder(), AsText(key)));
  EXPECT_FALSE(AnyFileHolds(folder(), kNomination.subject));
  for (const auto& entry : fs::recursive_directory_iterator(folder())) {
    EXPECT_EQ(entry.path().string().find("exemplar-e1"), std::string::npos);
    if (!entry.is_regular_file()) continue;
    struct stat info {};
    ASSERT_EQ(::stat(entry.path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u) << entry.path();
  }
}

TEST_F(KeyVaultTest, AnotherMasterKeyDoesNotOpenTheVault) {
  OpenVault(master_)->KeyFor(kNomination).value();
  Result<std::unique_ptr<KeyVault>> wrong =
      KeyVault::Open(folder(), NewDataKey());
  EXPECT_EQ(wrong.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(KeyVaultTest, AKeyFileMovedToAnotherNameDoesNotOpenThere) {
  auto vault = OpenVault(master_);
  vault->KeyFor(kNomination).value();
  vault->KeyFor(kDecision).value();
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder() + "/keys")) {
    files.push_back(entry.path());
  }
  ASSERT_EQ(files.size(), 2u);
  fs::copy_file(files[0], files[1], fs::copy_options::overwrite_existing);
  auto reopened = OpenVault(master_);
  const Status first = reopened->Find(kNomination).status();
  const Status second = reopened->Find(kDecision).status();
  EXPECT_TRUE(first.code() == StatusCode::kPermissionDenied ||
              second.code() == StatusCode::kPermissionDenied);
}

// Erasing one record of a person: the rejected nomination's key goes, the
// published decision's stays, and no file under the vault holds the
// destroyed key's wrapped bytes or the key itself.
TEST_F(KeyVaultTest, ADestroyedKeyIsGoneFromEveryFileAndTheOtherStays) {
  auto vault = OpenVault(master_);
  const DataKey nomination = *vault->KeyFor(kNomination);
  const DataKey decision = *vault->KeyFor(kDecision);
  std::string wrapped;
  for (const auto& entry : fs::directory_iterator(folder() + "/keys")) {
    const std::string bytes = Bytes(entry.path());
    if (Open(master_, bytes,
             "exemplar-vault-v1 key\nexemplar-e1\nrejected_nomination")
            .ok()) {
      wrapped = bytes;
    }
  }
  ASSERT_FALSE(wrapped.empty());
  ASSERT_TRUE(AnyFileHolds(folder(), wrapped));

  ASSERT_TRUE(vault->Destroy(kNomination).ok());
  EXPECT_EQ(vault->Find(kNomination).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(AnyFileHolds(folder(), wrapped));
  EXPECT_FALSE(AnyFileHolds(folder(), AsText(nomination)));
  EXPECT_EQ(*vault->Find(kDecision), decision);
  EXPECT_TRUE(vault->Destroy(kNomination).ok());  // again: nothing to do

  auto reopened = OpenVault(master_);
  EXPECT_EQ(reopened->Find(kNomination).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*reopened->Find(kDecision), decision);
}

}  // namespace
}  // namespace exemplar::crypto
