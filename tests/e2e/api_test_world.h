// A running server with a small organisation set up through the API: a
// province with two districts and a commune in each, and one user per role
// with a token. For the end-to-end API tests.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/server_process.h"

namespace exemplar::testing {

class ApiWorld {
 public:
  explicit ApiWorld(const ServerProcessOptions& options = {})
      : options_(options),
        server_(std::make_unique<ServerProcess>(data_dir(), options)) {
    Post("/v1/units", {{"unit_id", "kh"},
                       {"name", "Tỉnh Khánh Hòa"},
                       {"level", "province"},
                       {"parent_id", "vn"}});
    Post("/v1/units", {{"unit_id", "d1"},
                       {"name", "Huyện Cam Lâm"},
                       {"level", "district"},
                       {"parent_id", "kh"}});
    Post("/v1/units", {{"unit_id", "d2"},
                       {"name", "Huyện Diên Khánh"},
                       {"level", "district"},
                       {"parent_id", "kh"}});
    Post("/v1/units", {{"unit_id", "c1"},
                       {"name", "Xã Cam Hải Tây"},
                       {"level", "commune"},
                       {"parent_id", "d1"}});
    Post("/v1/units", {{"unit_id", "c2"},
                       {"name", "Xã Diên An"},
                       {"level", "commune"},
                       {"parent_id", "d2"}});
    for (const auto& [user, role, unit] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"reporter", "reporter", "c1"},
             {"mentor", "mentor", "c1"},
             {"nominator", "nominator", "c1"},
             {"appraiser", "appraiser", "d1"},
             {"approver", "approver", "d1"},
             {"reporter2", "reporter", "c2"}}) {
      Person(user, role, unit);
    }
    Post("/v1/campaigns", {{"campaign_id", "gen"},
                           {"name", "Thi đua yêu nước"},
                           {"unit_id", "kh"},
                           {"period_start", "2020-01-01"},
                           {"period_end", "2030-12-31"},
                           {"criteria_set", "general"}});
  }

  // Registers `user` at `unit`, grants `role` there, and keeps a token.
  void Person(const std::string& user, const std::string& role,
              const std::string& unit) {
    Post("/v1/users", {{"user_id", user},
                       {"full_name", "Cán bộ " + user},
                       {"home_unit_id", unit}});
    Post("/v1/users/" + user + "/grants", {{"role", role}, {"unit_id", unit}});
    HttpReply token = server_->Request(boost::beast::http::verb::post,
                                       "/v1/users/" + user + "/tokens");
    EXPECT_EQ(token.status, 201) << token.body;
    tokens_[user] = nlohmann::json::parse(token.body)["token"];
  }

  // POST as the admin; fails the test unless 2xx.
  nlohmann::json Post(const std::string& target, const nlohmann::json& body) {
    HttpReply reply =
        server_->Request(boost::beast::http::verb::post, target, body.dump());
    EXPECT_LT(reply.status, 300) << target << " " << reply.body;
    return nlohmann::json::parse(reply.body);
  }

  // POST as `user` with extra headers.
  HttpReply As(const std::string& user, const std::string& target,
               const nlohmann::json& body, Headers headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + tokens_.at(user));
    return server_->RequestWith(boost::beast::http::verb::post, target, headers,
                                body.dump());
  }

  std::uint64_t Head() {
    HttpReply ready =
        server_->Request(boost::beast::http::verb::get, "/readyz");
    return nlohmann::json::parse(ready.body)["head_position"];
  }

  ServerProcess& server() { return *server_; }
  // Stops the server (SIGTERM) and starts it again on the same folder,
  // with `options` when given.
  void Restart(const ServerProcessOptions* options = nullptr) {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(
        data_dir(), options != nullptr ? *options : options_);
  }
  std::string data_dir() const { return dir_.str() + "/data"; }
  const std::string& token(const std::string& user) { return tokens_.at(user); }

 private:
  TempDir dir_;
  const ServerProcessOptions options_;
  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> tokens_;
};

// Fields of a valid detection in commune `unit`.
inline nlohmann::json DetectFields(const std::string& unit = "c1") {
  return {{"subject_kind", "household"},
          {"name", "Hộ bà Nguyễn Thị Lan"},
          {"unit_id", unit},
          {"field", "production_business"},
          {"summary", "Hộ sản xuất kinh doanh giỏi"},
          {"source", "branch_report"},
          {"cultured_family", true}};
}

}  // namespace exemplar::testing
