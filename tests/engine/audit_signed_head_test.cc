// Signed tree heads: Ed25519 signing and verification, the key file, the
// ordering rules, storage in the audit family and the JSON forms.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "engine/audit/audit_json.h"
#include "engine/audit/merkle.h"
#include "engine/audit/signed_head.h"
#include "engine/event_store.h"
#include "tests/engine/audit_test_util.h"

namespace exemplar::audit {
namespace {

using testing::FakeEventHash;

class SignedHeadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("signed-head");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<HeadSigner> OpenSigner(const std::filesystem::path& dir) {
    Result<std::unique_ptr<HeadSigner>> signer = HeadSigner::Open(dir.string());
    EXPECT_TRUE(signer.ok()) << signer.status().ToString();
    return signer.ok() ? std::move(signer).value() : nullptr;
  }

  std::filesystem::path dir_;
};

const Hash256 kRoot = FakeEventHash(1);

TEST_F(SignedHeadTest, SignedHeadVerifiesWithTheSignersKey) {
  std::unique_ptr<HeadSigner> signer = OpenSigner(dir_);
  ASSERT_NE(signer, nullptr);
  Result<SignedTreeHead> head = signer->Sign(8, kRoot, 1'700'000'000'000'000);
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->tree_size, 8u);
  EXPECT_EQ(head->root_hash, kRoot);
  EXPECT_EQ(head->timestamp_us, 1'700'000'000'000'000);
  Status verified = VerifySignedHead(*head, signer->public_key());
  EXPECT_TRUE(verified.ok()) << verified.ToString();
}

TEST_F(SignedHeadTest, AlteredHeadOrSignatureIsRejected) {
  std::unique_ptr<HeadSigner> signer = OpenSigner(dir_);
  ASSERT_NE(signer, nullptr);
  SignedTreeHead head = *signer->Sign(8, kRoot, 1000);
  const Ed25519PublicKey& key = signer->public_key();

  SignedTreeHead bad = head;
  bad.signature[10] ^= 0x01;
  EXPECT_EQ(VerifySignedHead(bad, key).field(), "signature");
  bad = head;
  bad.tree_size = 9;
  EXPECT_FALSE(VerifySignedHead(bad, key).ok());
  bad = head;
  bad.timestamp_us += 1;
  EXPECT_FALSE(VerifySignedHead(bad, key).ok());
  bad = head;
  bad.root_hash[31] ^= 0x80;
  EXPECT_FALSE(VerifySignedHead(bad, key).ok());
  bad = head;
  bad.signature = {};
  EXPECT_FALSE(VerifySignedHead(bad, key).ok());
}

TEST_F(SignedHeadTest, HeadIsRejectedUnderAnotherKey) {
  std::filesystem::path other_dir = testing::MakeTempDir("signed-head-other");
  std::unique_ptr<HeadSigner> signer = OpenSigner(dir_);
  std::unique_ptr<HeadSigner> other = OpenSigner(other_dir);
  ASSERT_NE(signer, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_NE(signer->public_key(), other->public_key());
  SignedTreeHead head = *signer->Sign(3, kRoot, 1000);
  EXPECT_FALSE(VerifySignedHead(head, other->public_key()).ok());
  std::filesystem::remove_all(other_dir);
}

TEST_F(SignedHeadTest, KeyFileIsCreatedWithMode0600AndReloadsToTheSameKey) {
  std::unique_ptr<HeadSigner> first = OpenSigner(dir_);
  ASSERT_NE(first, nullptr);
  struct stat info {};
  ASSERT_EQ(::stat(first->key_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);

  std::unique_ptr<HeadSigner> second = OpenSigner(dir_);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->public_key(), first->public_key());
  EXPECT_EQ(second->PublicKeyPem(), first->PublicKeyPem());
  SignedTreeHead head = *second->Sign(1, kRoot, 5);
  EXPECT_TRUE(VerifySignedHead(head, first->public_key()).ok());
}

TEST_F(SignedHeadTest, GivenKeyPathMustExistAndHoldAnEd25519Key) {
  HeadSignerOptions missing;
  missing.key_path = (dir_ / "absent.pem").string();
  EXPECT_EQ(HeadSigner::Open(dir_.string(), missing).status().code(),
            StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(missing.key_path));

  HeadSignerOptions garbage;
  garbage.key_path = (dir_ / "garbage.pem").string();
  std::ofstream(garbage.key_path) << "not a key\n";
  EXPECT_EQ(HeadSigner::Open(dir_.string(), garbage).status().code(),
            StatusCode::kInvalidArgument);

  std::unique_ptr<HeadSigner> created = OpenSigner(dir_);
  ASSERT_NE(created, nullptr);
  HeadSignerOptions explicit_path;
  explicit_path.key_path = created->key_path();
  Result<std::unique_ptr<HeadSigner>> loaded =
      HeadSigner::Open("/nonexistent", explicit_path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->public_key(), created->public_key());
}

TEST_F(SignedHeadTest, PublicKeyExportsAsPemAndHex) {
  std::unique_ptr<HeadSigner> signer = OpenSigner(dir_);
  ASSERT_NE(signer, nullptr);
  std::string pem = signer->PublicKeyPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  Result<Ed25519PublicKey> from_pem = PublicKeyFromPem(pem);
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  EXPECT_EQ(*from_pem, signer->public_key());
  EXPECT_EQ(signer->PublicKeyHex().size(), 64u);
  EXPECT_EQ(*PublicKeyFromHex(signer->PublicKeyHex()), signer->public_key());
  EXPECT_FALSE(PublicKeyFromPem("-----BEGIN PUBLIC KEY-----\n").ok());
  EXPECT_FALSE(PublicKeyFromHex("abc").ok());
}

TEST_F(SignedHeadTest, ClockGoingBackwardsStillGivesIncreasingTimestamps) {
  std::unique_ptr<HeadSigner> signer = OpenSigner(dir_);
  ASSERT_NE(signer, nullptr);
  SignedTreeHead first = *signer->Sign(1, kRoot, 5000);
  SignedTreeHead earlier_clock = *signer->Sign(2, kRoot, 4000);
  SignedTreeHead same_clock = *signer->Sign(3, kRoot, 5001);
  EXPECT_EQ(earlier_clock.timestamp_us, 5001);
  EXPECT_EQ(same_clock.timestamp_us, 5002);
  EXPECT_TRUE(VerifySignedHead(earlier_clock, signer->public_key()).ok());
  EXPECT_TRUE(VerifyHeadSequence({first, earlier_clock, same_clock}).ok());
}

TEST_F(SignedHeadTest, SignerRefusesShrinkingSizeOrAForkedRoot) {
  std::unique_ptr<HeadSigner> signer = OpenSigner(dir_);
  ASSERT_NE(signer, nullptr);
  SignedTreeHead last = *signer->Sign(10, kRoot, 100);
  EXPECT_EQ(signer->Sign(9, kRoot, 200).status().field(), "tree_size");
  EXPECT_EQ(signer->Sign(10, FakeEventHash(2), 200).status().field(),
            "root_hash");
  EXPECT_TRUE(signer->Sign(10, kRoot, 200).ok());

  std::unique_ptr<HeadSigner> restarted = OpenSigner(dir_);
  ASSERT_NE(restarted, nullptr);
  restarted->ContinueFrom(last);
  EXPECT_EQ(restarted->Sign(9, kRoot, 200).status().field(), "tree_size");
  EXPECT_EQ(restarted->Sign(11, kRoot, 50)->timestamp_us, 101);
}

TEST_F(SignedHeadTest, SequenceWithTimestampGoingBackwardsIsRejected) {
  SignedTreeHead a{1, kRoot, 100, {}};
  SignedTreeHead b{2, FakeEventHash(2), 99, {}};
  Status status = VerifyHeadSequence({a, b});
  EXPECT_EQ(status.field(), "timestamp_us");
  b.timestamp_us = 100;
  EXPECT_EQ(VerifyHeadSequence({a, b}).field(), "timestamp_us");
  b.timestamp_us = 101;
  EXPECT_TRUE(VerifyHeadSequence({a, b}).ok());
  EXPECT_TRUE(VerifyHeadSequence({}).ok());
}

TEST_F(SignedHeadTest,
       SequenceWithShrinkingSizeOrTwoRootsForOneSizeIsRejected) {
  SignedTreeHead a{5, kRoot, 100, {}};
  SignedTreeHead smaller{4, kRoot, 200, {}};
  SignedTreeHead forked{5, FakeEventHash(2), 200, {}};
  SignedTreeHead same{5, kRoot, 200, {}};
  EXPECT_EQ(VerifyHeadSequence({a, smaller}).field(), "tree_size");
  EXPECT_EQ(VerifyHeadSequence({a, forked}).field(), "root_hash");
  EXPECT_TRUE(VerifyHeadSequence({a, same}).ok());
}

TEST_F(SignedHeadTest, SignedBytesAreMagicSizeTimestampRoot) {
  SignedTreeHead head{0x0102, kRoot, 0x0304, {}};
  std::string bytes = SignedTreeHeadBytes(head);
  ASSERT_EQ(bytes.size(), 63u);
  EXPECT_EQ(bytes.substr(0, 15), "exemplar-sth-v1");
  EXPECT_EQ(bytes.substr(15, 8), std::string("\0\0\0\0\0\0\x01\x02", 8));
  EXPECT_EQ(bytes.substr(23, 8), std::string("\0\0\0\0\0\0\x03\x04", 8));
  EXPECT_EQ(bytes.substr(31), std::string(AsBytes(kRoot)));
}

TEST_F(SignedHeadTest, StoredHeadsSortBySizeAndLatestIsTheLargest) {
  auto store = EventStore::Open((dir_ / "store").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  SideStore& side = (*store)->side_store();
  EXPECT_FALSE(LoadLatestSignedHead(side)->has_value());
  // Merkle nodes and the tree size share the audit family and must be
  // skipped: four events store a level-2 node and the size.
  for (int i = 0; i < 4; ++i) {
    AppendRequest request;
    request.stream_id = "s";
    request.events.emplace_back();
    request.events.back().type = "t";
    ASSERT_TRUE((*store)->Append(std::move(request)).ok());
  }
  EXPECT_FALSE(LoadLatestSignedHead(side)->has_value());

  std::unique_ptr<HeadSigner> signer = OpenSigner(dir_);
  ASSERT_NE(signer, nullptr);
  std::vector<SignedTreeHead> signed_heads;
  for (std::uint64_t size : {1, 255, 256, 70000}) {
    signed_heads.push_back(*signer->Sign(size, FakeEventHash(size), 1000));
  }
  for (auto it = signed_heads.rbegin(); it != signed_heads.rend(); ++it) {
    ASSERT_TRUE(PutSignedHead(side, *it).ok());
  }

  Result<std::optional<SignedTreeHead>> latest = LoadLatestSignedHead(side);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(*latest, signed_heads.back());
  EXPECT_EQ(**LoadSignedHead(side, 255), signed_heads[1]);
  EXPECT_FALSE(LoadSignedHead(side, 254)->has_value());
  Result<std::vector<SignedTreeHead>> all = LoadSignedHeads(side, 0, 100);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(*all, signed_heads);
  EXPECT_TRUE(VerifyHeadSequence(*all).ok());
  EXPECT_EQ(LoadSignedHeads(side, 2, 2)->size(), 2u);
  EXPECT_EQ(LoadSignedHeads(side, 2, 2)->front(), signed_heads[1]);
}

TEST(AuditJsonTest, SignedTreeHeadRoundTripsThroughJson) {
  SignedTreeHead head{42, kRoot, 1'700'000'000'123'456, {}};
  head.signature.fill(0xAB);
  nlohmann::json json = ToJson(head);
  EXPECT_EQ(json["root_hash"], ToHex(kRoot));
  std::string signature_hex;
  for (int i = 0; i < 64; ++i) signature_hex += "ab";
  EXPECT_EQ(json["signature"], signature_hex);
  Result<SignedTreeHead> back = FromJson<SignedTreeHead>(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, head);
  Result<SignedTreeHead> reparsed =
      FromJson<SignedTreeHead>(nlohmann::json::parse(json.dump()));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*reparsed, head);
}

TEST(AuditJsonTest, ProofsRoundTripThroughJson) {
  InclusionProofData inclusion{
      5, 8, kRoot, {FakeEventHash(7), FakeEventHash(8)}};
  Result<InclusionProofData> inclusion_back = FromJson<InclusionProofData>(
      nlohmann::json::parse(ToJson(inclusion).dump()));
  ASSERT_TRUE(inclusion_back.ok()) << inclusion_back.status().ToString();
  EXPECT_EQ(*inclusion_back, inclusion);

  ConsistencyProofData consistency{6, 8, {FakeEventHash(9)}};
  Result<ConsistencyProofData> consistency_back =
      FromJson<ConsistencyProofData>(ToJson(consistency));
  ASSERT_TRUE(consistency_back.ok()) << consistency_back.status().ToString();
  EXPECT_EQ(*consistency_back, consistency);

  ConsistencyProofData empty{3, 3, {}};
  EXPECT_EQ(*FromJson<ConsistencyProofData>(ToJson(empty)), empty);
}

TEST(AuditJsonTest, MalformedJsonNamesTheBadMember) {
  nlohmann::json head = ToJson(SignedTreeHead{1, kRoot, 2, {}});
  nlohmann::json bad = head;
  bad["root_hash"] = "zz";
  EXPECT_EQ(FromJson<SignedTreeHead>(bad).status().field(), "root_hash");
  bad = head;
  bad["signature"] = std::string(126, '0');
  EXPECT_EQ(FromJson<SignedTreeHead>(bad).status().field(), "signature");
  bad = head;
  bad["tree_size"] = -1;
  EXPECT_EQ(FromJson<SignedTreeHead>(bad).status().field(), "tree_size");
  bad = head;
  bad.erase("timestamp_us");
  EXPECT_EQ(FromJson<SignedTreeHead>(bad).status().field(), "timestamp_us");
  EXPECT_EQ(FromJson<SignedTreeHead>(nlohmann::json::array()).status().code(),
            StatusCode::kInvalidArgument);

  nlohmann::json proof = ToJson(ConsistencyProofData{1, 2, {kRoot}});
  proof["path"][0] = 7;
  EXPECT_EQ(FromJson<ConsistencyProofData>(proof).status().field(), "path");
  proof["path"] = "not an array";
  EXPECT_EQ(FromJson<ConsistencyProofData>(proof).status().field(), "path");
}

}  // namespace
}  // namespace exemplar::audit
