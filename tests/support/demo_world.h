// The demo province served by the real binary, for end-to-end tests:
// `exemplar demo` into a fresh folder, then `exemplar serve` on it, with
// the tokens the demo printed, by user ("reporter-camlam-1").
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <string>

#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace exemplar::testing {

inline nlohmann::json Body(const HttpReply& reply) {
  return nlohmann::json::parse(reply.body);
}

class DemoWorld {
 public:
  DemoWorld() {
    const std::string command = std::string(EXEMPLAR_BINARY) + " demo --data " +
                                dir_.str() + "/data 2>&1";
    FILE* out = popen(command.c_str(), "r");
    if (out == nullptr) throw std::runtime_error("cannot run the demo");
    const std::regex token_line(R"(^  (\S+) \((\S+) @ (\S+)\): (\S+)\s*$)");
    char line[4096];
    while (fgets(line, sizeof line, out)) {
      std::cmatch match;
      if (std::regex_match(line, match, token_line)) {
        tokens_[match[1].str()] = match[4].str();
      }
    }
    if (pclose(out) != 0 || !tokens_.count("admin")) {
      throw std::runtime_error("the demo printed no tokens");
    }
    server_ = std::make_unique<ServerProcess>(dir_.str() + "/data");
    HttpReply ready =
        server_->RequestWith(boost::beast::http::verb::get, "/readyz", {});
    head_ = Body(ready)["head_position"];
  }

  HttpReply Get(const std::string& user, const std::string& target,
                Headers headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + tokens_.at(user));
    return server_->RequestWith(boost::beast::http::verb::get, target, headers);
  }

  HttpReply Post(const std::string& user, const std::string& target,
                 const nlohmann::json& body, Headers headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + tokens_.at(user));
    return server_->RequestWith(boost::beast::http::verb::post, target, headers,
                                body.dump());
  }

  HttpReply Delete(const std::string& user, const std::string& target) {
    return server_->RequestWith(
        boost::beast::http::verb::delete_, target,
        {{"Authorization", "Bearer " + tokens_.at(user)}});
  }

  // The log's head when the server started: a query's `min_position` to
  // read the whole demo.
  std::string head() const { return std::to_string(head_); }

  // The first exemplar `user` sees in `state` under `unit`, once the
  // projections have folded the demo's log.
  std::string FirstIn(const std::string& user, const std::string& state,
                      const std::string& unit) {
    HttpReply list =
        Get(user, "/v1/exemplars?limit=1&state=" + state + "&unit=" + unit +
                      "&min_position=" + std::to_string(head_));
    EXPECT_EQ(list.status, 200) << list.body;
    const nlohmann::json items = Body(list)["items"];
    if (items.empty()) {
      ADD_FAILURE() << "no exemplar " << state << " in " << unit;
      return "";
    }
    return items[0]["id"];
  }

 private:
  TempDir dir_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
  std::uint64_t head_ = 0;  // the log's head when the server started
};

// A test suite sharing one demo province, written when the suite starts.
class DemoWorldTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new DemoWorld(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  static inline DemoWorld* world_ = nullptr;
};

}  // namespace exemplar::testing
