// Process isolation on Linux through the real silod, real runc and a root file system built at test
// time from Debian's busybox-static: PID 1 and the hostname, writes landing in the upper folder,
// limits, two containers of one sandbox on localhost, a SIGKILLed daemon re-adopting, a missing
// runc, and bad input leaving nothing behind.
#include "tests/integration/support/busybox_rootfs.h"
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace silo::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class ProcessIsolation : public DaemonTest {
 protected:
  void SetUp() override {
    DaemonTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    auto info = json::parse(curl("GET", "/v1/info").response.body);
    if (!info["isolation"]["process"]["available"].get<bool>()) {
      GTEST_SKIP() << "process isolation is not available here: " << info["isolation"]["process"]["reason"];
    }
    ASSERT_TRUE(fs::exists(kBusybox)) << "install busybox-static (scripts/install-deps.sh)";
    const fs::path root = fs::path(scratch()) / "rootfs";
    build_busybox_rootfs(root);
    const std::string tar = scratch() + "/rootfs.tar";
    std::string why;
    ASSERT_TRUE(pack_rootfs(root, tar, &why)) << why;
    auto imported = curl("POST", "/v1/layers", {"-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar}).response;
    ASSERT_TRUE(imported.status == 201 || imported.status == 200) << imported.body;
    layer_ = json::parse(imported.body)["id"].get<std::string>();
  }

  // Containers outlive silod by design, so each test removes its own (and with them the mounts,
  // the runc state and the sandbox holders).
  void TearDown() override {
    if (!::testing::Test::IsSkipped() && !scratch().empty() && client().ping()) {
      auto listed = curl("GET", "/v1/containers").response;
      auto all = listed.status == 200 ? json::parse(listed.body) : json::array();
      for (const auto& c : all) {
        auto removed = curl("DELETE", "/v1/containers/" + c["id"].get<std::string>() + "?force=true").response;
        EXPECT_EQ(removed.status, 204) << removed.body;
      }
      auto sandboxes = json::parse(curl("GET", "/v1/sandboxes").response.body);
      for (const auto& s : sandboxes) curl("DELETE", "/v1/sandboxes/" + s["id"].get<std::string>() + "?force=true");
      EXPECT_FALSE(fs::exists(fs::path(silod().data_root()) / "runc" / "sandboxes") &&
                   !fs::is_empty(fs::path(silod().data_root()) / "runc" / "sandboxes"))
          << "a sandbox holder outlived its containers";
    }
    DaemonTest::TearDown();
  }

  ObservedResponse post_json(const std::string& path, const json& body) {
    return curl("POST", path, {"-H", "Content-Type: application/json", "--data-binary", body.dump()}).response;
  }
  std::string create(const std::vector<std::string>& command, json extra = json::object()) {
    extra["command"] = command;
    extra["isolation"] = "process";
    if (!extra.contains("layer")) extra["layer"] = layer_;
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
  json wait(const std::string& id) {
    auto r = curl("POST", "/v1/containers/" + id + "/wait?condition=not-running", {"--max-time", "60"}).response;
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body) : json::object();
  }
  std::string logs(const std::string& id) { return curl("GET", "/v1/containers/" + id + "/logs").response.body; }
  fs::path container_dir(const std::string& id) const { return fs::path(silod().data_root()) / "containers" / id; }
  // Mounts of this daemon's data root, as the host sees them.
  int mounts_under_data_root() const {
    std::ifstream in("/proc/self/mountinfo");
    int count = 0;
    for (std::string line; std::getline(in, line);) count += line.find(silod().data_root()) != std::string::npos ? 1 : 0;
    return count;
  }

  std::string layer_;
};

TEST_F(ProcessIsolation, RunsAsPid1WithTheContainersNameAsHostname) {
  auto r = siloctl_here({"run", "--isolation", "process", "--layer", layer_, "--name", "web1", "--", "sh", "-c", "echo $$; hostname"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\nweb1\n");
}

TEST_F(ProcessIsolation, WritesStayInTheContainersUpperFolder) {
  auto id = run({"sh", "-c", "echo data > /written; rm /bin/cat; ls /bin/cat || echo cat-gone"});
  EXPECT_EQ(wait(id)["exitCode"], 0);
  EXPECT_NE(logs(id).find("cat-gone"), std::string::npos);
  const auto layer_dir = fs::path(silod().data_root()) / "layers" / layer_;
  EXPECT_FALSE(fs::exists(layer_dir / "written"));
  EXPECT_TRUE(fs::is_symlink(layer_dir / "bin" / "cat"));
  std::ifstream written(container_dir(id) / "upper" / "written");
  std::string content;
  std::getline(written, content);
  EXPECT_EQ(content, "data");
  // A second container from the same layer sees the layer, not its neighbour's writes.
  auto second = run({"sh", "-c", "ls /written || echo clean; ls /bin/cat"});
  EXPECT_EQ(wait(second)["exitCode"], 0);
  EXPECT_NE(logs(second).find("clean"), std::string::npos);
}

// Docker's system call filter is on by default: the kernel reports mode 2 (filter), and a call the
// filter leaves out (unshare of a user namespace, which needs no capability) fails with EPERM.
TEST_F(ProcessIsolation, TheDefaultSystemCallFilterRefusesWhatItLeavesOut) {
  auto id = run({"sh", "-c", "grep Seccomp: /proc/self/status; unshare -U true; echo unshare=$?"});
  EXPECT_EQ(wait(id)["exitCode"], 0);
  const auto out = logs(id);
  EXPECT_NE(out.find("Seccomp:\t2"), std::string::npos) << out;
  EXPECT_NE(out.find("unshare=1"), std::string::npos) << out;
  EXPECT_NE(out.find("Operation not permitted"), std::string::npos) << out;
  EXPECT_EQ(inspect(id)["spec"]["seccomp"], "default");
}

// An admin (root on the socket, as here) may run a container without it; the same call succeeds.
TEST_F(ProcessIsolation, AnAdminMayRunAContainerUnconfined) {
  auto id = run({"sh", "-c", "grep Seccomp: /proc/self/status; unshare -U true; echo unshare=$?"},
                json{{"seccomp", "unconfined"}});
  EXPECT_EQ(wait(id)["exitCode"], 0);
  const auto out = logs(id);
  EXPECT_NE(out.find("Seccomp:\t0"), std::string::npos) << out;
  EXPECT_NE(out.find("unshare=0"), std::string::npos) << out;
}

TEST_F(ProcessIsolation, UserEnvAndWorkingDirectoryComeFromTheSpec) {
  auto id = run({"sh", "-c", "id -u; id -g; id -G; echo $GREETING; echo $HOME; pwd"},
                json{{"user", "app"}, {"env", {"GREETING=hi"}}, {"workingDir", "/tmp"}});
  EXPECT_EQ(wait(id)["exitCode"], 0);
  const auto out = logs(id);
  EXPECT_NE(out.find("1000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("50"), std::string::npos) << out;  // staff lists app
  EXPECT_NE(out.find("hi\n"), std::string::npos) << out;
  EXPECT_NE(out.find("/home/app\n"), std::string::npos) << out;
  EXPECT_NE(out.find("/tmp\n"), std::string::npos) << out;
}

TEST_F(ProcessIsolation, MemoryLimitIsEnforcedAndReportedAsOutOfMemory) {
  auto id = run({"sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived"},
                json{{"resources", {{"memoryBytes", 16 * 1024 * 1024}}}});
  auto exited = wait(id);
  auto c = inspect(id);
  EXPECT_EQ(c["state"], "exited");
  EXPECT_NE(c["exitCode"], 0);
  EXPECT_EQ(c["oomKilled"], true) << c.dump();
  EXPECT_EQ(logs(id).find("survived"), std::string::npos);
}

TEST_F(ProcessIsolation, PidsLimitStopsForks) {
  auto id = run({"sh", "-c", "for i in $(seq 1 20); do sleep 30 & done; echo loop-done"}, json{{"resources", {{"pidsLimit", 5}}}});
  wait(id);
  const auto out = logs(id);
  EXPECT_NE(out.find("can't fork"), std::string::npos) << out;
}

TEST_F(ProcessIsolation, ContainersOfOneSandboxShareLocalhostAndTheSandboxsHostname) {
  auto sandbox = post_json("/v1/sandboxes", json{{"name", "pod1"}, {"isolation", "process"}});
  ASSERT_EQ(sandbox.status, 201) << sandbox.body;
  auto server = run({"sh", "-c", "hostname; nc -l -p 8080"}, json{{"sandbox", "pod1"}});
  // The message comes from a file, not a pipe: busybox nc stops at the first EOF from the
  // server (whose stdin is empty), and with `echo |` that EOF could win the race against
  // echo's write, so nc exited 0 having sent nothing.
  auto client_id = run({"sh", "-c",
                        "hostname; echo hello-peer > /tmp/message; "
                        "for i in $(seq 1 100); do nc 127.0.0.1 8080 < /tmp/message && exit 0; sleep 0.1; done; exit 1"},
                       json{{"sandbox", "pod1"}});
  EXPECT_EQ(wait(client_id)["exitCode"], 0) << logs(client_id);
  EXPECT_EQ(wait(server)["exitCode"], 0);
  EXPECT_NE(logs(server).find("hello-peer"), std::string::npos) << logs(server);
  EXPECT_NE(logs(server).find("pod1\n"), std::string::npos);
  EXPECT_NE(logs(client_id).find("pod1\n"), std::string::npos);
  // A container of another sandbox has a loopback of its own: nobody listens there.
  auto outsider = run({"sh", "-c", "echo x | nc -w 1 127.0.0.1 8080"});
  EXPECT_NE(wait(outsider)["exitCode"], 0);
}

TEST_F(ProcessIsolation, RunningContainersSurviveASilodKillAndAreReadopted) {
  const fs::path shared = fs::path(scratch()) / "shared";
  fs::create_directories(shared);
  const json mount = {{"mounts", {{{"source", shared.string()}, {"target", "/shared"}}}}};
  auto waiter = run({"sh", "-c", "while [ ! -f /shared/go ]; do sleep 0.1; done; echo finished; exit 7"}, mount);
  auto early = run({"sh", "-c", "while [ ! -f /shared/early ]; do sleep 0.1; done; exit 3"}, mount);
  ASSERT_TRUE(silod_process().kill_hard());
  std::ofstream(shared / "early").close();  // this one exits while silod is down
  for (int i = 0; i < 100 && fs::exists(container_dir(early) / "exit.json") == false; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string why;
  ASSERT_TRUE(silod_process().start(&why)) << why;
  auto e = inspect(early);
  EXPECT_EQ(e["state"], "exited");
  EXPECT_EQ(e["exitCode"], 3);
  EXPECT_EQ(inspect(waiter)["state"], "running");
  std::ofstream(shared / "go").close();
  EXPECT_EQ(wait(waiter)["exitCode"], 7);
  EXPECT_NE(logs(waiter).find("finished"), std::string::npos);
}

TEST_F(ProcessIsolation, StopAndKillGoThroughRunc) {
  auto id = run({"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"});
  auto stopped = curl("POST", "/v1/containers/" + id + "/stop?timeout=10", {"--max-time", "30"}).response;
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_EQ(json::parse(stopped.body)["exitCode"], 0);
  auto sleeper = run({"sleep", "30"});
  EXPECT_EQ(curl("POST", "/v1/containers/" + sleeper + "/kill?signal=SIGKILL").response.status, 200);
  auto c = wait(sleeper);
  EXPECT_EQ(c["exitCode"], 137);
  // runc reports the signal death as 137; the monitor records it as the signal it was.
  std::ifstream exit_file(container_dir(sleeper) / "exit.json");
  const auto recorded = json::parse(exit_file, nullptr, false);
  EXPECT_EQ(recorded.value("signal", json()), 9) << recorded.dump();
  EXPECT_EQ(recorded.value("reason", ""), "killed by SIGKILL") << recorded.dump();
}

TEST_F(ProcessIsolation, ExecRunsInTheContainersNamespaces) {
  auto id = run({"sleep", "30"}, json{{"name", "exec-host"}});
  auto r = siloctl_here({"exec", id, "--", "sh", "-c", "hostname; cat /proc/1/cmdline; exit 5"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.out.find("exec-host\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sleep"), std::string::npos) << r.out;
}

TEST_F(ProcessIsolation, BadInputIsRefusedAndLeavesNothingBehind) {
  const int mounts_before = mounts_under_data_root();
  auto refuse = [&](json body, int status, const std::string& words) {
    body["isolation"] = "process";
    if (!body.contains("command")) body["command"] = {"true"};
    auto r = post_json("/v1/containers", body);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.body.find(words), std::string::npos) << r.body;
  };
  refuse({{"layer", layer_}, {"user", "nosuchuser"}}, 400, "nosuchuser");
  refuse({{"layer", layer_}, {"user", "app:nosuchgroup"}}, 400, "nosuchgroup");
  refuse({{"layer", std::string(64, 'e')}}, 404, "");
  refuse(json::object(), 400, "layer");
  EXPECT_EQ(json::parse(curl("GET", "/v1/containers").response.body).size(), 0u);
  EXPECT_EQ(json::parse(curl("GET", "/v1/sandboxes").response.body).size(), 0u);
  const fs::path data(silod().data_root());
  EXPECT_TRUE(!fs::exists(data / "containers") || fs::is_empty(data / "containers"));
  EXPECT_TRUE(!fs::exists(data / "runc" / "sandboxes") || fs::is_empty(data / "runc" / "sandboxes"));
  EXPECT_TRUE(!fs::exists(data / "runc" / "state") || fs::is_empty(data / "runc" / "state"));
  EXPECT_EQ(mounts_under_data_root(), mounts_before);
}

TEST_F(ProcessIsolation, RemoveUnmountsAndDeletesEverything) {
  auto id = run({"true"});
  wait(id);
  EXPECT_GT(mounts_under_data_root(), 0);
  EXPECT_EQ(curl("DELETE", "/v1/containers/" + id).response.status, 204);
  EXPECT_EQ(mounts_under_data_root(), 0);
  EXPECT_FALSE(fs::exists(container_dir(id)));
  EXPECT_FALSE(fs::exists(fs::path(silod().data_root()) / "runc" / "state" / id));
}

// A second daemon told to use a runc that is not there: /v1/info and create both say why.
TEST_F(ProcessIsolation, MissingRuncMakesProcessIsolationUnavailable) {
  const std::string dir = scratch() + "/other";
  fs::create_directories(dir);
  const std::string socket = dir + "/silod.sock";
  ChildProcess::Options options;
  options.argv = {SILOD_EXECUTABLE, "--data-root", dir + "/data", "--host", "unix://" + socket, "--runc-path", "/nonexistent/runc"};
  options.output_file = dir + "/silod.log";
  std::string why;
  auto other = ChildProcess::spawn(options, &why);
  ASSERT_TRUE(other) << why;
  CurlResult info_reply;
  for (int attempt = 0; attempt < 200 && info_reply.response.status != 200 && other->running(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    info_reply = curl_unix(socket, "GET", "/v1/info", {}, scratch());
  }
  ASSERT_EQ(info_reply.response.status, 200) << "the second silod did not answer";
  auto info = json::parse(info_reply.response.body);
  EXPECT_EQ(info["isolation"]["process"]["available"], false);
  const std::string reason = info["isolation"]["process"]["reason"].get<std::string>();
  EXPECT_NE(reason.find("/nonexistent/runc"), std::string::npos) << reason;
  EXPECT_NE(reason.find("apt-get install runc"), std::string::npos) << reason;
  auto created = curl_unix(socket, "POST", "/v1/containers",
                           {"-H", "Content-Type: application/json", "--data-binary",
                            json{{"command", {"true"}}, {"isolation", "process"}, {"layer", layer_}}.dump()},
                           scratch())
                     .response;
  EXPECT_EQ(created.status, 409) << created.body;
  EXPECT_NE(created.body.find("runc"), std::string::npos) << created.body;
  EXPECT_TRUE(other->stop(SIGTERM, std::chrono::seconds(20)).has_value());
}

}  // namespace
}  // namespace silo::testing
