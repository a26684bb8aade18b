// The whole HTTP service in one object: the store in a data folder, the
// head signer and audit log, the command handler, API tokens (with the
// first admin on an empty log), idempotency, the projections, the event
// streams, every route and the server. `exemplar serve` runs one; tests and
// the whole-path fuzz target run one in process, so what they exercise is
// assembled exactly as the product is.
//
// Life cycle: Open (everything but the listener), then whatever needs the
// store before requests come (the NATS relay), then Start, then Stop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/metrics.h"
#include "api/people_routes.h"
#include "api/query_routes.h"
#include "api/retention_proposals.h"
#include "api/server.h"
#include "api/sse.h"
#include "api/tokens.h"
#include "documents/document_store.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/personal_data.h"
#include "events/status.h"

namespace exemplar::api {

struct ServiceOptions {
  std::string data_dir = "./data";
  ServerOptions server;
  SseOptions sse;
  QueryRouteOptions queries;
  // The first admin's token on an empty log; empty draws a random one.
  std::string admin_secret;
  // The master key's file (crypto/key_file.h, LoadMasterKey). Empty: the
  // EXEMPLAR_MASTER_KEY variable, else the data folder's master.key.
  std::string master_key_file;
  // Compress the store's table files (StoreOptions::compress_tables).
  bool compress_tables = true;
  PeopleOptions people;
  PersonalDataOptions personal_data;
  RetentionProposalOptions retention;
  // Evidence documents, kept in the data folder's documents/.
  documents::DocumentOptions documents;
};

// The key vault of `store`, which lives in `data_dir`, under the master
// key LoadMasterKey finds with `master_key_file` (crypto/key_file.h).
// With `warn`, logs a warning when the key lies beside the data and when
// the store was made before personal values were sealed. A follower's
// store can open only a vault a server has made.
Result<std::unique_ptr<PersonalData>> OpenPersonalData(
    EventStore& store, const std::string& data_dir,
    const std::string& master_key_file, bool warn = false,
    PersonalDataOptions options = {});

// Where the evidence documents of the store in `data_dir` are kept.
std::string DocumentsFolder(const std::string& data_dir);

class Service {
 public:
  // Opens the store in options.data_dir and everything that reads it, and
  // bootstraps an empty log. `definition` must outlive the service. Errors
  // name the part that failed.
  static Result<std::unique_ptr<Service>> Open(const Definition& definition,
                                               ServiceOptions options);
  ~Service();

  // Adds the routes and starts listening and the projections.
  // `relay_detail`, when given, is shown under "relay" in /readyz.
  Status Start(std::function<nlohmann::json()> relay_detail = nullptr);
  // Ends the event streams (final events out), lets in-flight requests
  // finish, stops the projections and closes the store. Idempotent.
  void Stop();

  // The admin token made by the first start; nullopt when the log was not
  // empty.
  const std::optional<IssuedToken>& first_admin_token() const;
  EventStore& store();
  CommandHandler& handler();
  Metrics& metrics();
  TokenRegistry& tokens();
  std::uint16_t port() const;

 private:
  struct Parts;
  explicit Service(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace exemplar::api
