#include "tools/demo.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/bootstrap.h"
#include "api/people_routes.h"
#include "api/service.h"
#include "api/tokens.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/credentials.h"
#include "events/clock.h"
#include "tools/data_folder.h"
#include "tools/demo_writer.h"

namespace exemplar::tools {
namespace {

using nlohmann::json;

// Issues a token to each of `featured`, from the admin; returns the secrets
// in the same order.
Result<std::vector<std::pair<Actor, std::string>>> IssueTokens(
    CommandHandler& handler, api::TokenRegistry& tokens,
    const std::map<std::string, Actor>& featured) {
  std::vector<std::pair<Actor, std::string>> issued;
  for (const auto& [user, actor] : featured) {
    auto drawn = DrawToken();
    if (!drawn.ok()) return drawn.status();
    const std::int64_t now = SystemClockMicros();
    auto token = api::IssueToken(
        handler, &tokens, *drawn,
        SystemCommand{TokenIssuedFor(*drawn, user, now, kDemoTokenLifetime),
                      Actor{api::kAdminUserId, "admin", api::kRootUnitId}, now,
                      "demo", ""});
    if (!token.ok()) return token.status();
    issued.emplace_back(actor, token->secret);
  }
  return issued;
}

// Gives each of `users` the password kDemoPassword as a person gets one: the
// admin issues a setup code and the person sets the password with it. One
// Argon2id hash serves them all: hashing a hundred times would cost the
// demo seconds, and a demo's shared password needs no salt of its own.
Status SetDemoPasswords(CommandHandler& handler, api::People& people,
                        const std::vector<std::string>& users) {
  Result<std::string> hash = people.hasher().Hash(kDemoPassword);
  if (!hash.ok()) return hash.status();
  std::vector<std::function<Status()>> tasks;
  for (const std::string& user : users) {
    tasks.push_back([&handler, &people, &hash, user]() -> Status {
      Result<std::string> code = DrawSetupCode();
      if (!code.ok()) return code.status();
      const std::int64_t now = SystemClockMicros();
      const Actor admin{api::kAdminUserId, "admin", api::kRootUnitId};
      Result<AppendResult> issued = handler.Handle(SystemCommand{
          SetupCodeIssuedFor(user, *code, now), admin, now, "demo", ""});
      if (!issued.ok()) return issued.status();
      return api::RecordPassword(
          handler, people,
          SystemCommand{PasswordSet{user, SetupCodeHash(*code)},
                        Actor{user, "", ""}, now, "demo", ""},
          *hash);
    });
  }
  return RunAll(tasks);
}

// Writes `text` to a new file at `path` readable by its owner only: it holds
// the secrets of the printed tokens.
Status WritePrivateFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IoError("cannot create " + path + ": " +
                           std::strerror(errno));
  }
  bool written = ::write(fd, text.data(), text.size()) ==
                 static_cast<ssize_t>(text.size());
  written = ::close(fd) == 0 && written;
  if (!written) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace

int RunDemo(const DemoOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto definition = LoadDefinition(options.workflow_path);
  if (!definition.ok()) {
    spdlog::critical("invalid workflow definition: {}",
                     definition.status().message());
    return 1;
  }
  auto store = EventStore::Open(options.data_dir);
  if (!store.ok()) {
    spdlog::critical("cannot open {}: {}", options.data_dir,
                     store.status().ToString());
    return 1;
  }
  if ((*store)->head().position != 0) {
    spdlog::critical("{} already holds a log; demo data goes into an empty one",
                     options.data_dir);
    return 1;
  }
  auto tokens = api::TokenRegistry::Load(store->get());
  if (!tokens.ok()) return 1;
  auto personal_data =
      api::OpenPersonalData(**store, options.data_dir, options.master_key_file);
  if (!personal_data.ok()) {
    spdlog::critical("cannot open the key vault: {}",
                     personal_data.status().ToString());
    return 1;
  }
  documents::DocumentOptions document_options;
  // A round of the history may upload for one person once per step.
  document_options.max_staged_per_user = 64;
  auto documents = documents::DocumentStore::Open(
      api::DocumentsFolder(options.data_dir), document_options);
  if (!documents.ok()) {
    spdlog::critical("cannot open the documents folder: {}",
                     documents.status().ToString());
    return 1;
  }
  CommandHandlerOptions handler_options;
  handler_options.personal_data = personal_data->get();
  handler_options.documents = documents->get();
  CommandHandler handler(store->get(), &*definition, handler_options);
  const std::int64_t founded = DemoAt(2025, 1, 2);
  DemoWriter writer(handler, *definition, options.seed, documents->get());
  Status written = api::FoundOrganisation(handler, founded);
  if (written.ok()) {
    written = api::RecordWorkflowDefinition(handler, founded);
  }
  if (written.ok()) written = writer.Organisation(founded);
  if (written.ok()) {
    writer.History(options.exemplars);
    written = writer.Run();
  }
  if (!written.ok()) {
    spdlog::critical("demo data failed: {}", written.ToString());
    return 1;
  }
  // The admin's token too comes after the history, so the log's times stay
  // in order.
  std::map<std::string, Actor> featured = writer.Featured();
  featured.emplace(api::kAdminUserId,
                   Actor{api::kAdminUserId, "admin", api::kRootUnitId});
  auto issued = IssueTokens(handler, **tokens, featured);
  if (!issued.ok()) {
    spdlog::critical("demo tokens failed: {}", issued.status().ToString());
    return 1;
  }
  auto people = api::People::Open(**store, api::PeopleOptions{});
  Status passwords = people.ok()
                         ? SetDemoPasswords(handler, **people, writer.users())
                         : people.status();
  if (!passwords.ok()) {
    spdlog::critical("demo passwords failed: {}", passwords.ToString());
    return 1;
  }
  const std::string tokens_path = options.data_dir + "/demo-tokens.json";
  json tokens_file = json::object();
  for (const auto& [actor, secret] : *issued) {
    tokens_file[actor.user_id] = secret;
  }
  if (Status saved = WritePrivateFile(tokens_path, tokens_file.dump(2) + "\n");
      !saved.ok()) {
    spdlog::critical("{}", saved.ToString());
    return 1;
  }
  std::cout << "Demo province written to " << options.data_dir << ": "
            << writer.commands() << " commands, head position "
            << (*store)->head().position << ", in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count()
            << " ms.\nTokens to try, also in " << tokens_path
            << " (they expire in 30 days):\n";
  for (const auto& [actor, secret] : *issued) {
    std::cout << "  " << actor.user_id << " (" << actor.role << " @ "
              << actor.unit_id << "): " << secret << "\n";
  }
  writer.PrintGuide(std::cout, featured);
  std::cout << "Every person signs in to the console with their user id "
               "and the password "
            << kDemoPassword << "\n";
  return 0;
}

void AddDemoCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* demo =
      app.add_subcommand("demo", "Write a demo province into an empty store");
  AddDataOption(demo, &options->data_dir);
  AddMasterKeyOption(demo, &options->master_key_file);
  demo->add_option("--workflow", options->workflow_path,
                   "Workflow definition JSON")
      ->capture_default_str();
  demo->add_option("--exemplars", options->exemplars, "Exemplars to create")
      ->capture_default_str();
  demo->add_option("--seed", options->seed, "Seed of the history")
      ->capture_default_str();
  commands.push_back({demo, [options] { return RunDemo(*options); }});
}

}  // namespace exemplar::tools
