// `exemplar replay` and `exemplar projections rebuild` on a scripted store.
#include <sys/wait.h>

#include <cstdio>

#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {
namespace {

// Runs the exemplar binary with `arguments`; returns its stdout and sets
// `exit_code`.
std::string RunBinary(const std::string& arguments, int* exit_code) {
  const std::string command =
      std::string(EXEMPLAR_BINARY) + " " + arguments + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    out.append(buffer, n);
  }
  *exit_code = WEXITSTATUS(pclose(pipe));
  return out;
}

class CliTest : public ProjectionTest {};

TEST_F(CliTest, ReplayPrintsTheExemplarAndReportsAsTheyWere) {
  Detect("lan", "Hộ bà Lan", At(2024, 4, 22));
  AdvanceTo("lan", "honoured", At(2024, 4, 23));
  CloseStore();
  const std::string data = " --data " + dir_.str();
  int code = -1;

  nlohmann::json view = nlohmann::json::parse(
      RunBinary("replay" + data +
                    " --until 2024-04-25T00:00:00+07:00 --stream exemplar-lan",
                &code));
  EXPECT_EQ(code, 0);
  EXPECT_EQ(view["state"], "nominated");

  nlohmann::json quotas = nlohmann::json::parse(RunBinary(
      "replay" + data + " --until 2024-12-31 --report quotas --year 2024",
      &code));
  EXPECT_EQ(code, 0);
  EXPECT_EQ(quotas["year"], 2024);
  EXPECT_FALSE(quotas["rows"].empty());

  const std::string csv = RunBinary(
      "replay" + data + " --until 2024-12-31 --report ledger --format csv",
      &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFposition (vị trí)", 0), 0u);
  EXPECT_NE(csv.find("honour"), std::string::npos);

  const std::string lines = RunBinary(
      "replay" + data + " --until 30 --report deadlines --year 2024 " +
          "--quarter 2 --format jsonl",
      &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(lines.find("\"status\":\"missing\""), std::string::npos);

  RunBinary("replay" + data + " --until yesterday", &code);
  EXPECT_EQ(code, 1);
}

// A name that a spreadsheet would run as a formula is written as text.
TEST_F(CliTest, ReplayCsvNeutralisesFormulas) {
  Detect("lan", "=HYPERLINK(\"http://x\",\"Bấm\")", At(2024, 4, 22));
  CloseStore();
  int code = -1;
  const std::string csv = RunBinary("replay --data " + dir_.str() +
                                        " --until 2024-12-31 --report list "
                                        "--format csv",
                                    &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"http://x\"\",\"\"Bấm\"\")\","),
            std::string::npos)
      << csv;
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos) << csv;
}

TEST_F(CliTest, RebuildCommandRebuildsOneOrEveryProjection) {
  Detect("lan", "Hộ bà Lan", At(2024, 4, 22));
  CloseStore();
  int code = -1;
  EXPECT_NE(RunBinary("projections rebuild --data " + dir_.str(), &code)
                .find("rebuilt every projection"),
            std::string::npos);
  EXPECT_EQ(code, 0);
  RunBinary("projections rebuild ledger --data " + dir_.str(), &code);
  EXPECT_EQ(code, 0);
  OpenStore();
  OpenProjections(false);
  EXPECT_EQ(projections_->position(), store_->head().position);
  EXPECT_EQ(projections_->ListExemplars({})->items.size(), 1u);
}

}  // namespace
}  // namespace exemplar::testing
