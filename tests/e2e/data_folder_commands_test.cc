// The commands that open a data folder, as an operator runs them beside a
// serving process or on a damaged copy: the real binary on real stores.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/cli_run.h"
#include "tests/support/damage.h"
#include "tests/support/raw_db.h"
#include "tests/support/server_process.h"

namespace exemplar {
namespace {

using testing::CliRun;
using testing::DamageBytes;
using testing::RawDb;
using testing::RunCli;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DataFolderCommandsTest, ReplayRunsBesideTheServingProcess) {
  TempDir dir;
  const std::string data = dir.str() + "/data";
  ServerProcess server(data);
  auto created = server.Request(
      boost::beast::http::verb::post, "/v1/units",
      R"({"unit_id":"kh","name":"Tỉnh Khánh Hòa","level":"province",)"
      R"("parent_id":"vn"})");
  ASSERT_EQ(created.status, 201) << created.body;

  CliRun units =
      RunCli("replay --data " + data + " --until 2099-01-01 --report units");
  EXPECT_EQ(units.exit_code, 0) << units.output;
  EXPECT_TRUE(Has(units.output, "\"kh\"")) << units.output;
  CliRun before =
      RunCli("replay --data " + data + " --until 1 --stream unit-kh");
  EXPECT_EQ(before.exit_code, 0) << before.output;
  EXPECT_EQ(before.output, "[]\n");
  EXPECT_TRUE(server.Running());
}

TEST(DataFolderCommandsTest, WritingCommandsSayToStopTheServingProcess) {
  TempDir dir;
  const std::string data = dir.str() + "/data";
  ServerProcess server(data);
  for (const std::string& command :
       {"projections rebuild --data " + data,
        "token create --user admin --data " + data}) {
    CliRun run = RunCli(command);
    EXPECT_EQ(run.exit_code, 1) << command << "\n" << run.output;
    EXPECT_TRUE(Has(run.output, "is in use by another process")) << run.output;
    EXPECT_TRUE(Has(run.output, "stop the server on " + data + " first"))
        << run.output;
  }
  EXPECT_TRUE(server.Running());
}

TEST(DataFolderCommandsTest, AuditVerifyNamesADamagedTableFile) {
  TempDir dir;
  const std::string data = dir.str() + "/data";
  { ServerProcess first_start(data); }  // a served store, flushed on stop
  std::string file;
  {
    RawDb raw(data);
    std::vector<std::string> files = raw.TableFiles("streams");
    ASSERT_EQ(files.size(), 1u);
    file = files.front();
  }
  ASSERT_EQ(RunCli("audit verify --data " + data).exit_code, 0);
  DamageBytes(file);

  CliRun run = RunCli("audit verify --data " + data);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(Has(run.output, "FAILED: table file " + file +
                                  " (column family \"streams\": the stream "
                                  "index) is damaged: Corruption: "))
      << run.output;
  EXPECT_TRUE(Has(run.output, "restore it from a backup")) << run.output;
  EXPECT_FALSE(Has(run.output, "position 0")) << run.output;
}

}  // namespace
}  // namespace exemplar
