#include "api/service.h"

#include <spdlog/spdlog.h>

#include "api/bootstrap.h"
#include "api/idempotency.h"
#include "api/openapi.h"
#include "api/routes.h"
#include "crypto/key_file.h"
#include "engine/audit/audit_log.h"
#include "engine/workflow/command_handler.h"
#include "events/clock.h"
#include "projections/projections.h"

namespace exemplar::api {

// Declared in the order they are made: each part may use those above it,
// and they are destroyed in reverse.
struct Service::Parts {
  const Definition* definition = nullptr;
  ServiceOptions options;
  Metrics metrics;
  std::unique_ptr<EventStore> store;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<PersonalData> personal_data;
  std::unique_ptr<documents::DocumentStore> documents;
  std::unique_ptr<CommandHandler> handler;
  std::unique_ptr<TokenRegistry> tokens;
  std::optional<IssuedToken> first_admin_token;
  std::unique_ptr<IdempotencyIndex> idempotency;
  std::unique_ptr<projections::Projections> projections;
  std::unique_ptr<RetentionProposals> retention;
  std::unique_ptr<EventStreamService> event_streams;
  std::unique_ptr<People> people;
  std::unique_ptr<OpenApi> openapi;
  Router router;
  std::unique_ptr<Server> server;
  bool started = false;
  bool stopped = false;
};

std::string DocumentsFolder(const std::string& data_dir) {
  return data_dir + "/documents";
}

namespace {

// A failure to start, naming the part that failed and how.
Status Naming(const std::string& what, const Status& status) {
  return Status::Internal("cannot " + what + ": " + status.ToString());
}

}  // namespace

Result<std::unique_ptr<PersonalData>> OpenPersonalData(
    EventStore& store, const std::string& data_dir,
    const std::string& master_key_file, bool warn,
    PersonalDataOptions options) {
  Result<crypto::MasterKey> master =
      crypto::LoadMasterKey(master_key_file, data_dir);
  if (!master.ok()) return master.status();
  if (warn && master->beside_the_data) {
    spdlog::warn(
        "the master key is {}, beside the data it protects: a copy of the "
        "folder can read every personal value. Keep it elsewhere "
        "(--master-key-file or {}) on a real server",
        master->source, crypto::kMasterKeyVariable);
  }
  if (warn && store.format() < 3) {
    spdlog::warn(
        "this store was made before personal values were sealed: events "
        "recorded before this version hold them in plain text, which no "
        "erasure reaches. Move to a new store by replaying an export through "
        "the commands (README, \"Personal data\")");
  }
  return PersonalData::Open(&store.side_store(), master->key, options);
}

Result<std::unique_ptr<Service>> Service::Open(const Definition& definition,
                                               ServiceOptions options) {
  auto parts = std::make_unique<Parts>();
  parts->definition = &definition;
  parts->options = std::move(options);
  const std::string& data_dir = parts->options.data_dir;
  StoreOptions store_options;
  store_options.compress_tables = parts->options.compress_tables;
  Metrics* metrics = &parts->metrics;
  store_options.on_batch_synced = [metrics](const SyncedBatch& batch) {
    metrics->RecordSyncedBatch(batch);
  };
  auto store = EventStore::Open(data_dir, store_options);
  if (!store.ok())
    return Naming("open the store in " + data_dir, store.status());
  parts->store = std::move(*store);
  auto signer = audit::HeadSigner::Open(data_dir);
  if (!signer.ok()) return Naming("open the head-signing key", signer.status());
  auto audit = audit::AuditLog::Open(parts->store.get(), std::move(*signer));
  if (!audit.ok()) return Naming("open the audit log", audit.status());
  parts->audit = std::move(*audit);
  auto personal_data =
      OpenPersonalData(*parts->store, data_dir, parts->options.master_key_file,
                       /*warn=*/true, parts->options.personal_data);
  if (!personal_data.ok()) {
    return Naming("open the key vault", personal_data.status());
  }
  parts->personal_data = std::move(*personal_data);
  auto documents = documents::DocumentStore::Open(
      DocumentsFolder(data_dir), parts->options.documents,
      parts->personal_data->UploadsKey());
  if (!documents.ok()) {
    return Naming("open the documents folder", documents.status());
  }
  parts->documents = std::move(*documents);
  Result<int> finished = parts->personal_data->CompleteInterruptedErasures(
      [&parts](const std::vector<std::string>& hashes) {
        return parts->documents->Remove(hashes);
      });
  if (!finished.ok()) {
    return Naming("finish the erasures a stop interrupted", finished.status());
  }
  if (*finished > 0) {
    spdlog::warn("finished {} erasures the last stop interrupted", *finished);
  }
  CommandHandlerOptions handler_options;
  handler_options.personal_data = parts->personal_data.get();
  handler_options.documents = parts->documents.get();
  parts->handler = std::make_unique<CommandHandler>(
      parts->store.get(), &definition, handler_options);
  auto tokens = TokenRegistry::Load(parts->store.get());
  if (!tokens.ok()) return Naming("load the API tokens", tokens.status());
  parts->tokens = std::move(*tokens);
  auto bootstrap =
      BootstrapIfEmpty(*parts->store, *parts->handler, *parts->tokens,
                       parts->options.admin_secret);
  if (!bootstrap.ok()) {
    return Naming("create the first admin", bootstrap.status());
  }
  parts->first_admin_token = std::move(*bootstrap);
  if (Status recorded =
          RecordWorkflowDefinition(*parts->handler, SystemClockMicros());
      !recorded.ok()) {
    return Naming("record the workflow definition", recorded);
  }
  auto secret = crypto::LoadOrCreateKeyFile(data_dir + "/idempotency.key");
  if (!secret.ok()) {
    return Naming("open the idempotency keys' secret", secret.status());
  }
  parts->idempotency =
      std::make_unique<IdempotencyIndex>(*parts->store, *secret);
  // Read models load their persisted rows here and follow the log from
  // there once started.
  projections::ProjectionsOptions projection_options;
  projection_options.personal_data = parts->personal_data.get();
  auto projections = projections::Projections::Open(
      parts->store.get(), &definition, projection_options);
  if (!projections.ok()) {
    return Naming("open the projections", projections.status());
  }
  parts->projections = std::move(*projections);
  parts->options.retention.utc_offset_minutes = definition.utc_offset_minutes;
  parts->retention = std::make_unique<RetentionProposals>(
      *parts->store, *parts->handler, *parts->projections,
      parts->options.retention);
  parts->event_streams = std::make_unique<EventStreamService>(
      *parts->store, definition, parts->options.sse);
  auto people = People::Open(*parts->store, parts->options.people);
  if (!people.ok()) return Naming("open the sign-in sessions", people.status());
  parts->people = std::move(*people);
  parts->openapi = std::make_unique<OpenApi>(definition);
  return std::unique_ptr<Service>(new Service(std::move(parts)));
}

Service::Service(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Service::~Service() { Stop(); }

Status Service::Start(std::function<nlohmann::json()> relay_detail) {
  Parts& p = *parts_;
  p.projections->Start();
  ApiServices services{*p.store,         *p.audit,   *p.handler,
                       *p.definition,    *p.tokens,  *p.idempotency,
                       p.metrics,        *p.openapi, *p.projections,
                       *p.event_streams, *p.people,  *p.retention,
                       *p.documents};
  services.queries = p.options.queries;
  services.relay_detail = std::move(relay_detail);
  AddApiRoutes(p.router, services);
  for (const std::string& mismatch : p.openapi->Mismatches(p.router)) {
    spdlog::warn("/openapi.json: {}", mismatch);
  }
  p.server = std::make_unique<Server>(p.options.server, p.router, &p.metrics);
  p.started = true;
  p.retention->Start();
  return p.server->Start();
}

void Service::Stop() {
  Parts& p = *parts_;
  if (p.stopped) return;
  p.stopped = true;
  p.event_streams->Shutdown();  // final events out before the I/O stops
  if (p.server) {
    p.server->Stop();
    p.server->Wait();
  }
  p.retention->Stop();
  if (p.started) p.projections->Stop();
}

const std::optional<IssuedToken>& Service::first_admin_token() const {
  return parts_->first_admin_token;
}
EventStore& Service::store() { return *parts_->store; }
Metrics& Service::metrics() { return parts_->metrics; }
TokenRegistry& Service::tokens() { return *parts_->tokens; }

CommandHandler& Service::handler() { return *parts_->handler; }
std::uint16_t Service::port() const {
  return parts_->server ? parts_->server->port() : 0;
}

}  // namespace exemplar::api
