#include "tools/token.h"

#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "api/tokens.h"
#include "engine/event_store.h"
#include "engine/workflow/authority.h"
#include "engine/workflow/stream_ids.h"
#include "events/system_events.h"
#include "projections/queries.h"

namespace exemplar::tools {
namespace {

// Whether `user_id` was ever registered, from the log's user events.
Result<bool> UserExists(const EventStore& store, const std::string& user_id) {
  Result<std::optional<std::uint64_t>> version =
      store.StreamVersion(StreamIdOf(StreamKind::kUser, user_id));
  if (!version.ok()) return version.status();
  return version->has_value();
}

// The change is recorded as made by the operator at the console.
api::TokenChange ConsoleChange() {
  return api::TokenChange{Actor{"console", "admin", ""}, "cli", "", 0};
}

}  // namespace

int RunTokenCreate(const TokenOptions& options) {
  auto store = EventStore::Open(options.data_dir);
  if (!store.ok()) {
    spdlog::critical("cannot open {}: {}", options.data_dir,
                     store.status().ToString());
    return 1;
  }
  Result<bool> exists = UserExists(**store, options.user_id);
  if (!exists.ok() || !*exists) {
    spdlog::critical("no user {} in {}", options.user_id, options.data_dir);
    return 1;
  }
  auto tokens = api::TokenRegistry::Load(store->get());
  if (!tokens.ok()) return 1;
  auto token = (*tokens)->Issue(options.user_id, ConsoleChange(),
                                options.expires_in_days * api::kDay);
  if (!token.ok()) {
    spdlog::critical("{}", token.status().ToString());
    return 1;
  }
  std::cout << "token_id " << token->token_id << "\n"
            << "token    " << token->secret << "   (shown once)\n"
            << "expires  "
            << projections::FormatInstant(token->expires_at_us, 0) << "\n";
  return 0;
}

int RunTokenRevoke(const TokenOptions& options) {
  auto store = EventStore::Open(options.data_dir);
  if (!store.ok()) {
    spdlog::critical("cannot open {}: {}", options.data_dir,
                     store.status().ToString());
    return 1;
  }
  auto tokens = api::TokenRegistry::Load(store->get());
  if (!tokens.ok()) return 1;
  auto revoked = (*tokens)->Revoke(options.token_id, ConsoleChange());
  if (!revoked.ok()) {
    spdlog::critical("{}", revoked.status().ToString());
    return 1;
  }
  std::cout << "revoked " << options.token_id << "\n";
  return 0;
}

void AddTokenCommands(CLI::App& app, Commands& commands) {
  CLI::App* group = CommandGroup(app, "token", "Manage API tokens offline");
  auto options = std::make_shared<TokenOptions>();
  CLI::App* create = group->add_subcommand("create", "Issue a token");
  create->add_option("--data", options->data_dir, "Data folder")
      ->capture_default_str();
  create->add_option("--user", options->user_id, "The token's user")
      ->required();
  create
      ->add_option("--expires-in-days", options->expires_in_days,
                   "Days until the token expires")
      ->capture_default_str()
      ->check(
          CLI::Range(api::kMinTokenLifetimeDays, api::kMaxTokenLifetimeDays));
  commands.push_back({create, [options] { return RunTokenCreate(*options); }});
  CLI::App* revoke = group->add_subcommand("revoke", "Revoke a token");
  revoke->add_option("--data", options->data_dir, "Data folder")
      ->capture_default_str();
  revoke->add_option("--id", options->token_id, "The token's id")->required();
  commands.push_back({revoke, [options] { return RunTokenRevoke(*options); }});
}

}  // namespace exemplar::tools
