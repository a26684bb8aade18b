// First start: the admin, its grant and its token are written together or
// not at all.
#include "api/bootstrap.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace exemplar::api {
namespace {

class BootstrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    definition_ = std::move(LoadDefinition(std::string(EXEMPLAR_SOURCE_DIR) +
                                           "/workflows/exemplar.json")
                                .value());
    store_ = std::move(EventStore::Open(dir_.str()).value());
    handler_ = std::make_unique<CommandHandler>(store_.get(), &definition_);
    tokens_ = std::move(TokenRegistry::Load(store_.get()).value());
  }

  testing::TempDir dir_;
  Definition definition_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<CommandHandler> handler_;
  std::unique_ptr<TokenRegistry> tokens_;
};

TEST_F(BootstrapTest, ABadGivenTokenIsRefusedBeforeAnythingIsWritten) {
  for (const std::string& bad : {std::string("short"), std::string(201, 'x'),
                                 std::string("twenty characters or\nmore")}) {
    auto result = BootstrapIfEmpty(*store_, *handler_, *tokens_, bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->head().position, 0u) << bad;
  }
  // So a corrected token still gets the first start.
  auto fixed = BootstrapIfEmpty(*store_, *handler_, *tokens_,
                                "a-good-admin-token-0123456789");
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  ASSERT_TRUE(fixed->has_value());
  EXPECT_EQ((*fixed)->secret, "a-good-admin-token-0123456789");
}

TEST_F(BootstrapTest, OnlyAnEmptyLogIsBootstrapped) {
  auto first = BootstrapIfEmpty(*store_, *handler_, *tokens_);
  ASSERT_TRUE(first.ok() && first->has_value());
  std::uint64_t head = store_->head().position;
  auto second = BootstrapIfEmpty(*store_, *handler_, *tokens_);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  EXPECT_EQ(store_->head().position, head);
}

}  // namespace
}  // namespace exemplar::api
