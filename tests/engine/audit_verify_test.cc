#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "engine/audit/audit_log.h"
#include "engine/audit/verify.h"
#include "tests/support/damage.h"
#include "tests/support/raw_db.h"
#include "tests/support/temp_dir.h"

namespace exemplar::audit {
namespace {

using exemplar::testing::DamageBytes;
using exemplar::testing::RawDb;
using exemplar::testing::TempDir;
constexpr std::uint64_t kEvents = 12;

class AuditVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = EventStore::Open(original_.str()).value();
    for (std::uint64_t i = 0; i < kEvents; ++i) {
      AppendRequest request;
      request.stream_id = "exemplar-" + std::to_string(i % 3);
      request.idempotency_key = "key-" + std::to_string(i);
      NewEvent event;
      event.type = "recorded";
      event.payload = "Phạm Thị Lan " + std::to_string(i);
      request.events.push_back(event);
      ASSERT_TRUE(store->Append(request).ok());
      if (i == 5) SignHead(store.get());
    }
    SignHead(store.get());
  }

  void SignHead(EventStore* store) {
    auto signer = HeadSigner::Open(original_.str()).value();
    auto log = AuditLog::Open(store, std::move(signer)).value();
    ASSERT_TRUE(log->Head(/*force=*/true).ok());
  }

  // A copy of the store to tamper with.
  std::string Copy(const TempDir& target) {
    std::filesystem::copy(
        original_.path(), target.path(),
        std::filesystem::copy_options::recursive |
            std::filesystem::copy_options::overwrite_existing);
    return target.str();
  }

  Result<VerifyReport> Verify(const std::string& path) {
    StoreOptions options;
    options.create_if_missing = false;
    auto store = EventStore::Open(path, options);
    if (!store.ok()) return store.status();
    auto key = HeadSigner::Open(original_.str()).value()->public_key();
    return VerifyStore(**store, key);
  }

  TempDir original_;
};

TEST_F(AuditVerifyTest, UntouchedStoreVerifies) {
  auto report = Verify(original_.str());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->events, kEvents);
  EXPECT_EQ(report->signed_heads, 2u);
}

TEST_F(AuditVerifyTest, FlippedByteInEachEventIsFoundAtItsPosition) {
  for (std::uint64_t p = 1; p <= kEvents; ++p) {
    TempDir copy;
    std::string path = Copy(copy);
    {
      RawDb raw(path);
      std::string value = raw.Get(p);
      value[value.size() / 2] ^= 0x20;
      raw.Put(p, value);
    }
    auto report = Verify(path);
    if (p == kEvents) {
      // The head event is checked when the store opens.
      ASSERT_FALSE(report.ok());
      EXPECT_EQ(report.status().number(), std::optional<std::uint64_t>(p));
      continue;
    }
    ASSERT_FALSE(report.ok()) << "position " << p;
    EXPECT_EQ(report.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(report.status().number(), std::optional<std::uint64_t>(p));
  }
}

TEST_F(AuditVerifyTest, DamagedTableFileIsNamedWithWhatItHolds) {
  const std::map<std::string, std::string> holds = {
      {"events", "the log's events"},
      {"streams", "the stream index"},
      {"audit", "the Merkle tree's nodes and the signed tree heads"}};
  for (const auto& [family, what] : holds) {
    TempDir copy;
    std::string path = Copy(copy);
    std::string file;
    {
      RawDb raw(path);
      std::vector<std::string> files = raw.TableFiles(family);
      ASSERT_EQ(files.size(), 1u) << family;
      file = files.front();
    }
    DamageBytes(file);
    auto report = Verify(path);
    ASSERT_FALSE(report.ok()) << family;
    EXPECT_EQ(report.status().code(), StatusCode::kCorruption) << family;
    EXPECT_EQ(report.status().number(), 0u) << family;
    const std::string& message = report.status().message();
    EXPECT_EQ(message.find("table file " + file + " (column family \"" +
                           family + "\": " + what + ") is damaged: "),
              0u)
        << message;
    EXPECT_NE(message.find("Corruption: "), std::string::npos) << message;
  }
}

TEST_F(AuditVerifyTest, DeletedEventIsFoundAtItsPosition) {
  TempDir copy;
  std::string path = Copy(copy);
  {
    RawDb raw(path);
    raw.Delete(4);
  }
  auto report = Verify(path);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().number(), std::optional<std::uint64_t>(4));
}

TEST_F(AuditVerifyTest, SwappedEventsAreFoundAtTheFirst) {
  TempDir copy;
  std::string path = Copy(copy);
  {
    RawDb raw(path);
    std::string third = raw.Get(3), seventh = raw.Get(7);
    raw.Put(3, seventh);
    raw.Put(7, third);
  }
  auto report = Verify(path);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().number(), std::optional<std::uint64_t>(3));
}

// Verify decodes the log in batches of 4,096 events on a second thread:
// damage on either side of a batch boundary is still found at its position.
TEST(AuditVerifyBatchesTest, DamageAcrossBatchBoundariesIsFoundInOrder) {
  TempDir original;
  {
    auto store = EventStore::Open(original.str()).value();
    for (int round = 0; round < 10; ++round) {
      AppendRequest request;
      request.stream_id = "bulk-" + std::to_string(round);
      for (int i = 0; i < 1000; ++i) {
        NewEvent event;
        event.type = "recorded";
        event.payload = "Nguyễn Văn An " + std::to_string(i);
        request.events.push_back(event);
      }
      ASSERT_TRUE(store->Append(request).ok());
    }
    auto clean = VerifyStore(*store, std::nullopt);
    ASSERT_TRUE(clean.ok()) << clean.status().ToString();
    EXPECT_EQ(clean->events, 10000u);
  }
  struct Damage {
    std::uint64_t deleted;
    std::uint64_t flipped;
    std::uint64_t expected;
  };
  for (const Damage& damage : std::vector<Damage>{{4097, 0, 4097},
                                                  {0, 4096, 4096},
                                                  {8193, 4100, 4100},
                                                  {4101, 8200, 4101},
                                                  {4101, 4099, 4099},
                                                  {0, 9999, 9999}}) {
    TempDir copy;
    std::filesystem::copy(
        original.path(), copy.path(),
        std::filesystem::copy_options::recursive |
            std::filesystem::copy_options::overwrite_existing);
    {
      RawDb raw(copy.str());
      if (damage.deleted) {
        raw.Delete(damage.deleted);
      }
      if (damage.flipped) {
        std::string value = raw.Get(damage.flipped);
        value[value.size() / 2] ^= 0x20;
        raw.Put(damage.flipped, value);
      }
    }
    StoreOptions options;
    options.create_if_missing = false;
    auto store = EventStore::Open(copy.str(), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto report = VerifyStore(**store, std::nullopt);
    ASSERT_FALSE(report.ok()) << damage.expected;
    EXPECT_EQ(report.status().number(),
              std::optional<std::uint64_t>(damage.expected));
  }
}

TEST_F(AuditVerifyTest, StreamIndexEntryMovedToAnotherEventIsFound) {
  TempDir copy;
  std::string path = Copy(copy);
  {
    // exemplar-1's version 0 (position 2) now points at position 5.
    RawDb raw(path);
    raw.PutIn(layout::kStreamsFamily, layout::StreamKey("exemplar-1", 0),
              layout::PositionKey(5));
  }
  auto report = Verify(path);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().number(), std::optional<std::uint64_t>(5));
  EXPECT_NE(report.status().message().find("stream index"), std::string::npos);
}

TEST_F(AuditVerifyTest, HeadsUnderAnotherKeyAreRejected) {
  auto store = EventStore::Open(original_.str()).value();
  TempDir elsewhere;
  auto other_key = HeadSigner::Open(elsewhere.str()).value()->public_key();
  auto report = VerifyStore(*store, other_key);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("signature"), std::string::npos);
}

TEST_F(AuditVerifyTest, ProofsFromTheStoreVerifyAgainstItsSignedHead) {
  auto store = EventStore::Open(original_.str()).value();
  auto log =
      AuditLog::Open(store.get(), HeadSigner::Open(original_.str()).value())
          .value();
  auto head = log->Head().value();
  ASSERT_EQ(head.tree_size, kEvents);
  // The proofs need no signing key: a TreeReader over the store.
  TreeReader tree(*store);
  for (std::uint64_t p = 1; p <= kEvents; ++p) {
    auto proof = tree.Inclusion(p, kEvents).value();
    EXPECT_TRUE(VerifyInclusion(LeafHash(AsBytes(store->ReadEvent(p)->hash)),
                                proof.leaf_index, head.tree_size, proof.path,
                                head.root_hash)
                    .ok());
  }
  auto old_root = tree.Root(6).value();
  auto consistency = tree.Consistency(6, kEvents).value();
  EXPECT_TRUE(
      VerifyConsistency(6, kEvents, old_root, head.root_hash, consistency.path)
          .ok());
  EXPECT_FALSE(tree.Inclusion(0, kEvents).ok());
  EXPECT_FALSE(tree.Inclusion(3, kEvents + 1).ok());
  EXPECT_FALSE(tree.Root(kEvents + 1).ok());
}

TEST_F(AuditVerifyTest, TreeIsCaughtUpWhenTheStoreWasWrittenWithoutIt) {
  TempDir dir;
  StoreOptions without;
  without.maintain_merkle_tree = false;
  {
    auto store = EventStore::Open(dir.str(), without).value();
    AppendRequest request;
    request.stream_id = "s";
    request.events.resize(5);
    for (auto& e : request.events) e.type = "t";
    ASSERT_TRUE(store->Append(request).ok());
  }
  auto store = EventStore::Open(dir.str()).value();
  auto report = VerifyStore(*store, std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->events, 5u);
}

}  // namespace
}  // namespace exemplar::audit
