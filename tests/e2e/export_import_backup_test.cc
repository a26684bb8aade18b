// `exemplar export`, `import` and `backup` as an operator runs them: the
// real binary, on stores written by the engine and served by `serve`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "engine/event_store.h"
#include "tests/support/cli_run.h"
#include "tests/support/server_process.h"

namespace exemplar {
namespace {

using testing::CliRun;
using testing::RunCli;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

// The hex after "Merkle root " in a command's output.
std::string RootIn(const std::string& output) {
  std::smatch match;
  std::regex root("Merkle root ([0-9a-f]{64})");
  return std::regex_search(output, match, root) ? match[1].str() : "";
}

// A store of `count` events over three streams, some appends keyed.
void WriteStore(const std::string& path, int count) {
  auto store = EventStore::Open(path).value();
  for (int i = 0; i < count; ++i) {
    AppendRequest request;
    request.stream_id = "exemplar-" + std::to_string(i % 3);
    if (i % 4 == 0) request.idempotency_key = "key-" + std::to_string(i);
    NewEvent event;
    event.type = "recorded";
    event.payload = "Nguyễn Văn An " + std::to_string(i);
    event.actor = {"u-" + std::to_string(i), "reporter", "unit-1"};
    request.events.push_back(event);
    ASSERT_TRUE(store->Append(request).ok());
  }
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void WriteLines(const std::string& path,
                const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const std::string& line : lines) out << line << '\n';
}

class ExportImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteStore(source(), 10);
    CliRun exported = RunCli("export --data " + source() + " --out " + file());
    ASSERT_EQ(exported.exit_code, 0) << exported.output;
    source_root_ = RootIn(exported.output);
  }
  std::string source() const { return dir_.str() + "/source"; }
  std::string target() const { return dir_.str() + "/target"; }
  std::string file() const { return dir_.str() + "/log.jsonl"; }

  // Imports `lines` and expects a refusal that names `line`, with neither the
  // target nor a staging folder left behind.
  void ExpectImportRefused(const std::vector<std::string>& lines,
                           const std::string& line) {
    std::string edited = dir_.str() + "/edited.jsonl";
    WriteLines(edited, lines);
    CliRun run = RunCli("import --data " + target() + " --in " + edited);
    EXPECT_EQ(run.exit_code, 1) << run.output;
    EXPECT_NE(run.output.find(line + ":"), std::string::npos) << run.output;
    EXPECT_FALSE(fs::exists(target()));
    EXPECT_FALSE(fs::exists(target() + ".importing"));
  }

  TempDir dir_;
  std::string source_root_;
};

TEST_F(ExportImportTest, RoundTripReproducesTheLogAndTheMerkleRoot) {
  std::vector<std::string> lines = ReadLines(file());
  ASSERT_EQ(lines.size(), 10u);
  auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["position"], 1);
  EXPECT_EQ(first["hash"].get<std::string>().size(), 64u);

  CliRun imported = RunCli("import --data " + target() + " --in " + file());
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_EQ(RootIn(imported.output), source_root_);

  CliRun verified = RunCli("audit verify --data " + target());
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_EQ(RootIn(verified.output), source_root_);
  CliRun again = RunCli("export --data " + target() + " --out " + dir_.str() +
                        "/again.jsonl");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(ReadLines(dir_.str() + "/again.jsonl"), lines);
}

// Events as the API shows them carry their fields as `data`, derived from
// the payload: import reads the rest and checks every hash as before.
TEST_F(ExportImportTest, DataBesideTheEventIsIgnoredAndHashesStillChecked) {
  std::vector<std::string> lines = ReadLines(file());
  for (std::string& line : lines) {
    auto event = nlohmann::json::parse(line);
    event["data"] = {{"fields", {{"name", "không phải dữ liệu thật"}}}};
    line = event.dump();
  }
  std::string with_data = dir_.str() + "/with_data.jsonl";
  WriteLines(with_data, lines);
  CliRun imported = RunCli("import --data " + target() + " --in " + with_data);
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_EQ(RootIn(imported.output), source_root_);

  auto changed = nlohmann::json::parse(lines[4]);
  changed["reason"] = "đã sửa";
  lines[4] = changed.dump();
  fs::remove_all(target());
  ExpectImportRefused(lines, "line 5");
}

TEST_F(ExportImportTest, RangeExportHoldsJustThoseEventsAndIsNotImportable) {
  std::string range = dir_.str() + "/range.jsonl";
  CliRun run =
      RunCli("export --data " + source() + " --from 3 --to 5 --out " + range);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::vector<std::string> lines = ReadLines(range);
  ASSERT_EQ(lines.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(nlohmann::json::parse(lines[i])["position"], 3 + i);
  }
  ExpectImportRefused(lines, "line 1");
}

TEST_F(ExportImportTest, ChangedFieldIsRefusedAtItsLine) {
  std::vector<std::string> lines = ReadLines(file());
  auto event = nlohmann::json::parse(lines[3]);
  event["reason"] = "edited afterwards";
  lines[3] = event.dump();
  ExpectImportRefused(lines, "line 4");
}

TEST_F(ExportImportTest, BrokenChainIsRefusedAtItsLine) {
  std::vector<std::string> lines = ReadLines(file());
  auto event = nlohmann::json::parse(lines[2]);
  event["prev_hash"] = std::string(64, '0');
  lines[2] = event.dump();
  ExpectImportRefused(lines, "line 3");
}

TEST_F(ExportImportTest, GapIsRefusedAtItsLine) {
  std::vector<std::string> lines = ReadLines(file());
  lines.erase(lines.begin() + 5);
  ExpectImportRefused(lines, "line 6");
}

TEST_F(ExportImportTest, NonEmptyTargetIsRefusedAndLeftAlone) {
  fs::create_directories(target());
  std::ofstream(target() + "/keep.txt") << "mine";
  CliRun run = RunCli("import --data " + target() + " --in " + file());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("not empty"), std::string::npos) << run.output;
  EXPECT_TRUE(fs::exists(target() + "/keep.txt"));
  EXPECT_FALSE(fs::exists(target() + "/CURRENT"));
}

TEST(BackupTest, CopyTakenWhileServingVerifiesWithTheServersKey) {
  TempDir dir;
  std::string data = dir.str() + "/data";
  { ServerProcess first_start(data); }  // creates the admin and its token
  WriteStore(data, 20);
  ServerProcess server(data);
  auto head = server.Request(boost::beast::http::verb::get, "/v1/audit/head");
  ASSERT_EQ(head.status, 200) << head.body;
  // The server holds the store's lock; export and backup still read it.
  CliRun exported =
      RunCli("export --data " + data + " --out " + dir.str() + "/served.jsonl");
  EXPECT_EQ(exported.exit_code, 0) << exported.output;

  std::string dest = dir.str() + "/backup";
  CliRun backup = RunCli("backup --data " + data + " --to " + dest);
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_FALSE(fs::exists(dest + "/audit-ed25519.pem"));
  CliRun verified = RunCli("audit verify --data " + dest + " --public-key " +
                           dest + "/audit-ed25519.pub.pem");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("signed heads with valid signatures"),
            std::string::npos)
      << verified.output;
  EXPECT_EQ(verified.output.find(" 0 signed heads"), std::string::npos)
      << verified.output;
  EXPECT_EQ(RootIn(verified.output), RootIn(exported.output));

  CliRun again = RunCli("backup --data " + data + " --to " + dest);
  EXPECT_EQ(again.exit_code, 1) << again.output;
}

TEST(BackupTest, AuditVerifyRunsBesideTheServingProcess) {
  TempDir dir;
  std::string data = dir.str() + "/data";
  { ServerProcess first_start(data); }  // creates the admin and its token
  WriteStore(data, 20);
  ServerProcess server(data);
  ASSERT_EQ(
      server.Request(boost::beast::http::verb::get, "/v1/audit/head?fresh=1")
          .status,
      200);
  CliRun verified = RunCli("audit verify --data " + data);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("OK"), std::string::npos) << verified.output;
}

TEST(BackupTest, SigningKeyIsCopiedOnlyWhenAskedWithOwnerOnlyAccess) {
  TempDir dir;
  std::string data = dir.str() + "/data";
  WriteStore(data, 3);
  { ServerProcess server(data); }  // creates the key
  std::string dest = dir.str() + "/backup";
  CliRun backup =
      RunCli("backup --data " + data + " --to " + dest + " --with-signing-key");
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  auto perms = fs::status(dest + "/audit-ed25519.pem").permissions();
  EXPECT_EQ(perms, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(RunCli("audit verify --data " + dest).exit_code, 0);
}

}  // namespace
}  // namespace exemplar
