// The composition root in-process: a daemon on a temporary socket and data root answers /v1/info
// from the real store, refuses to start twice on one socket or data root, and stops gracefully.
#include "raw_client.h"
#include "service/composition_root.h"
#include "test_server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <future>

namespace silo::service {
namespace {

using namespace std::chrono_literals;

Invocation invocation_for(const std::filesystem::path& dir, const std::string& socket_name) {
  auto parsed = parse_invocation({"--data-root", (dir / "data").string(), "--host", "unix://" + (dir / socket_name).string()});
  EXPECT_TRUE(parsed) << parsed.error().message;
  return *parsed;
}

TEST(Daemon, ServesInfoFromTheRealStoreAndStopsGracefully) {
  auto dir = test::make_temp_dir();
  auto daemon = Daemon::create(invocation_for(dir, "s.sock"));
  ASSERT_TRUE(daemon) << daemon.error().message;
  auto finished = std::async(std::launch::async, [&] { return (*daemon)->run(false); });

  test::RawClient client((dir / "s.sock").string());
  ASSERT_TRUE(client.connected());
  client.send(test::get_request("/v1/info"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  auto info = nlohmann::json::parse(response->body);
  EXPECT_EQ(info["dataRoot"], (dir / "data").string());
  EXPECT_EQ(info["containers"]["total"], 0);
  // The hostprocess backend is registered, but this test binary has no silo-monitor beside it, so
  // the probe must say the mode is unavailable and tell the operator what to install where.
  EXPECT_EQ(info["isolation"]["hostprocess"]["available"], false);
  EXPECT_NE(info["isolation"]["hostprocess"]["reason"].get<std::string>().find("install silo-monitor next to silod"),
            std::string::npos)
      << info["isolation"]["hostprocess"]["reason"];
  // The runc backend is registered too and needs the same monitor (or runc, or root) first.
  EXPECT_EQ(info["isolation"]["process"]["available"], false);
  EXPECT_FALSE(info["isolation"]["process"]["reason"].get<std::string>().empty());
  EXPECT_TRUE(std::filesystem::exists(dir / "data" / "silo.db"));

  auto second = Daemon::create(invocation_for(dir, "s.sock"));
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("already serving"), std::string::npos) << second.error().message;
  auto same_root = Daemon::create(invocation_for(dir, "other.sock"));
  ASSERT_FALSE(same_root);
  EXPECT_NE(same_root.error().message.find("data root"), std::string::npos) << same_root.error().message;

  (*daemon)->stop();
  ASSERT_EQ(finished.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(finished.get(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "s.sock"));
  std::filesystem::remove_all(dir);
}

TEST(Daemon, ReloadRecordsADaemonEvent) {
  auto dir = test::make_temp_dir();
  auto config = dir / "silod.json";
  std::ofstream(config) << R"({"log-level":"warn"})";
  auto parsed = parse_invocation({"--config", config.string(), "--data-root", (dir / "data").string(), "--host",
                                  "unix://" + (dir / "s.sock").string()});
  ASSERT_TRUE(parsed);
  auto daemon = Daemon::create(*parsed);
  ASSERT_TRUE(daemon) << daemon.error().message;
  (*daemon)->reload();
  auto events = (*daemon)->store()->list_events({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, "daemon");
  EXPECT_EQ((*events)[0].action, "reload");
  EXPECT_EQ((*events)[0].attributes.at("logLevel"), "warn");
  daemon->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace silo::service
