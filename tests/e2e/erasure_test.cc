// Erasing a data subject's personal data, end to end against the real
// binary: four-eyes, the refusal of a kept class with its reason, the
// plain value gone from every answer and from every byte of every file
// under the data folder (table files uncompressed, so that a compressed
// block cannot hide a name), while the log still verifies.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/api_test_world.h"
#include "tests/support/cli_run.h"
#include "tests/support/opaque_id.h"

namespace exemplar::testing {
namespace {

const std::string kXuyen = OpaqueId("xuyen");

using boost::beast::http::verb;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kName = "Hộ bà Phạm Thị Xuyến ở đầm Thủy Triều";
const std::string kMasterKey(64, 'a');

// The files under `folder` that hold `needle`.
std::vector<std::string> FilesHolding(const fs::path& folder,
                                      std::string_view needle) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in),
                            std::istreambuf_iterator<char>()};
    if (bytes.find(needle) != std::string::npos) {
      found.push_back(entry.path().filename().string());
    }
  }
  return found;
}

// Table files uncompressed, and the master key outside the data folder.
ServerProcessOptions Options() {
  ServerProcessOptions options;
  options.env = {{"EXEMPLAR_COMPRESS_TABLES", "0"},
                 {"EXEMPLAR_MASTER_KEY", kMasterKey}};
  return options;
}

class ErasureTest : public ::testing::Test {
 protected:
  ErasureTest() : world_(Options()) {
    world_.Person("dpo", "data_protection_officer", "d1");
    // The officer also approves, so that only four-eyes stops them
    // approving their own request.
    world_.Post("/v1/users/dpo/grants",
                {{"role", "approver"}, {"unit_id", "d1"}});
    json fields = DetectFields();
    fields["exemplar_id"] = kXuyen;
    fields["name"] = kName;
    HttpReply detected = world_.As("reporter", "/v1/exemplars", fields);
    EXPECT_EQ(detected.status, 201) << detected.body;
  }

  HttpReply Erasure(const std::string& user, const std::string& action,
                    const json& body, const std::string& role) {
    return world_.As(user, "/v1/exemplars/" + kXuyen + "/" + action, body,
                     {{"X-Acting-Role", role}, {"X-Acting-Unit", "d1"}});
  }
  json RequestBody(const std::string& retention_class) {
    return {{"retention_class", retention_class},
            {"legal_article", "Điều 16 Luật Bảo vệ dữ liệu cá nhân 2025"},
            {"legal_reference", "Đơn đề nghị số 12/2026"},
            {"legal_date", "2026-11-20"}};
  }
  json Get(const std::string& target) {
    HttpReply reply = world_.server().RequestWith(
        verb::get, target,
        {{"Authorization", "Bearer " + world_.token("approver")}});
    EXPECT_EQ(reply.status, 200) << target << " " << reply.body;
    return json::parse(reply.body);
  }
  fs::path data() const { return world_.data_dir(); }

  ApiWorld world_;
};

TEST_F(ErasureTest, AKeptClassIsRefusedWithTheReasonItIsKept) {
  HttpReply refused =
      world_.As("dpo", "/v1/exemplars/" + kXuyen + "/request_erasure",
                RequestBody("published"),
                {{"X-Acting-Role", "data_protection_officer"},
                 {"Accept-Language", "vi"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  const json problem = json::parse(refused.body);
  EXPECT_EQ(problem["type"], "personal_data_kept") << refused.body;
  EXPECT_EQ(problem["field"], "retention_class");
  // The reason the definition keeps it, in the asker's language.
  EXPECT_NE(
      problem["detail"].get<std::string>().find("hồ sơ của cơ quan nhà nước"),
      std::string::npos)
      << refused.body;
}

TEST_F(ErasureTest, ErasureNeedsARequestAndAnotherPersonsApproval) {
  HttpReply unrequested =
      Erasure("approver", "approve_erasure",
              {{"retention_class", "exemplar_file"}}, "approver");
  EXPECT_EQ(json::parse(unrequested.body)["type"], "erasure_not_requested")
      << unrequested.body;
  HttpReply requested =
      Erasure("dpo", "request_erasure", RequestBody("exemplar_file"),
              "data_protection_officer");
  ASSERT_EQ(requested.status, 200) << requested.body;
  HttpReply own = Erasure("dpo", "approve_erasure",
                          {{"retention_class", "exemplar_file"}}, "approver");
  EXPECT_EQ(json::parse(own.body)["type"], "four_eyes_violation") << own.body;
  EXPECT_EQ(Get("/v1/exemplars/" + kXuyen)["name"], kName);
}

TEST_F(ErasureTest, AnErasedNameIsGoneFromAnswersAndFromEveryFile) {
  EXPECT_EQ(Get("/v1/exemplars/" + kXuyen)["name"], kName);
  // The scan finds the name once the read model has written its row.
  bool found = false;
  for (int i = 0; i < 100 && !found; ++i) {
    found = !FilesHolding(data(), kName).empty();
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(found);

  ASSERT_EQ(Erasure("dpo", "request_erasure", RequestBody("exemplar_file"),
                    "data_protection_officer")
                .status,
            200);
  HttpReply approved =
      Erasure("approver", "approve_erasure",
              {{"retention_class", "exemplar_file"}}, "approver");
  ASSERT_EQ(approved.status, 200) << approved.body;
  const std::string after =
      "?min_position=" +
      std::to_string(json::parse(approved.body)["position"].get<int>());

  const json view = Get("/v1/exemplars/" + kXuyen + after);
  EXPECT_EQ(view["name"], "[erased]") << view.dump();
  const json history = Get("/v1/exemplars/" + kXuyen + "/history" + after);
  EXPECT_EQ(history["events"][0]["data"]["fields"]["name"], "[erased]");
  EXPECT_EQ(history.dump().find("Xuyến"), std::string::npos);
  const json searched = Get("/v1/exemplars?q=pham%20thi%20xuyen");
  EXPECT_TRUE(searched["items"].empty()) << searched.dump();
  EXPECT_EQ(FilesHolding(data(), kName), std::vector<std::string>{});

  // The log is untouched: it still verifies, and the erasure event itself
  // carries no personal data.
  const CliRun verified = RunCli("audit verify --data " + data().string());
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
}  // namespace exemplar::testing
