// `exemplar serve`: opens the store and serves the HTTP API until SIGINT or
// SIGTERM, then shuts down gracefully.
#pragma once

#include <string>

#include "api/people_routes.h"
#include "api/query_routes.h"
#include "api/retention_proposals.h"
#include "api/server.h"
#include "api/sse.h"
#include "documents/document_store.h"
#include "engine/workflow/personal_data.h"
#include "tools/command.h"
#include "tools/relay_options.h"

namespace exemplar::tools {

struct ServeOptions {
  std::string data_dir = "./data";  // the store's folder
  std::string master_key_file;      // empty: see api::ServiceOptions
  // The workflow definition; the server refuses to start when it is invalid.
  std::string workflow_path = EXEMPLAR_DEFAULT_WORKFLOW;
  api::ServerOptions server;
  ServeRelayOptions relay;  // off unless --relay-url is given
  api::SseOptions sse;      // GET /v1/events/stream
  api::QueryRouteOptions queries;
  api::PeopleOptions people;                // sign-in: public URL, idle time
  PersonalDataOptions personal_data;        // how long staff addresses are kept
  api::RetentionProposalOptions retention;  // when erasures are proposed
  documents::DocumentOptions documents;     // evidence documents' limits
};

// Returns the process exit code: 0 after a clean shutdown.
int RunServe(const ServeOptions& options);

// Registers `serve`.
void AddServeCommand(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
