// `serve --relay-url ...`: the NATS JetStream relay (relay/relay.h) runs
// inside the server, because the server's process is the one that may open
// the store (RocksDB admits one process per database) and the relay tails
// the log through the store's in-process subscriptions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "relay/relay.h"
#include "tools/command.h"

namespace exemplar::tools {

struct ServeRelayOptions {
  // NATS server URLs; none (the default) leaves the relay off.
  std::vector<std::string> urls;
  // Everything else, with RelayOptions' defaults; `urls` overrides its own.
  relay::RelayOptions relay;
};

// Adds the --relay-* options to `serve`.
void AddRelayOptions(CLI::App* serve, ServeRelayOptions* options);

// Starts the relay when --relay-url was given, else returns nullptr.
// Errors: those of relay::Relay::Start (an incompatible stream, bad options).
Result<std::unique_ptr<relay::Relay>> StartRelayIfConfigured(
    EventStore* store, const Definition& definition,
    const ServeRelayOptions& options);

}  // namespace exemplar::tools
