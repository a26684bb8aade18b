// The real binary serves the console it was built with: index.html at /,
// the files it names under /assets/, compressed as accepted; or, built
// without Node, a page and a log line that say the console is missing.
#include <gtest/gtest.h>

#include <regex>

#include "api/console_assets.h"
#include "tests/support/server_process.h"

namespace exemplar {
namespace {

using boost::beast::http::verb;
using testing::ServerProcess;
using testing::TempDir;

TEST(ConsoleTest, TheRootServesTheConsoleAndItsFilesWithoutSigningIn) {
  if (api::ConsoleAssets().empty()) GTEST_SKIP() << "console not built";
  TempDir dir;
  ServerProcess server(dir.str());
  auto index = server.RequestWith(verb::get, "/", {});
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.headers["Cache-Control"], "no-cache");
  EXPECT_EQ(index.headers["X-Frame-Options"], "DENY");
  EXPECT_EQ(index.body.find("<script>"), std::string::npos)
      << "no inline script under default-src 'self'";

  std::smatch script;
  ASSERT_TRUE(std::regex_search(
      index.body, script, std::regex(R"re(src="(/assets/main-[^"]+\.js)")re")))
      << index.body;
  auto brotli = server.RequestWith(verb::get, script[1].str(),
                                   {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(brotli.status, 200);
  EXPECT_EQ(brotli.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(brotli.headers["Content-Encoding"], "br");
  EXPECT_EQ(brotli.headers["Cache-Control"],
            "public, max-age=31536000, immutable");
  auto plain = server.RequestWith(verb::get, script[1].str(), {});
  EXPECT_EQ(plain.headers.count("Content-Encoding"), 0u);
  EXPECT_GT(plain.body.size(), brotli.body.size());

  std::smatch style;
  ASSERT_TRUE(
      std::regex_search(index.body, style,
                        std::regex(R"re(href="(/assets/main-[^"]+\.css)")re")));
  auto css = server.RequestWith(verb::get, style[1].str(),
                                {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.headers["Content-Encoding"], "gzip");

  EXPECT_EQ(server.RequestWith(verb::get, "/assets/main-nothere.js", {}).status,
            404);
}

TEST(ConsoleTest, WithoutTheConsoleTheRootAndTheLogSaySo) {
  if (!api::ConsoleAssets().empty()) GTEST_SKIP() << "console built";
  TempDir dir;
  ServerProcess server(dir.str());
  auto index = server.RequestWith(verb::get, "/", {});
  EXPECT_EQ(index.status, 404);
  EXPECT_NE(index.body.find("Console not built"), std::string::npos);
  EXPECT_NE(server.Output().find("web console is not built"), std::string::npos)
      << server.Output();
}

}  // namespace
}  // namespace exemplar
