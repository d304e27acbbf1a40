// GET /_ping, /v1/version and /v1/info through curl and the client library.
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace silo::testing {
namespace {

using nlohmann::json;

class SystemRoutes : public DaemonTest {};

TEST_F(SystemRoutes, PingAnswersOk) {
  const auto r = curl("GET", "/_ping").response;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "OK");
  EXPECT_FALSE(header_value(r, "X-Request-Id").empty());
  EXPECT_TRUE(client().ping());
}

TEST_F(SystemRoutes, EveryResponseHasItsOwnRequestId) {
  const auto first = curl("GET", "/_ping").response;
  const auto second = curl("GET", "/_ping").response;
  EXPECT_FALSE(header_value(first, "X-Request-Id").empty());
  EXPECT_NE(header_value(first, "X-Request-Id"), header_value(second, "X-Request-Id"));
}

TEST_F(SystemRoutes, VersionViaCurlNamesThisBuild) {
  const auto r = curl("GET", "/v1/version").response;
  ASSERT_EQ(r.status, 200);
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["version"], "0.1.0");
  EXPECT_EQ(body["apiVersion"], "v1");
  EXPECT_EQ(body["os"], "linux");
}

TEST_F(SystemRoutes, VersionViaClientLibraryMatchesCurl) {
  const auto raw_body = json::parse(raw("GET", "/v1/version").body);
  const auto version = client().version();
  ASSERT_TRUE(version) << version.error().error.message;
  EXPECT_EQ(version->version, "0.1.0");
  EXPECT_EQ(version->api_version, "v1");
  EXPECT_EQ(version->raw, raw_body);
}

TEST_F(SystemRoutes, InfoReportsWhichIsolationModesWorkAndWhyNot) {
  // process and hyperv have no backend in this silod yet: they must say so, and why. hostprocess
  // is what the real backend's probe says: available, or unavailable with the reason.
  const auto r = curl("GET", "/v1/info").response;
  ASSERT_EQ(r.status, 200);
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["isolation"]["hyperv"]["available"], false);
  EXPECT_FALSE(body["isolation"]["hyperv"]["reason"].get<std::string>().empty());
  // process (runc) and hostprocess depend on this host; either way a reason comes exactly with unavailable.
  for (const char* mode : {"process", "hostprocess"}) {
    SCOPED_TRACE(mode);
    const auto& status = body["isolation"][mode];
    EXPECT_EQ(status["available"].get<bool>(), status["reason"].get<std::string>().empty());
  }
}

TEST_F(SystemRoutes, InfoDescribesThisDaemon) {
  const auto info = client().info();
  ASSERT_TRUE(info) << info.error().error.message;
  EXPECT_EQ(std::filesystem::weakly_canonical(info->data_root),
            std::filesystem::weakly_canonical(silod().data_root()));
  EXPECT_GE(info->cpus, 1);
  EXPECT_GT(info->memory_bytes, 0);
  EXPECT_EQ(info->containers_total, 0);
  EXPECT_EQ(info->sandboxes, 0);
  EXPECT_EQ(info->layers, 0);
  EXPECT_EQ(info->versions.at("silo"), "0.1.0");
  ASSERT_EQ(info->isolation.size(), 3u);
  raw("GET", "/v1/info");  // the library's raw view is checked against the contract too
}

}  // namespace
}  // namespace silo::testing
