// Where `exemplar serve` takes its settings from: defaults, then a JSON
// config file (--config PATH), then environment variables, then flags, each
// later source winning. Every setting has one name in each source, listed
// by ServeSettings(), e.g. "port" / EXEMPLAR_PORT / --port.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "events/status.h"
#include "tools/serve.h"

namespace exemplar::tools {

struct ServeSetting {
  std::string key;   // in the config file, e.g. "port"
  std::string env;   // e.g. "EXEMPLAR_PORT"
  std::string flag;  // e.g. "--port"
  std::string help;
  // Parses `value` into the options; kInvalidArgument naming the key when it
  // does not parse.
  std::function<Status(const std::string& value, ServeOptions*)> apply;
};

// Every setting of `serve`.
const std::vector<ServeSetting>& ServeSettings();

// Applies, in order, the config file at `config_path` (when not empty), the
// environment, and `flags` (flag name -> value, only those given).
// kInvalidArgument names the source and setting that is wrong, or an
// unknown key in the file.
Status ResolveServeOptions(const std::string& config_path,
                           const std::map<std::string, std::string>& flags,
                           ServeOptions* options);

}  // namespace exemplar::tools
