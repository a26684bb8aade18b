// The document store: sealed chunks that open only under their key, in
// their order and whole; uploads that wait for their uploader alone; the
// limits; and staging kept across a reopen under its uploads key, emptied
// without it.
#include "documents/document_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "tests/support/temp_dir.h"

namespace exemplar::documents {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kNow = 1'780'000'000'000'000;

// `size` bytes of a recognisable text.
std::string Content(std::size_t size) {
  std::string text;
  while (text.size() < size) text += "Báo cáo thành tích của hộ bà Lan. ";
  text.resize(size);
  return text;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class DocumentStoreTest : public ::testing::Test {
 protected:
  DocumentStoreTest() { Reopen(); }

  void Reopen(DocumentOptions options = {},
              std::optional<crypto::DataKey> uploads_key = std::nullopt) {
    store_.reset();
    auto opened =
        DocumentStore::Open(dir_.str() + "/documents", options, uploads_key);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }

  // Uploads `content` as `user` in pieces of `piece` bytes.
  Result<StagedDocument> Upload(const std::string& content,
                                const std::string& user = "lan",
                                std::size_t piece = 10'000) {
    auto upload = store_->BeginUpload(user, kNow);
    if (!upload.ok()) return upload.status();
    for (std::size_t at = 0; at < content.size(); at += piece) {
      Status appended = (*upload)->Append(content.substr(at, piece));
      if (!appended.ok()) return appended;
    }
    return (*upload)->Finish("application/pdf", "Báo cáo.pdf", kNow);
  }

  // The stored document's plain content, read back under its key.
  Result<std::string> ReadBack(const DocumentRef& ref) {
    std::string out;
    Status read = store_->Read(ref.hash, ref.key, [&](std::string_view part) {
      out.append(part);
      return true;
    });
    if (!read.ok()) return read;
    return out;
  }

  // Uploads and claims `content`: a stored document.
  DocumentRef Stored(const std::string& content) {
    auto staged = Upload(content);
    EXPECT_TRUE(staged.ok()) << staged.status().ToString();
    auto claimed = store_->Claim(staged->ref.hash, "lan", kNow);
    EXPECT_TRUE(claimed.ok()) << claimed.status().ToString();
    return claimed->ref;
  }

  testing::TempDir dir_;
  std::unique_ptr<DocumentStore> store_;
};

TEST_F(DocumentStoreTest, ContentRoundTripsAcrossChunkBoundaries) {
  for (std::size_t size : {std::size_t{1}, kChunkBytes - 1, kChunkBytes,
                           kChunkBytes + 1, 3 * kChunkBytes + 17}) {
    const std::string content = Content(size);
    DocumentRef ref = Stored(content);
    EXPECT_EQ(ref.size, size);
    EXPECT_EQ(ref.name, "Báo cáo.pdf");
    EXPECT_TRUE(IsDocumentHash(ref.hash)) << ref.hash;
    Result<std::string> read = ReadBack(ref);
    ASSERT_TRUE(read.ok()) << size << ": " << read.status().ToString();
    EXPECT_EQ(*read, content) << size;
    EXPECT_TRUE(store_->Check(ref.hash).ok());
  }
}

TEST_F(DocumentStoreTest, TheFileHoldsNoPlainContentAndHashesToItsName) {
  DocumentRef ref = Stored(Content(3 * kChunkBytes));
  const std::string bytes = FileBytes(store_->PathOf(ref.hash));
  EXPECT_EQ(bytes.find("hộ bà Lan"), std::string::npos);
  EXPECT_EQ(bytes.size(), 3 * (kChunkBytes + crypto::kSealOverhead));
}

TEST_F(DocumentStoreTest, AnotherKeyDoesNotOpenIt) {
  DocumentRef ref = Stored(Content(1000));
  std::string other(32, 'k');
  Status read =
      store_->Read(ref.hash, other, [](std::string_view) { return true; });
  EXPECT_EQ(read.code(), StatusCode::kPermissionDenied) << read.ToString();
}

TEST_F(DocumentStoreTest, AlteredOrCutFilesAreCaught) {
  DocumentRef ref = Stored(Content(2 * kChunkBytes + 10));
  const std::string path = store_->PathOf(ref.hash);
  const std::string bytes = FileBytes(path);
  {
    std::string altered = bytes;
    altered[kChunkBytes + 100] ^= 1;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << altered;
    EXPECT_EQ(store_->Check(ref.hash).code(), StatusCode::kCorruption);
    EXPECT_EQ(ReadBack(ref).status().code(), StatusCode::kCorruption);
  }
  {
    // Cut at a chunk's end: the new last chunk was not sealed as the last.
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        << bytes.substr(0, kChunkBytes + crypto::kSealOverhead);
    EXPECT_EQ(ReadBack(ref).status().code(), StatusCode::kCorruption);
  }
  fs::remove(path);
  EXPECT_EQ(store_->Check(ref.hash).code(), StatusCode::kNotFound);
  EXPECT_EQ(ReadBack(ref).status().code(), StatusCode::kNotFound);
}

TEST_F(DocumentStoreTest, LimitsAreRefusedAndLeaveNothing) {
  DocumentOptions options;
  options.max_bytes = 1000;
  options.max_staged_per_user = 2;
  Reopen(options);
  EXPECT_EQ(Upload(Content(1001)).status().reason(), "document_too_large");
  EXPECT_EQ(Upload("").status().reason(), "empty_document");
  ASSERT_TRUE(Upload(Content(10)).ok());
  ASSERT_TRUE(Upload(Content(20)).ok());
  EXPECT_EQ(Upload(Content(30)).status().reason(), "too_many_uploads");
  EXPECT_TRUE(Upload(Content(30), "another user").ok());
  std::size_t files = 0;
  for (const auto& entry :
       fs::recursive_directory_iterator(dir_.str() + "/documents")) {
    files += entry.is_regular_file();
  }
  EXPECT_EQ(files, 3u);  // the refused uploads left nothing behind
}

TEST_F(DocumentStoreTest, AnUploadWaitsForItsUploaderAloneUntilItExpires) {
  auto staged = Upload(Content(100));
  ASSERT_TRUE(staged.ok());
  const std::string hash = staged->ref.hash;
  EXPECT_EQ(store_->Claim(hash, "someone else", kNow).status().code(),
            StatusCode::kNotFound);
  const std::int64_t later = staged->expires_at_us + 1;
  EXPECT_EQ(store_->Claim(hash, "lan", later).status().code(),
            StatusCode::kNotFound);
}

TEST_F(DocumentStoreTest, AClaimReturnedWaitsAgainAndAClaimIsTakenOnce) {
  auto staged = Upload(Content(100));
  ASSERT_TRUE(staged.ok());
  auto claimed = store_->Claim(staged->ref.hash, "lan", kNow);
  ASSERT_TRUE(claimed.ok());
  EXPECT_TRUE(fs::exists(store_->PathOf(staged->ref.hash)));
  EXPECT_EQ(store_->Claim(staged->ref.hash, "lan", kNow).status().code(),
            StatusCode::kNotFound);
  store_->Unclaim(*claimed);
  EXPECT_FALSE(fs::exists(store_->PathOf(staged->ref.hash)));
  auto again = store_->Claim(staged->ref.hash, "lan", kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ref, staged->ref);
}

TEST_F(DocumentStoreTest, ReopeningDropsStagedUploadsAndKeepsStoredOnes) {
  DocumentRef stored = Stored(Content(100));
  auto staged = Upload(Content(200));
  ASSERT_TRUE(staged.ok());
  Reopen();
  EXPECT_EQ(store_->Claim(staged->ref.hash, "lan", kNow).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(fs::is_empty(dir_.str() + "/documents/staged"));
  EXPECT_TRUE(store_->Check(stored.hash).ok());
  std::vector<std::string> listed;
  ASSERT_TRUE(store_
                  ->ForEachStored(
                      [&](const std::string& hash) { listed.push_back(hash); })
                  .ok());
  EXPECT_EQ(listed, std::vector<std::string>{stored.hash});
}

TEST_F(DocumentStoreTest, UnderAnUploadsKeyStagedUploadsOutliveAReopen) {
  const crypto::DataKey key = crypto::NewDataKey();
  Reopen({}, key);
  const std::string content = Content(150'000);
  auto staged = Upload(content);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  const std::string staging = dir_.str() + "/documents/staged";
  std::ofstream(staging + "/0123abcd.part") << "a partial upload";
  Reopen({}, key);
  EXPECT_FALSE(fs::exists(staging + "/0123abcd.part"));
  // Its record names the upload without showing its name or key.
  const std::string record =
      FileBytes(staging + "/" + staged->ref.hash + ".upload");
  EXPECT_FALSE(record.empty());
  EXPECT_EQ(record.find("Báo cáo"), std::string::npos);
  EXPECT_EQ(record.find(staged->ref.key), std::string::npos);
  EXPECT_EQ(
      store_->Claim(staged->ref.hash, "someone else", kNow).status().code(),
      StatusCode::kNotFound);
  auto claimed = store_->Claim(staged->ref.hash, "lan", kNow);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(claimed->ref, staged->ref);
  EXPECT_EQ(claimed->expires_at_us, staged->expires_at_us);
  Result<std::string> read = ReadBack(claimed->ref);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, content);
  // Claimed, it leaves nothing in staging for the next start.
  EXPECT_TRUE(fs::is_empty(staging));
}

TEST_F(DocumentStoreTest, AnotherUploadsKeyOrNoneFindsNoStagedUpload) {
  Reopen({}, crypto::NewDataKey());
  auto first = Upload(Content(100));
  ASSERT_TRUE(first.ok());
  Reopen({}, crypto::NewDataKey());
  EXPECT_EQ(store_->Claim(first->ref.hash, "lan", kNow).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(fs::is_empty(dir_.str() + "/documents/staged"));

  const crypto::DataKey key = crypto::NewDataKey();
  Reopen({}, key);
  auto second = Upload(Content(100));
  ASSERT_TRUE(second.ok());
  Reopen();
  Reopen({}, key);
  EXPECT_EQ(store_->Claim(second->ref.hash, "lan", kNow).status().code(),
            StatusCode::kNotFound);
}

TEST_F(DocumentStoreTest, AKeptUploadStillExpiresAndCountsForItsUploader) {
  const crypto::DataKey key = crypto::NewDataKey();
  DocumentOptions options;
  options.max_staged_per_user = 1;
  Reopen(options, key);
  auto staged = Upload(Content(100));
  ASSERT_TRUE(staged.ok());
  Reopen(options, key);
  auto refused = store_->BeginUpload("lan", kNow);
  EXPECT_EQ(refused.status().reason(), "too_many_uploads");
  EXPECT_EQ(store_->Claim(staged->ref.hash, "lan", staged->expires_at_us + 1)
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(fs::is_empty(dir_.str() + "/documents/staged"));
}

TEST_F(DocumentStoreTest, RemovedDocumentsAreGoneAndCopiesCarryTheRest) {
  DocumentRef kept = Stored(Content(100));
  DocumentRef removed = Stored(Content(300));
  ASSERT_TRUE(store_->Remove({removed.hash}).ok());
  EXPECT_EQ(store_->Check(removed.hash).code(), StatusCode::kNotFound);
  Result<std::size_t> copied =
      CopyStoredDocuments(*store_, dir_.str() + "/copy");
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ(*copied, 1u);
  auto copy = DocumentStore::OpenForReading(dir_.str() + "/copy");
  EXPECT_TRUE(copy->Check(kept.hash).ok());
}

TEST(DocumentMediaTypesTest, OfficeDocumentsAndImagesAreTakenOthersNot) {
  EXPECT_TRUE(IsAcceptedMediaType("application/pdf"));
  EXPECT_TRUE(IsAcceptedMediaType("image/jpeg"));
  EXPECT_TRUE(IsAcceptedMediaType(
      "application/vnd.openxmlformats-officedocument.wordprocessingml."
      "document"));
  EXPECT_FALSE(IsAcceptedMediaType("text/html"));
  EXPECT_FALSE(IsAcceptedMediaType("image/svg+xml"));
  EXPECT_FALSE(IsAcceptedMediaType(""));
}

}  // namespace
}  // namespace exemplar::documents
