// The projections name no action or state of the shipped workflow: they
// read them from the definition's read side (engine/workflow/read_side.h).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

// `text` without its // comments (no string of projections/ holds "//").
std::string WithoutComments(const std::string& text) {
  std::istringstream in(text);
  std::string out, line;
  while (std::getline(in, line)) out += line.substr(0, line.find("//")) + '\n';
  return out;
}

TEST(NoWorkflowNamesTest, ProjectionsNameNoActionOrState) {
  const Definition& definition = DefaultDefinition();
  std::set<std::string> names;
  for (const ActionSpec& action : definition.actions) names.insert(action.name);
  for (const State& state : definition.states) names.insert(state.name);
  // Keys of answers clients read (report columns, exemplar view sections)
  // that happen to be spelled like states; they name what is counted, not
  // the state.
  for (const char* key :
       {"detected", "nurturing", "nominated", "approved", "honoured"}) {
    names.erase(key);
  }
  const std::filesystem::path folder =
      std::filesystem::path(EXEMPLAR_SOURCE_DIR) / "projections";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string extension = entry.path().extension().string();
    if (extension != ".cc" && extension != ".h") continue;
    ++files;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string code = WithoutComments(text.str());
    for (const std::string& name : names) {
      EXPECT_EQ(code.find('"' + name + '"'), std::string::npos)
          << entry.path().filename() << " names \"" << name << "\"";
    }
  }
  EXPECT_GT(files, 10);
}

}  // namespace
}  // namespace exemplar::testing
