#include "tools/serve.h"

#include <signal.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

#include "api/console_assets.h"
#include "api/service.h"
#include "engine/workflow/definition.h"
#include "tools/serve_config.h"
#include "tools/serve_sse.h"

namespace exemplar::tools {

namespace {

// The relay's lag and connection, read at each scrape.
void RegisterRelayMetrics(api::Metrics& metrics, const relay::Relay& relay) {
  metrics.Register(
      "exemplar_relay_lag_events", "gauge",
      "Events appended but not yet acknowledged by JetStream.",
      [&relay] { return static_cast<double>(relay.stats().lag_events); });
  metrics.Register("exemplar_relay_lag_milliseconds", "gauge",
                   "Age of the oldest event not yet acknowledged.", [&relay] {
                     return static_cast<double>(relay.stats().lag_ms);
                   });
  metrics.Register("exemplar_relay_connected", "gauge",
                   "1 while the relay is connected to a NATS server.",
                   [&relay] { return relay.stats().connected ? 1.0 : 0.0; });
}

// The log is mostly the access log, a line per request: it goes through
// stdout's buffer, flushed every second and at once for a warning or worse,
// instead of costing a write per line. Called before any thread starts, as
// spdlog's default logger must not be replaced while threads log.
void BufferTheLog() {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cout);
  auto logger = std::make_shared<spdlog::logger>("", std::move(sink));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace

int RunServe(const ServeOptions& options) {
  // Signals are taken by sigwait below, so block them before any thread
  // starts and inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  BufferTheLog();

  auto definition = LoadDefinition(options.workflow_path);
  if (!definition.ok()) {
    spdlog::critical("invalid workflow definition {}: {}",
                     options.workflow_path, definition.status().message());
    return 1;
  }
  api::ServiceOptions service_options;
  service_options.data_dir = options.data_dir;
  service_options.master_key_file = options.master_key_file;
  service_options.server = options.server;
  service_options.sse = options.sse;
  service_options.queries = options.queries;
  service_options.people = options.people;
  service_options.personal_data = options.personal_data;
  service_options.retention = options.retention;
  service_options.documents = options.documents;
  // For reading the files with plain tools (the erasure tests scan them).
  if (const char* compress = std::getenv("EXEMPLAR_COMPRESS_TABLES")) {
    service_options.compress_tables = std::string(compress) != "0";
  }
  // Set but empty counts as unset: the token drawn is then printed.
  const char* env_secret = std::getenv("EXEMPLAR_ADMIN_TOKEN");
  const bool given_secret = env_secret && *env_secret;
  if (given_secret) service_options.admin_secret = env_secret;
  auto service = api::Service::Open(*definition, std::move(service_options));
  if (!service.ok()) {
    spdlog::critical("{}", service.status().message());
    return 1;
  }
  if ((*service)->first_admin_token() && !given_secret) {
    // Shown once, on the terminal only: the log keeps just its hash.
    std::cout << "First start: admin token (shown once, keep it): "
              << (*service)->first_admin_token()->secret << std::endl;
  }
  // NATS JetStream relay (tools/relay_options.h): off without --relay-url.
  auto relay =
      StartRelayIfConfigured(&(*service)->store(), *definition, options.relay);
  if (!relay.ok()) {
    spdlog::critical("cannot start the relay: {}", relay.status().message());
    return 1;
  }
  std::function<nlohmann::json()> relay_detail;
  if (relay::Relay* running = relay->get()) {
    relay_detail = [running] { return relay::StatsToJson(running->stats()); };
    RegisterRelayMetrics((*service)->metrics(), *running);
  }
  if (Status started = (*service)->Start(relay_detail); !started.ok()) {
    spdlog::critical("{}", started.ToString());
    return 1;
  }
  if (api::ConsoleAssets().empty()) {
    spdlog::warn(
        "the web console is not built into this binary (node and npm were "
        "missing at build time): / says so; the API is served");
  }
  spdlog::info("exemplar serving http://{}:{} with data in {} (head {})",
               options.server.bind_address, (*service)->port(),
               options.data_dir, (*service)->store().head().position);
  spdlog::default_logger()->flush();  // scripts wait for this line

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {}: finishing in-flight requests", signal_number);
  (*service)->Stop();
  if (*relay) (*relay)->Stop();
  service->reset();  // closes the store, after the relay that reads it
  spdlog::info("stopped cleanly");
  spdlog::default_logger()->flush();
  return 0;
}

void AddServeCommand(CLI::App& app, Commands& commands) {
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Serve the HTTP API (settings: defaults < --config file < EXEMPLAR_* "
      "environment < flags)");
  auto config_path = std::make_shared<std::string>();
  serve->add_option("--config", *config_path, "JSON config file");
  // Flags are kept as text and applied last, so that a flag that was given
  // wins over the file and the environment and one not given changes nothing.
  auto flags = std::make_shared<std::map<std::string, std::string>>();
  // The relay's and the event stream's own flags bind directly.
  auto extra = std::make_shared<ServeOptions>();
  AddRelayOptions(serve, &extra->relay);
  AddSseFlags(*serve, extra->sse);
  for (const ServeSetting& setting : ServeSettings()) {
    serve->add_option_function<std::string>(
        setting.flag,
        [flags, name = setting.flag](const std::string& value) {
          (*flags)[name] = value;
        },
        setting.help + " (" + setting.env + ", \"" + setting.key + "\")");
  }
  commands.push_back({serve, [config_path, flags, extra] {
                        ServeOptions options;
                        options.relay = extra->relay;
                        options.sse = extra->sse;
                        Status resolved =
                            ResolveServeOptions(*config_path, *flags, &options);
                        if (!resolved.ok()) {
                          spdlog::critical("{}", resolved.message());
                          return 2;
                        }
                        return RunServe(options);
                      }});
}

}  // namespace exemplar::tools
