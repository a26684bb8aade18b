// The refusal catalogue covers every code the engine and the API answer
// with: the codes are read from the sources themselves (every
// Status::Rejected, Problem and Session::Reject spelled with a literal
// code, and every StatusCode a problem may name), so a new code without its
// Vietnamese and English texts fails here.
#include "events/refusal_texts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace exemplar {
namespace {

// The codes spelled as literals where a refusal is made in the files of
// `folder`.
std::set<std::string> CodesIn(const std::string& folder) {
  static const std::regex kRefusal(
      R"re((?:Rejected|Problem|Reject|TooManyRequests)\(\s*)re"
      R"re((?:request,\s*)?(?:[\w:]+(?:\([^()]*\))?,\s*)?"([a-z0-9_]+)")re");
  std::set<std::string> codes;
  const std::filesystem::path root =
      std::filesystem::path(EXEMPLAR_SOURCE_DIR) / folder;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root)) {
    const std::string extension = entry.path().extension().string();
    if (extension != ".cc" && extension != ".h") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string code = text.str();
    for (std::sregex_iterator it(code.begin(), code.end(), kRefusal), end;
         it != end; ++it) {
      codes.insert((*it)[1].str());
    }
  }
  return codes;
}

TEST(RefusalTextsTest, EveryCodeInUseHasBothTexts) {
  std::set<std::string> codes;
  for (const char* folder :
       {"events", "engine", "projections", "api", "relay", "tools"}) {
    codes.merge(CodesIn(folder));
  }
  // What ProblemFromStatus names after a status code (api/http.h).
  for (StatusCode code :
       {StatusCode::kInvalidArgument, StatusCode::kNotFound,
        StatusCode::kVersionConflict, StatusCode::kIdempotencyReused,
        StatusCode::kCorruption, StatusCode::kUnavailable, StatusCode::kDropped,
        StatusCode::kIoError, StatusCode::kInternal}) {
    const std::string name = StatusCodeName(code);
    if (name != "invalid_argument" && name != "idempotency_key_reused") {
      codes.insert(name);
    }
  }
  // The reading is not vacuous: the well-known codes were found.
  for (const char* known :
       {"validation_failed", "exemplar_not_found", "role_not_permitted",
        "invalid_transition", "not_authorised", "not_in_scope",
        "unauthenticated", "ambiguous_role", "malformed_json", "invalid_utf8",
        "body_too_large", "too_many_requests"}) {
    EXPECT_TRUE(codes.count(known)) << known << " was not found in use";
  }
  EXPECT_GT(codes.size(), 40u);
  for (const std::string& code : codes) {
    const RefusalText* text = FindRefusalText(code);
    ASSERT_NE(text, nullptr) << "no texts for refusal code " << code;
    EXPECT_FALSE(text->vi.empty()) << code;
    EXPECT_FALSE(text->en.empty()) << code;
    EXPECT_NE(text->vi, text->en) << code << ": not translated";
  }
}

TEST(RefusalTextsTest, TheCatalogueIsFoundByCode) {
  const RefusalText* four_eyes = FindRefusalText("role_not_permitted");
  ASSERT_NE(four_eyes, nullptr);
  EXPECT_EQ(four_eyes->vi, "Vai trò của bạn không được thực hiện thao tác này");
  EXPECT_EQ(FindRefusalText("no_such_code"), nullptr);
  EXPECT_EQ(FindRefusalText(""), nullptr);
  EXPECT_GT(RefusalCatalogue().size(), 40u);
}

TEST(RefusalTextsTest, ARefusalsOwnTextsComeBeforeTheCatalogue) {
  Status rule = Status::Rejected("four_eyes_violation", "user x nominated it")
                    .WithTexts(
                        "Người phê duyệt không được là người đã giới "
                        "thiệu điển hình này",
                        "The approver may not be the nominator");
  RefusalWords words = WordsOf(rule, rule.reason());
  EXPECT_EQ(words.vi,
            "Người phê duyệt không được là người đã giới thiệu điển hình này");
  EXPECT_EQ(words.en, "The approver may not be the nominator");
  Status plain = Status::Rejected("invalid_transition", "not from voted");
  EXPECT_EQ(WordsOf(plain, plain.reason()).en,
            "This action is not possible in the exemplar's current state");
  Status unknown = Status::Rejected("brand_new_code", "something new");
  EXPECT_EQ(WordsOf(unknown, unknown.reason()).vi, "something new");
}

}  // namespace
}  // namespace exemplar
