// A data folder written through the engine before a server starts on it,
// so that history can lie in the past: the repository's definition, the
// store and a command handler, bootstrapped with the test admin token.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "api/bootstrap.h"
#include "api/tokens.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "tests/support/server_process.h"

namespace exemplar::testing {

// Opens the store in `dir` and bootstraps it at `at_us`; fails the test
// on any error.
inline void OpenSeededFolder(const std::string& dir, std::int64_t at_us,
                             std::unique_ptr<Definition>* definition,
                             std::unique_ptr<EventStore>* store,
                             std::unique_ptr<CommandHandler>* handler) {
  auto loaded = LoadDefinition(std::string(EXEMPLAR_SOURCE_DIR) +
                               "/workflows/exemplar.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  *definition = std::make_unique<Definition>(std::move(*loaded));
  auto opened = EventStore::Open(dir);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  *store = std::move(*opened);
  *handler = std::make_unique<CommandHandler>(store->get(), definition->get());
  auto tokens = api::TokenRegistry::Load(store->get());
  ASSERT_TRUE(tokens.ok());
  auto bootstrap = api::BootstrapIfEmpty(**store, **handler, **tokens,
                                         kTestAdminToken, at_us);
  ASSERT_TRUE(bootstrap.ok()) << bootstrap.status().ToString();
}

}  // namespace exemplar::testing
