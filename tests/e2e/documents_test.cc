// Evidence documents end to end against the real binary: uploaded
// streamed (whole, chunked, after 100-continue), taken by a command whose
// documents field names them, read back in the exemplar's scope and
// refused outside it, never stored in plain form, checked by `audit
// verify`, carried by backup and export/import, and gone after the erasure
// of their data subject.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "events/crash_point.h"
#include "tests/e2e/api_test_world.h"
#include "tests/support/cli_run.h"
#include "tests/support/opaque_id.h"

namespace exemplar::testing {
namespace {

const std::string kXuyen = OpaqueId("xuyen");

using boost::beast::http::verb;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kMasterKey(64, 'b');
// Above the 1 MiB body limit of other requests, which uploads escape.
constexpr std::size_t kLimit = 3'000'000;
// "Báo cáo thành tích.pdf", percent-encoded.
const std::string kEncodedName =
    "B%C3%A1o%20c%C3%A1o%20th%C3%A0nh%20t%C3%ADch.pdf";
const std::string kName = "Báo cáo thành tích.pdf";

// A PDF-like document of `size` bytes that names a person throughout.
std::string Dossier(std::size_t size) {
  std::string text = "%PDF-1.4\n";
  while (text.size() < size) text += "Hộ bà Phạm Thị Xuyến nuôi tôm giỏi. ";
  text.resize(size);
  return text;
}

std::string FileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Whether any file under `folder` holds `needle`.
bool AnyFileHolds(const fs::path& folder, std::string_view needle) {
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() &&
        FileBytes(entry.path()).find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// The server's settings; `crash_at` arms a crash point
// (events/crash_point.h).
ServerProcessOptions Options(const std::string& crash_at = "") {
  ServerProcessOptions options;
  options.env = {{"EXEMPLAR_COMPRESS_TABLES", "0"},
                 {"EXEMPLAR_MASTER_KEY", kMasterKey},
                 {"EXEMPLAR_DOCUMENT_LIMIT", std::to_string(kLimit)}};
  if (!crash_at.empty())
    options.env.emplace_back("EXEMPLAR_TEST_CRASH_AT", crash_at);
  return options;
}

class DocumentsTest : public ::testing::Test {
 protected:
  explicit DocumentsTest(const ServerProcessOptions& options = Options())
      : world_(options) {
    world_.Person("dpo", "data_protection_officer", "d1");
    json fields = DetectFields();
    fields["exemplar_id"] = kXuyen;
    HttpReply detected = world_.As("reporter", "/v1/exemplars", fields);
    EXPECT_EQ(detected.status, 201) << detected.body;
  }

  HttpReply Upload(const std::string& user, const std::string& content,
                   const std::string& media_type = "application/pdf",
                   const std::string& name = kEncodedName) {
    return world_.server().RequestWith(
        verb::post, "/v1/documents?name=" + name,
        {{"Authorization", "Bearer " + world_.token(user)}}, content,
        media_type);
  }
  // Uploads `content` as `user`; its hash.
  std::string Uploaded(const std::string& user, const std::string& content) {
    HttpReply reply = Upload(user, content);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return json::parse(reply.body).value("hash", "");
  }
  HttpReply Experience(const std::string& user, const json& hashes) {
    return world_.As(user, "/v1/exemplars/" + kXuyen + "/document_experience",
                     {{"title", "Kinh nghiệm nuôi tôm"},
                      {"content", "Nuôi tôm xen rừng ngập mặn"},
                      {"attachments", hashes}});
  }
  HttpReply Read(const std::string& user, const std::string& hash) {
    return world_.server().RequestWith(
        verb::get, "/v1/exemplars/" + kXuyen + "/documents/" + hash,
        {{"Authorization", "Bearer " + world_.token(user)}});
  }
  // Records `content` as the reporter's attachment; its hash.
  std::string Recorded(const std::string& content) {
    const std::string hash = Uploaded("reporter", content);
    HttpReply recorded = Experience("reporter", json::array({hash}));
    EXPECT_EQ(recorded.status, 200) << recorded.body;
    return hash;
  }
  void Erase() {
    RequestErasure();
    HttpReply approved = ApproveErasure();
    ASSERT_EQ(approved.status, 200) << approved.body;
  }
  void RequestErasure() {
    HttpReply requested = world_.As(
        "dpo", "/v1/exemplars/" + kXuyen + "/request_erasure",
        {{"retention_class", "exemplar_file"},
         {"legal_article", "Điều 16 Luật Bảo vệ dữ liệu cá nhân 2025"},
         {"legal_reference", "Đơn đề nghị số 7/2026"},
         {"legal_date", "2026-11-20"}},
        {{"X-Acting-Role", "data_protection_officer"}});
    ASSERT_EQ(requested.status, 200) << requested.body;
  }
  HttpReply ApproveErasure() {
    return world_.As("approver", "/v1/exemplars/" + kXuyen + "/approve_erasure",
                     {{"retention_class", "exemplar_file"}});
  }
  std::string data() const { return world_.data_dir(); }
  fs::path DocumentFile(const std::string& hash) const {
    return fs::path(data()) / "documents" / hash.substr(0, 2) / hash;
  }

  ApiWorld world_;
};

TEST_F(DocumentsTest, ARecordedDocumentIsReadInScopeAndRefusedOutsideIt) {
  // Many sealed chunks, and more than the body limit of other requests.
  const std::string content = Dossier(2'000'000);
  HttpReply uploaded = Upload("reporter", content);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const json document = json::parse(uploaded.body);
  EXPECT_EQ(document["name"], kName);
  EXPECT_EQ(document["size"], content.size());
  EXPECT_EQ(document["media_type"], "application/pdf");
  const std::string hash = document["hash"];
  HttpReply recorded = Experience("reporter", json::array({hash}));
  ASSERT_EQ(recorded.status, 200) << recorded.body;

  HttpReply history = world_.server().RequestWith(
      verb::get,
      "/v1/exemplars/" + kXuyen + "/history?min_position=" +
          std::to_string(json::parse(recorded.body)["position"].get<int>()),
      {{"Authorization", "Bearer " + world_.token("approver")}});
  const json attached =
      json::parse(history.body)["events"][1]["data"]["fields"]["attachments"];
  EXPECT_EQ(attached, json::parse(R"([{"hash": ")" + hash +
                                  R"(", "size": 2000000, "media_type": )"
                                  R"("application/pdf", "name": ")" +
                                  kName + R"("}])"))
      << history.body;

  HttpReply read = Read("approver", hash);  // the district above the commune
  ASSERT_EQ(read.status, 200) << read.body.substr(0, 300);
  EXPECT_EQ(read.body, content);
  EXPECT_EQ(read.content_type, "application/pdf");
  EXPECT_EQ(read.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_NE(read.headers["Content-Disposition"].find(
                "filename*=UTF-8''B%C3%A1o%20c%C3%A1o"),
            std::string::npos);
  // Another commune's reporter: as for a document that does not exist.
  HttpReply outside = Read("reporter2", hash);
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(json::parse(outside.body)["type"], "document_not_found");
  EXPECT_EQ(Read("approver", std::string(64, 'a')).status, 404);
  // The bytes on disk are sealed: the person's name is in no file.
  EXPECT_FALSE(AnyFileHolds(data(), "Phạm Thị Xuyến"));
  // A document is taken once.
  HttpReply again = Experience("reporter", json::array({hash}));
  EXPECT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(json::parse(again.body)["field"], "attachments[0]");
}

// Text is kept as given and served as UTF-8, so a browser shows the
// Vietnamese letters whatever its default encoding.
TEST_F(DocumentsTest, TextIsServedAsUtf8) {
  const std::string content = "Báo cáo thành tích của hộ gia đình\n";
  HttpReply uploaded = Upload("reporter", content, "text/plain; charset=utf-8");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string hash = json::parse(uploaded.body)["hash"];
  ASSERT_EQ(Experience("reporter", json::array({hash})).status, 200);
  HttpReply read = Read("reporter", hash);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body, content);
  EXPECT_EQ(read.content_type, "text/plain; charset=utf-8");
}

TEST_F(DocumentsTest, AnUploadWaitsForItsUploaderAndOutlivesARefusedCommand) {
  const std::string theirs = Uploaded("reporter2", Dossier(1000));
  HttpReply taken = Experience("reporter", json::array({theirs}));
  EXPECT_EQ(taken.status, 422) << taken.body;
  EXPECT_EQ(json::parse(taken.body)["type"], "validation_failed");

  const std::string mine = Uploaded("reporter", Dossier(1000));
  HttpReply untitled =
      world_.As("reporter", "/v1/exemplars/" + kXuyen + "/document_experience",
                {{"content", "Nội dung"}, {"attachments", {mine}}});
  EXPECT_EQ(untitled.status, 422) << untitled.body;
  // The refused command gave the upload back: the next one takes it.
  HttpReply recorded = Experience("reporter", json::array({mine}));
  EXPECT_EQ(recorded.status, 200) << recorded.body;
}

// An upload waits for its command across a restart of the server: its key
// and name are kept in staging sealed under the master key.
TEST_F(DocumentsTest, AnUploadOutlivesARestart) {
  const std::string content = Dossier(200'000);
  const std::string hash = Uploaded("reporter", content);
  world_.Restart();
  EXPECT_FALSE(AnyFileHolds(fs::path(data()) / "documents", kName));
  EXPECT_FALSE(AnyFileHolds(fs::path(data()) / "documents", "Phạm Thị Xuyến"));
  HttpReply recorded = Experience("reporter", json::array({hash}));
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  HttpReply read = Read("reporter", hash);
  ASSERT_EQ(read.status, 200) << read.body.substr(0, 300);
  EXPECT_EQ(read.body, content);
}

TEST_F(DocumentsTest, BadUploadsAreRefusedAndLeaveNothingStaged) {
  const auto problem = [](const HttpReply& reply) {
    return json::parse(reply.body).value("type", "");
  };
  HttpReply html = Upload("reporter", "<script>", "text/html");
  EXPECT_EQ(html.status, 415);
  EXPECT_EQ(problem(html), "unsupported_media_type");
  HttpReply folder = Upload("reporter", "x", "application/pdf", "..%2Fetc");
  EXPECT_EQ(folder.status, 400) << folder.body;
  HttpReply control = Upload("reporter", "x", "application/pdf", "a%0Ab");
  EXPECT_EQ(control.status, 400) << control.body;
  const std::string empty = world_.server().SendRaw(
      "POST /v1/documents?name=a.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: "
      "Bearer " +
      world_.token("reporter") +
      "\r\nContent-Type: application/pdf\r\nContent-Length: 0\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_NE(empty.find("empty_document"), std::string::npos) << empty;
  // Refused from its Content-Length, before a byte of its body: a client
  // waiting for "100 Continue" sends none, and one that sends it anyway
  // still reads the answer (the server drops the body before it closes).
  HttpReply sent_anyway = Upload("reporter", Dossier(6 * kLimit));
  EXPECT_EQ(sent_anyway.status, 413);
  EXPECT_EQ(problem(sent_anyway), "document_too_large");
  const std::string large = world_.server().SendRaw(
      "POST /v1/documents?name=a.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: "
      "Bearer " +
      world_.token("reporter") +
      "\r\nContent-Type: application/pdf\r\nContent-Length: " +
      std::to_string(kLimit + 1) +
      "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(large.rfind("HTTP/1.1 413", 0), 0u) << large;
  EXPECT_NE(large.find("document_too_large"), std::string::npos) << large;
  HttpReply anonymous = world_.server().RequestWith(
      verb::post, "/v1/documents?name=a.pdf", {}, "%PDF", "application/pdf");
  EXPECT_EQ(anonymous.status, 401);
  const fs::path staged = fs::path(data()) / "documents" / "staged";
  EXPECT_TRUE(fs::is_empty(staged));
  // The server still answers.
  EXPECT_EQ(Upload("reporter", Dossier(10)).status, 201);
}

TEST_F(DocumentsTest, ChunkedAndContinuedUploadsStreamIn) {
  const std::string auth = "Authorization: Bearer " + world_.token("reporter");
  std::string chunked =
      "POST /v1/documents?name=a.pdf HTTP/1.1\r\nHost: x\r\n" + auth +
      "\r\nContent-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "4\r\n%PDF\r\n";
  chunked += "0\r\n\r\n";
  std::string reply = world_.server().SendRaw(chunked);
  EXPECT_NE(reply.find("HTTP/1.1 201"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\"size\":20"), std::string::npos) << reply;

  std::string continued =
      "POST /v1/documents?name=b.pdf HTTP/1.1\r\nHost: x\r\n" + auth +
      "\r\nContent-Type: application/pdf\r\nContent-Length: 4\r\n"
      "Expect: 100-continue\r\nConnection: close\r\n\r\n%PDF";
  reply = world_.server().SendRaw(continued);
  EXPECT_EQ(reply.rfind("HTTP/1.1 100 Continue", 0), 0u) << reply;
  EXPECT_NE(reply.find("HTTP/1.1 201"), std::string::npos) << reply;
}

TEST_F(DocumentsTest, VerifyChecksEveryDocumentAndAcceptsAnErasedOne) {
  const std::string hash = Recorded(Dossier(100'000));
  CliRun verified = RunCli("audit verify --data " + data());
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("1 documents match their hashes, 0 erased"),
            std::string::npos)
      << verified.output;

  const fs::path file = DocumentFile(hash);
  const std::string bytes = FileBytes(file);
  std::string altered = bytes;
  altered[70'000] ^= 1;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << altered;
  CliRun caught = RunCli("audit verify --data " + data());
  EXPECT_EQ(caught.exit_code, 1) << caught.output;
  EXPECT_NE(caught.output.find("document " + hash), std::string::npos)
      << caught.output;
  fs::remove(file);
  CliRun missing = RunCli("audit verify --data " + data());
  EXPECT_NE(missing.output.find("missing"), std::string::npos)
      << missing.output;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;

  Erase();
  EXPECT_FALSE(fs::exists(file));
  HttpReply gone = Read("approver", hash);
  EXPECT_EQ(gone.status, 410) << gone.body;
  EXPECT_EQ(json::parse(gone.body)["type"], "document_erased");
  CliRun after = RunCli("audit verify --data " + data());
  EXPECT_EQ(after.exit_code, 0) << after.output;
  EXPECT_NE(after.output.find("0 documents match their hashes, 1 erased"),
            std::string::npos)
      << after.output;
}

// A server that dies right after an erasure's approval is synced, before
// it destroys the keys and removes the documents, finishes the erasure at
// its next start.
class InterruptedErasureTest : public DocumentsTest {
 protected:
  InterruptedErasureTest() : DocumentsTest(Options("erasure_appended")) {}
};

TEST_F(InterruptedErasureTest, TheNextStartFinishesIt) {
  const std::string hash = Recorded(Dossier(5000));
  RequestErasure();
  EXPECT_THROW(ApproveErasure(), boost::system::system_error);
  EXPECT_EQ(WEXITSTATUS(world_.server().Terminate()), kCrashPointExitCode);
  EXPECT_TRUE(fs::exists(DocumentFile(hash)));  // the stop came first

  const ServerProcessOptions unarmed = Options();
  world_.Restart(&unarmed);
  EXPECT_NE(world_.server().Output().find(
                "finished 1 erasures the last stop interrupted"),
            std::string::npos)
      << world_.server().Output();
  EXPECT_FALSE(fs::exists(DocumentFile(hash)));
  EXPECT_EQ(Read("approver", hash).status, 410);
  HttpReply history = world_.server().RequestWith(
      verb::get, "/v1/exemplars/" + kXuyen + "/history",
      {{"Authorization", "Bearer " + world_.token("approver")}});
  ASSERT_EQ(history.status, 200) << history.body;
  const json events = json::parse(history.body)["events"];
  EXPECT_EQ(events.back()["type"], "subject_erased") << history.body;
  EXPECT_EQ(events[0]["data"]["fields"]["name"], "[erased]") << history.body;
  // Finished once: the start after that finds nothing left to do.
  world_.Restart(&unarmed);
  EXPECT_EQ(world_.server().Output().find("erasures the last stop"),
            std::string::npos);
}

TEST_F(DocumentsTest, BackupAndExportImportCarryTheDocuments) {
  const std::string content = Dossier(70'000);
  const std::string hash = Recorded(content);
  const std::string base = data() + "-copies";
  fs::create_directories(base);

  CliRun backup = RunCli("backup --data " + data() + " --to " + base +
                         "/backup --vault-to " + base + "/backup.vault");
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  const fs::path copied =
      fs::path(base) / "backup" / "documents" / hash.substr(0, 2) / hash;
  EXPECT_EQ(FileBytes(copied), FileBytes(DocumentFile(hash)));

  CliRun exported =
      RunCli("export --data " + data() + " --out " + base + "/log.jsonl" +
             " --vault-to " + base + "/export.vault --documents-to " + base +
             "/documents");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  CliRun without = RunCli("import --data " + base + "/without --in " + base +
                          "/log.jsonl --vault-from " + base + "/export.vault");
  EXPECT_NE(without.exit_code, 0) << without.output;
  EXPECT_NE(without.output.find("--documents-from"), std::string::npos)
      << without.output;
  EXPECT_FALSE(fs::exists(base + "/without"));
  CliRun imported =
      RunCli("import --data " + base + "/imported --in " + base +
             "/log.jsonl --vault-from " + base +
             "/export.vault --documents-from " + base + "/documents");
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  CliRun verified = RunCli("audit verify --data " + base + "/imported");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("1 documents match"), std::string::npos)
      << verified.output;
  fs::remove_all(base);
}

}  // namespace
}  // namespace exemplar::testing
