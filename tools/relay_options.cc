#include "tools/relay_options.h"

#include <fstream>

namespace exemplar::tools {
namespace {

// Binds a CLI option in milliseconds to a std::chrono::milliseconds field.
CLI::Option* AddMillis(CLI::App* app, const std::string& name,
                       std::chrono::milliseconds* field,
                       const std::string& help) {
  return app
      ->add_option_function<std::int64_t>(
          name,
          [field](std::int64_t ms) { *field = std::chrono::milliseconds(ms); },
          help)
      ->default_str(std::to_string(field->count()));
}

}  // namespace

void AddRelayOptions(CLI::App* serve, ServeRelayOptions* options) {
  relay::RelayOptions& relay = options->relay;
  const std::string group = "NATS JetStream relay";
  auto add = [&](CLI::Option* option) { option->group(group); };
  auto with_default = [&](const std::string& name, auto& field,
                          const std::string& help) {
    add(serve->add_option(name, field, help)->capture_default_str());
  };
  add(serve->add_option("--relay-url", options->urls,
                        "NATS server URL; repeat for a cluster. Turns the "
                        "relay on"));
  add(serve->add_option("--relay-creds", relay.credentials_file,
                        "NATS credentials file"));
  add(serve
          ->add_option("--relay-token-file", relay.token,
                       "File holding a NATS token")
          ->transform([](std::string path) {
            std::ifstream in(path);
            if (!in) throw CLI::ValidationError("cannot read " + path);
            std::string token;
            std::getline(in, token);
            return token;
          }));
  add(serve->add_flag("--relay-tls", relay.tls, "Require TLS"));
  add(serve->add_option("--relay-tls-ca", relay.tls_ca_file,
                        "PEM CA bundle for the NATS servers"));
  add(serve->add_option("--relay-tls-cert", relay.tls_cert_file,
                        "PEM client certificate"));
  add(serve->add_option("--relay-tls-key", relay.tls_key_file,
                        "PEM client key"));
  with_default("--relay-stream", relay.stream_name, "JetStream stream name");
  with_default("--relay-subject-prefix", relay.subject_prefix,
               "First subject token(s)");
  with_default("--relay-replicas", relay.replicas,
               "Stream replicas (1, 3 or 5)");
  with_default("--relay-max-in-flight", relay.max_in_flight,
               "Most unacknowledged publishes");
  add(AddMillis(serve, "--relay-dedupe-window-ms", &relay.dedupe_window,
                "Stream duplicate window"));
  add(AddMillis(serve, "--relay-ack-timeout-ms", &relay.ack_timeout,
                "Re-send a publish not acknowledged within this"));
  add(AddMillis(serve, "--relay-max-backoff-ms", &relay.max_backoff,
                "Longest wait between reconnection attempts"));
}

Result<std::unique_ptr<relay::Relay>> StartRelayIfConfigured(
    EventStore* store, const Definition& definition,
    const ServeRelayOptions& options) {
  if (options.urls.empty()) return std::unique_ptr<relay::Relay>();
  relay::RelayOptions relay = options.relay;
  relay.urls = options.urls;
  return relay::Relay::Start(store, definition, std::move(relay));
}

}  // namespace exemplar::tools
