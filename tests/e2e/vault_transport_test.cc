// The key vault travels apart from the log, end to end against the real
// binary: a backup holds no key unless a vault file is asked for beside it,
// an export's sealed values are imported only with their vault or as
// erased, and a vault file older than an erasure does not bring the erased
// key back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/e2e/api_test_world.h"
#include "tests/support/cli_run.h"
#include "tests/support/opaque_id.h"

namespace exemplar::testing {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kName = "Hộ ông Lê Văn Tám ở xóm Bến Đá";
const std::string kOtherName = "Bà Đinh Thị Hạnh ở thôn Suối Cát";
const std::string kMasterKey(64, 'b');

ServerProcessOptions WithMasterKey() {
  ServerProcessOptions options;
  options.env = {{"EXEMPLAR_MASTER_KEY", kMasterKey}};
  return options;
}

class VaultTransportTest : public ::testing::Test {
 protected:
  VaultTransportTest() : world_(WithMasterKey()) {
    Detect("tam", kName);
    Detect("hanh", kOtherName);
  }

  void Detect(const std::string& id, const std::string& name) {
    json fields = DetectFields();
    fields["exemplar_id"] = OpaqueId(id);
    fields["name"] = name;
    HttpReply detected = world_.As("reporter", "/v1/exemplars", fields);
    EXPECT_EQ(detected.status, 201) << detected.body;
  }

  // The name of exemplar `id` (its readable name: OpaqueId) as a server on
  // `data_dir` reads it.
  static std::string NameIn(const fs::path& data_dir, const std::string& id) {
    ServerProcess server(data_dir.string(), WithMasterKey());
    HttpReply reply =
        server.Request(verb::get, "/v1/exemplars/" + OpaqueId(id));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json::parse(reply.body).value("name", "");
  }

  void Erase(const std::string& id) {
    world_.Person("dpo", "data_protection_officer", "d1");
    const Headers as_officer = {{"X-Acting-Role", "data_protection_officer"},
                                {"X-Acting-Unit", "d1"}};
    HttpReply requested = world_.As(
        "dpo", "/v1/exemplars/" + OpaqueId(id) + "/request_erasure",
        {{"retention_class", "exemplar_file"},
         {"legal_article", "Điều 16 Luật Bảo vệ dữ liệu cá nhân 2025"},
         {"legal_reference", "Đơn số 3/2026"},
         {"legal_date", "2026-12-01"}},
        as_officer);
    ASSERT_EQ(requested.status, 200) << requested.body;
    HttpReply approved = world_.As(
        "approver", "/v1/exemplars/" + OpaqueId(id) + "/approve_erasure",
        {{"retention_class", "exemplar_file"}},
        {{"X-Acting-Role", "approver"}, {"X-Acting-Unit", "d1"}});
    ASSERT_EQ(approved.status, 200) << approved.body;
  }

  fs::path Scratch(const std::string& name) { return scratch_.path() / name; }

  ApiWorld world_;
  TempDir scratch_;
};

TEST_F(VaultTransportTest, ABackupHoldsNoKeyUnlessItsVaultFileIsLoaded) {
  const fs::path backup = Scratch("backup");
  const fs::path vault = Scratch("backup.vault");
  const CliRun backed_up =
      RunCli("backup --data " + world_.data_dir() + " --to " + backup.string() +
             " --vault-to " + vault.string());
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.output;
  EXPECT_EQ(fs::status(vault).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  // The copy alone: the log verifies, its personal values read as erased.
  const CliRun verified = RunCli("audit verify --data " + backup.string());
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_EQ(NameIn(backup, "tam"), "[erased]");

  const CliRun loaded = RunCli("vault import --data " + backup.string() +
                               " --in " + vault.string());
  ASSERT_EQ(loaded.exit_code, 0) << loaded.output;
  EXPECT_EQ(NameIn(backup, "tam"), kName);
}

TEST_F(VaultTransportTest, AnExportWithSealedValuesNeedsItsVaultOrConsent) {
  const fs::path exported = Scratch("log.jsonl");
  const fs::path vault = Scratch("log.vault");
  const CliRun written =
      RunCli("export --data " + world_.data_dir() + " --out " +
             exported.string() + " --vault-to " + vault.string());
  ASSERT_EQ(written.exit_code, 0) << written.output;

  const fs::path refused_dir = Scratch("refused");
  const CliRun refused = RunCli("import --data " + refused_dir.string() +
                                " --in " + exported.string());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("--vault-from"), std::string::npos)
      << refused.output;
  EXPECT_FALSE(fs::exists(refused_dir));

  const fs::path erased_dir = Scratch("as-erased");
  const CliRun as_erased =
      RunCli("import --data " + erased_dir.string() + " --in " +
             exported.string() + " --personal-values-erased");
  ASSERT_EQ(as_erased.exit_code, 0) << as_erased.output;
  EXPECT_EQ(NameIn(erased_dir, "tam"), "[erased]");

  const fs::path whole_dir = Scratch("whole");
  const CliRun whole =
      RunCli("import --data " + whole_dir.string() + " --in " +
             exported.string() + " --vault-from " + vault.string());
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  EXPECT_EQ(NameIn(whole_dir, "tam"), kName);
}

TEST_F(VaultTransportTest, AVaultFileOlderThanAnErasureDoesNotUndoIt) {
  const fs::path old_vault = Scratch("before-erasure.vault");
  const CliRun saved = RunCli("vault export --data " + world_.data_dir() +
                              " --out " + old_vault.string());
  ASSERT_EQ(saved.exit_code, 0) << saved.output;
  Erase("tam");

  const fs::path backup = Scratch("backup");
  ASSERT_EQ(
      RunCli("backup --data " + world_.data_dir() + " --to " + backup.string())
          .exit_code,
      0);
  const CliRun loaded = RunCli("vault import --data " + backup.string() +
                               " --in " + old_vault.string());
  ASSERT_EQ(loaded.exit_code, 0) << loaded.output;
  EXPECT_EQ(NameIn(backup, "tam"), "[erased]");
  EXPECT_EQ(NameIn(backup, "hanh"), kOtherName);
}

TEST_F(VaultTransportTest, AnotherStoresVaultFileIsRefused) {
  const fs::path vault = Scratch("this.vault");
  ASSERT_EQ(RunCli("vault export --data " + world_.data_dir() + " --out " +
                   vault.string())
                .exit_code,
            0);
  const CliRun again = RunCli("vault export --data " + world_.data_dir() +
                              " --out " + vault.string());
  EXPECT_NE(again.exit_code, 0);  // never over an existing file

  // A store whose vault was made under another master key.
  TempDir other;
  {
    ServerProcessOptions options;
    options.env = {{"EXEMPLAR_MASTER_KEY", std::string(64, 'c')}};
    ServerProcess server(other.path().string(), options);
  }
  const CliRun refused = RunCli("vault import --data " + other.path().string() +
                                " --in " + vault.string());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("another vault"), std::string::npos)
      << refused.output;

  // Not a vault file at all: a clear error.
  for (const std::string& bytes :
       {std::string("{\"exemplar_vault\": \"x\"}\n"),
        std::string("\xff\xfe\x00garbage"),
        std::string("{\"exemplar_vault\": 1}\n{\"id\": 7}\n")}) {
    const fs::path bad = Scratch("bad.vault");
    std::ofstream(bad, std::ios::binary) << bytes;
    const CliRun garbage =
        RunCli("vault import --data " + other.path().string() + " --in " +
               bad.string());
    EXPECT_EQ(garbage.exit_code, 1) << garbage.output;
    EXPECT_NE(garbage.output.find("error: "), std::string::npos)
        << garbage.output;
    fs::remove(bad);
  }
}

}  // namespace
}  // namespace exemplar::testing
