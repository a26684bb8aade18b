// The whole server in process for fuzzing: an api::Service on a temporary
// folder with a small organisation (a province, a district, a commune, a
// user per role with a token of a fixed secret, a campaign, an exemplar),
// answering raw bytes sent over loopback. The fixed secrets let seed
// requests carry real tokens, so mutated requests reach routing,
// authentication, the handlers, the store and the response rendering.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/service.h"
#include "tests/support/temp_dir.h"

namespace exemplar::testing {

// The token secret of each fuzzing user: "fuzz-token-<user>-0123456789".
std::string FuzzToken(const std::string& user);

class FuzzServer {
 public:
  // Opens the service with short timeouts and sets up the organisation.
  // Throws std::runtime_error when it cannot.
  FuzzServer();
  ~FuzzServer();

  // Sends `bytes` on a new connection, half-closes it, and returns what the
  // server answered before closing (or within `wait_ms` of silence, for a
  // stream that stays open).
  std::string Send(std::string_view bytes, int wait_ms = 100);
  // True when GET /healthz on a new connection answers 200.
  bool Healthy();

  // Requests that reach every kind of route, with real tokens; the seeds
  // of mutation.
  static std::vector<std::string> SeedRequests();

 private:
  void SetUpOrganisation();
  std::string Post(const std::string& target, const std::string& json_body);

  TempDir dir_;
  std::unique_ptr<Definition> definition_;
  std::unique_ptr<api::Service> service_;
};

}  // namespace exemplar::testing
