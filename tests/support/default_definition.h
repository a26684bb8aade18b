// The definition the product ships (workflows/exemplar.json), for tests: its
// path, and its JSON to derive variants from.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace exemplar::testing {

inline std::string DefaultDefinitionPath() {
  return std::string(EXEMPLAR_SOURCE_DIR) + "/workflows/exemplar.json";
}

inline nlohmann::json DefaultDefinitionJson() {
  std::ifstream in(DefaultDefinitionPath());
  return nlohmann::json::parse(in);
}

}  // namespace exemplar::testing
