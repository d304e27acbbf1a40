// Containers through the socket with curl and siloctl, on the real hostprocess backend: exit
// codes, logs, limits, stop escalation, kill, waits, many at once, and a daemon SIGKILLed and
// restarted with containers running. Each test bounds its waits; commands are short `sh`/`sleep`.
#include "api/client/resources.h"
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <future>
#include <thread>

namespace silo::testing {
namespace {

using nlohmann::json;

class Containers : public DaemonTest {
 protected:
  void SetUp() override {
    DaemonTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    auto info = json::parse(curl("GET", "/v1/info").response.body);
    if (!info["isolation"]["hostprocess"]["available"].get<bool>()) {
      GTEST_SKIP() << "hostprocess isolation is not available here: " << info["isolation"]["hostprocess"]["reason"];
    }
  }

  // Containers outlive silod by design, so each test removes its own: no process or cgroup of
  // this test stays on the host. Skipped when the fixture never got a daemon up.
  void TearDown() override {
    if (!::testing::Test::IsSkipped() && !scratch().empty() && client().ping()) {
      auto listed = curl("GET", "/v1/containers").response;
      auto all = listed.status == 200 ? json::parse(listed.body) : json::array();
      for (const auto& c : all) {
        auto removed = curl("DELETE", "/v1/containers/" + c["id"].get<std::string>() + "?force=true").response;
        EXPECT_EQ(removed.status, 204) << removed.body;
      }
    }
    DaemonTest::TearDown();
  }

  ObservedResponse post_json(const std::string& path, const json& body) {
    return curl("POST", path, {"-H", "Content-Type: application/json", "--data-binary", body.dump()}).response;
  }

  // Creates a HostProcess container running `command`; returns its id.
  std::string create(const std::vector<std::string>& command, json extra = json::object()) {
    extra["command"] = command;
    extra["isolation"] = "hostprocess";
    auto r = post_json("/v1/containers", extra);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? json::parse(r.body)["id"].get<std::string>() : std::string();
  }
  std::string run(const std::vector<std::string>& command, json extra = json::object()) {
    auto id = create(command, std::move(extra));
    auto started = curl("POST", "/v1/containers/" + id + "/start").response;
    EXPECT_EQ(started.status, 200) << started.body;
    return id;
  }
  json inspect(const std::string& id) {
    auto r = curl("GET", "/v1/containers/" + id).response;
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body) : json::object();
  }
  // POST wait; the daemon answers when the condition holds (curl's own timeout bounds it).
  json wait(const std::string& id, const std::string& condition = "not-running") {
    auto r = curl("POST", "/v1/containers/" + id + "/wait?condition=" + condition, {"--max-time", "60"}).response;
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body) : json::object();
  }
  client::ResourceClient resources(const client::Client& c) { return client::ResourceClient(c); }
};

TEST_F(Containers, SiloctlRunPrintsOutputAndExitsWithTheContainersCode) {
  auto r = siloctl_here({"run", "--isolation", "hostprocess", "--name", "three", "--", "sh", "-c", "echo hello; exit 3"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("hello"), std::string::npos);
  auto c = inspect("three");
  EXPECT_EQ(c["state"], "exited");
  EXPECT_EQ(c["exitCode"], 3);
  auto waited = siloctl_here({"wait", "three"});
  EXPECT_EQ(waited.out, "3\n");
  auto ps = siloctl_here({"ps", "-a"});
  EXPECT_NE(ps.out.find("Exited (3)"), std::string::npos) << ps.out;
}

TEST_F(Containers, LogsWithTailTimestampsAndFollow) {
  auto id = run({"sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; sleep 1; echo late"});
  // follow=true streams until the container exits, so "late" is in it.
  auto followed = curl("GET", "/v1/containers/" + id + "/logs?follow=true", {"--max-time", "30"}).response;
  EXPECT_EQ(followed.status, 200);
  EXPECT_NE(followed.body.find("line1\n"), std::string::npos);
  EXPECT_NE(followed.body.find("late\n"), std::string::npos);
  wait(id);
  auto tail = curl("GET", "/v1/containers/" + id + "/logs?tail=2").response;
  EXPECT_EQ(tail.body, "line5\nlate\n");
  auto stamped = siloctl_here({"logs", "--timestamps", "--tail", "1", id});
  EXPECT_EQ(stamped.exit_code, 0);
  EXPECT_NE(stamped.out.find("Z late\n"), std::string::npos) << stamped.out;
}

TEST_F(Containers, MemoryLimitKillsTheContainer) {
  auto id = run({"sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived"},
                json{{"resources", {{"memoryBytes", 16 * 1024 * 1024}}}});
  auto result = wait(id);
  auto c = inspect(id);
  EXPECT_EQ(c["state"], "exited");
  EXPECT_NE(c["exitCode"], 0);
  auto logs = curl("GET", "/v1/containers/" + id + "/logs").response;
  EXPECT_EQ(logs.body.find("survived"), std::string::npos);
}

TEST_F(Containers, StopEscalatesWhenTheStopSignalIsIgnored) {
  auto id = run({"sh", "-c", "trap '' TERM; while true; do sleep 1; done"});
  auto stopped = curl("POST", "/v1/containers/" + id + "/stop?timeout=1", {"--max-time", "30"}).response;
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  auto c = json::parse(stopped.body);
  EXPECT_EQ(c["state"], "exited");
  EXPECT_EQ(c["exitCode"], 137);
  EXPECT_NE(c["stateReason"].get<std::string>().find("SIGKILL"), std::string::npos) << c["stateReason"];
}

TEST_F(Containers, KillDeliversTheSignal) {
  auto id = run({"sleep", "30"});
  auto killed = curl("POST", "/v1/containers/" + id + "/kill?signal=SIGTERM").response;
  EXPECT_EQ(killed.status, 200) << killed.body;
  EXPECT_EQ(wait(id)["exitCode"], 143);
}

TEST_F(Containers, EachWaitCondition) {
  auto c = client();
  // not-running on a container not started yet: answers after it runs and exits.
  auto id = create({"sh", "-c", "exit 4"});
  auto not_running = std::async(std::launch::async, [&] {
    return resources(c).call("POST", client::container_path(id, "/wait?condition=not-running"), std::nullopt, true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the wait register; correctness does not depend on it
  ASSERT_EQ(curl("POST", "/v1/containers/" + id + "/start").response.status, 200);
  auto first = not_running.get();
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["exitCode"], 4);
  // not-running on an exited container answers at once.
  EXPECT_EQ(wait(id)["exitCode"], 4);
  // next-exit waits for the next run's exit.
  auto next = std::async(std::launch::async, [&] {
    return resources(c).call("POST", client::container_path(id, "/wait?condition=next-exit"), std::nullopt, true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(curl("POST", "/v1/containers/" + id + "/start").response.status, 200);
  auto second = next.get();
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)["exitCode"], 4);
  // removed answers when the container is gone.
  auto removed = std::async(std::launch::async, [&] {
    return resources(c).call("POST", client::container_path(id, "/wait?condition=removed"), std::nullopt, true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(curl("DELETE", "/v1/containers/" + id).response.status, 204);
  auto third = removed.get();
  ASSERT_TRUE(third);
  EXPECT_EQ(curl("GET", "/v1/containers/" + id).response.status, 404);
}

TEST_F(Containers, FiftyAtOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(run({"sh", "-c", "sleep 1; exit " + std::to_string(i % 7)}));
  auto list = json::parse(curl("GET", "/v1/containers").response.body);
  EXPECT_EQ(list.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(wait(ids[static_cast<std::size_t>(i)])["exitCode"], i % 7);
  auto info = json::parse(curl("GET", "/v1/info").response.body);
  EXPECT_EQ(info["containers"]["exited"], 50);
}

TEST_F(Containers, DaemonKilledAndRestartedReadoptsAndReportsExitsMeanwhile) {
  std::vector<std::string> short_lived, long_lived;
  for (int i = 0; i < 5; ++i) short_lived.push_back(run({"sh", "-c", "sleep 1; exit " + std::to_string(10 + i)}));
  for (int i = 0; i < 5; ++i) long_lived.push_back(run({"sleep", "60"}));
  ASSERT_TRUE(silod_process().kill_hard());
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the short ones exit while silod is down
  std::string why;
  ASSERT_TRUE(silod_process().start(&why)) << why;
  for (int i = 0; i < 5; ++i) {
    auto c = inspect(short_lived[static_cast<std::size_t>(i)]);
    EXPECT_EQ(c["state"], "exited");
    EXPECT_EQ(c["exitCode"], 10 + i);
  }
  for (const auto& id : long_lived) EXPECT_EQ(inspect(id)["state"], "running");
  // Still watched: a stop after the restart records the exit.
  for (const auto& id : long_lived) {
    auto stopped = curl("POST", "/v1/containers/" + id + "/stop?timeout=5", {"--max-time", "30"}).response;
    EXPECT_EQ(stopped.status, 200) << stopped.body;
    EXPECT_EQ(json::parse(stopped.body)["state"], "exited");
  }
}

TEST_F(Containers, BadInputIsRefusedAndLeavesNothingBehind) {
  auto refuse = [&](json body, int status, const std::string& words) {
    body["isolation"] = "hostprocess";
    auto r = post_json("/v1/containers", body);
    EXPECT_EQ(r.status, status) << body.dump() << " -> " << r.body;
    EXPECT_NE(r.body.find(words), std::string::npos) << r.body;
  };
  refuse({{"command", json::array()}}, 400, "command");
  refuse({{"command", {"true"}}, {"user", "no-such-user-here"}}, 400, "no-such-user-here");
  refuse({{"command", {"true"}}, {"resources", {{"memoryBytes", -5}}}}, 400, "memoryBytes");
  refuse({{"command", {"true"}}, {"resources", {{"pidsLimit", 1LL << 40}}}}, 400, "pidsLimit");
  refuse({{"command", {"true"}}, {"mounts", {{{"source", "/no/such/dir"}, {"target", "/x"}}}}}, 400, "/no/such/dir");
  EXPECT_EQ(json::parse(curl("GET", "/v1/containers").response.body).size(), 0u);
  EXPECT_EQ(json::parse(curl("GET", "/v1/sandboxes").response.body).size(), 0u);
  std::error_code ec;
  auto dir = std::filesystem::path(silod().data_root()) / "containers";
  EXPECT_TRUE(!std::filesystem::exists(dir, ec) || std::filesystem::is_empty(dir, ec));

  auto id = run({"sleep", "30"}, json{{"name", "dup"}});
  refuse({{"command", {"true"}}, {"name", "dup"}}, 409, "dup");
  auto again = curl("POST", "/v1/containers/dup/start").response;
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("running"), std::string::npos);
  auto rm = curl("DELETE", "/v1/containers/dup").response;
  EXPECT_EQ(rm.status, 409);
  EXPECT_EQ(curl("DELETE", "/v1/containers/dup?force=true").response.status, 204);
  EXPECT_EQ(json::parse(curl("GET", "/v1/sandboxes").response.body).size(), 0u);  // the implicit one went too
}

TEST_F(Containers, ExecReportsItsExitCodeAndOutput) {
  auto id = run({"sleep", "30"}, json{{"name", "host"}});
  auto r = siloctl_here({"exec", "host", "--", "sh", "-c", "echo from-exec; exit 5"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.out.find("from-exec"), std::string::npos);
  auto stats = curl("GET", "/v1/containers/host/stats").response;
  EXPECT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(curl("DELETE", "/v1/containers/host?force=true").response.status, 204);
}

TEST_F(Containers, SandboxesCreateListInspectRemove) {
  auto created = post_json("/v1/sandboxes", json{{"name", "pod"}, {"annotations", {{"microsoft.com/hostprocess-container", "true"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto hyperv = post_json("/v1/sandboxes", json{{"name", "vm"}, {"isolation", "hyperv"}});
  EXPECT_EQ(hyperv.status, 409);
  EXPECT_NE(hyperv.body.find("hyperv isolation is not available"), std::string::npos);
  auto id = run({"sleep", "30"}, json{{"sandbox", "pod"}});
  EXPECT_EQ(inspect(id)["sandboxId"], json::parse(created.body)["id"]);
  EXPECT_EQ(curl("DELETE", "/v1/sandboxes/pod").response.status, 409);
  auto ls = siloctl_here({"sandbox", "ls"});
  EXPECT_NE(ls.out.find("pod"), std::string::npos);
  EXPECT_EQ(siloctl_here({"sandbox", "rm", "-f", "pod"}).exit_code, 0);
  EXPECT_EQ(curl("GET", "/v1/containers/" + id).response.status, 404);
}

}  // namespace
}  // namespace silo::testing
