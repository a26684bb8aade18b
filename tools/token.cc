#include "tools/token.h"

#include <spdlog/spdlog.h>

#include <functional>
#include <iostream>
#include <memory>

#include "api/tokens.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/tokens.h"
#include "events/clock.h"
#include "projections/queries.h"
#include "tools/data_folder.h"

namespace exemplar::tools {
namespace {

// Token commands consult no workflow definition: the handler gets an empty
// one.
const Definition& NoDefinition() {
  static const Definition kNone;
  return kNone;
}

// A token command by the operator at the console, now: the engine lets the
// console manage any registered user's tokens.
SystemCommand ConsoleCommand(SystemAction action, std::int64_t now) {
  SystemCommand command{std::move(action), Actor{"console", "admin", ""}, now,
                        "cli", ""};
  command.console = true;
  return command;
}

// Opens the data folder's store as its writer and runs `run` with a command
// handler on it; returns what `run` returns, or 1 when the store does not
// open.
int WithConsoleHandler(const TokenOptions& options,
                       const std::function<int(CommandHandler&)>& run) {
  auto store = OpenDataFolder(options.data_dir, StoreAccess::kWriter);
  if (!store.ok()) {
    spdlog::critical("cannot open {}: {}", options.data_dir,
                     store.status().ToString());
    return 1;
  }
  CommandHandler handler(store->get(), &NoDefinition());
  return run(handler);
}

}  // namespace

int RunTokenCreate(const TokenOptions& options) {
  Result<NewToken> drawn = DrawToken();
  if (!drawn.ok()) {
    spdlog::critical("{}", drawn.status().ToString());
    return 1;
  }
  return WithConsoleHandler(options, [&](CommandHandler& handler) {
    const std::int64_t now = SystemClockMicros();
    auto token = api::IssueToken(
        handler, nullptr, *drawn,
        ConsoleCommand(TokenIssuedFor(*drawn, options.user_id, now,
                                      options.expires_in_days * kDay),
                       now));
    if (!token.ok()) {
      if (token.status().code() == StatusCode::kNotFound) {
        spdlog::critical("no user {} in {}", options.user_id, options.data_dir);
      } else {
        spdlog::critical("{}", token.status().ToString());
      }
      return 1;
    }
    std::cout << "token_id " << token->token_id << "\n"
              << "token    " << token->secret << "   (shown once)\n"
              << "expires  "
              << projections::FormatInstant(token->expires_at_us, 0) << "\n";
    return 0;
  });
}

int RunTokenRevoke(const TokenOptions& options) {
  return WithConsoleHandler(options, [&](CommandHandler& handler) {
    auto revoked = handler.Handle(ConsoleCommand(
        TokenRevoked{options.token_id, ""}, SystemClockMicros()));
    if (!revoked.ok()) {
      spdlog::critical("{}", revoked.status().ToString());
      return 1;
    }
    std::cout << "revoked " << options.token_id << "\n";
    return 0;
  });
}

void AddTokenCommands(CLI::App& app, Commands& commands) {
  CLI::App* group = CommandGroup(app, "token", "Manage API tokens offline");
  auto options = std::make_shared<TokenOptions>();
  CLI::App* create = group->add_subcommand("create", "Issue a token");
  AddDataOption(create, &options->data_dir);
  create->add_option("--user", options->user_id, "The token's user")
      ->required();
  create
      ->add_option("--expires-in-days", options->expires_in_days,
                   "Days until the token expires")
      ->capture_default_str()
      ->check(CLI::Range(kMinTokenLifetimeDays, kMaxTokenLifetimeDays));
  commands.push_back({create, [options] { return RunTokenCreate(*options); }});
  CLI::App* revoke = group->add_subcommand("revoke", "Revoke a token");
  AddDataOption(revoke, &options->data_dir);
  revoke->add_option("--id", options->token_id, "The token's id")->required();
  commands.push_back({revoke, [options] { return RunTokenRevoke(*options); }});
}

}  // namespace exemplar::tools
