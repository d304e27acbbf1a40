// The escalation matrix: every way an operator could reach the host through a container, tried
// through a real silod over both ways an operator comes in (the unix socket as uid 65534 in the
// socket's group, and mutual TLS with the operator certificate), each refused with a 403 that names
// the role, the action and the rule, and nothing created; the same as admin allowed where it should
// be. Containers run for real under runc with a busybox root file system.
#include "tests/integration/support/busybox_rootfs.h"
#include "tests/integration/support/curl.h"
#include "tests/integration/tls_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace silo::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Answer {
  int status = 0;
  std::string text;
  json body;  // the text parsed, or discarded when it is no JSON
};

// curl's output with "\n<status>" appended by --write-out.
Answer answer_of(const ProcessResult& run) {
  Answer answer;
  auto newline = run.out.rfind('\n');
  if (newline == std::string::npos) return answer;
  answer.status = std::atoi(run.out.c_str() + newline + 1);
  answer.text = run.out.substr(0, newline);
  answer.body = json::parse(answer.text, nullptr, false);
  return answer;
}

enum class Way { socket_operator, tls_operator, socket_admin };

std::string name_of(Way way) {
  switch (way) {
    case Way::socket_operator:
      return "operator over the unix socket";
    case Way::tls_operator:
      return "operator over mutual TLS";
    case Way::socket_admin:
      return "admin over the unix socket";
  }
  return "";
}

class HostAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: runc, and a client run as another user";
    ASSERT_TRUE(fs::exists(kBusybox)) << "install busybox-static (scripts/install-deps.sh)";
    // uid 65534 must reach the socket in this folder (the socket itself stays 0660 root:nogroup).
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0711), 0);
    fs::create_directories(allowed() / "data");
    fs::create_directories(fs::path(dir_.path()) / "hostside");
    fs::create_symlink("/etc", allowed() / "etc-link");
    daemon_ = std::make_unique<TlsSilod>(dir_.path());
    daemon_->add_args({"--group", "nogroup", "--operator-mount-roots", allowed().string()});
    std::string why;
    ASSERT_TRUE(daemon_->start(&why)) << why;
    auto info = json::parse(call(Way::socket_admin, "GET", "/v1/info").body.dump());
    ASSERT_TRUE(info["isolation"]["process"]["available"].get<bool>()) << info.dump();
    import_layer();
  }

  void TearDown() override {
    if (HasFailure() && daemon_) std::cerr << "silod log:\n" << daemon_->log();
    if (!daemon_) return;
    auto listed = call(Way::socket_admin, "GET", "/v1/containers").body;
    for (const auto& c : listed.is_array() ? listed : json::array()) {
      call(Way::socket_admin, "DELETE", "/v1/containers/" + c["id"].get<std::string>() + "?force=true");
    }
    daemon_->stop();
  }

  fs::path allowed() const { return fs::path(dir_.path()) / "allowed"; }
  fs::path hostside() const { return fs::path(dir_.path()) / "hostside"; }

  // The root file system carries a symlink that points out of it, at a host folder: a mount onto
  // a path through it must land inside the container's root, never in the host folder.
  void import_layer() {
    const fs::path root = fs::path(dir_.path()) / "rootfs";
    build_busybox_rootfs(root);
    fs::create_symlink(hostside(), root / "escape");
    const std::string tar = dir_.path() + "/rootfs.tar";
    std::string why;
    ASSERT_TRUE(pack_rootfs(root, tar, &why)) << why;
    auto imported = call(Way::socket_admin, "POST", "/v1/layers", {},
                         {"-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar});
    ASSERT_TRUE(imported.status == 201 || imported.status == 200) << imported.body.dump();
    layer_ = imported.body["id"].get<std::string>();
  }

  Answer call(Way way, const std::string& method, const std::string& path, const json& body = {},
              std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"-X", method};
    if (!body.is_null()) {
      args.insert(args.end(), {"-H", "Content-Type: application/json", "--data-binary", body.dump()});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    if (way == Way::tls_operator) return answer_of(curl_tls(*daemon_, daemon_->role_dir("operator"), path, args));
    std::vector<std::string> argv;
    if (way == Way::socket_operator) {
      argv = {"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"};
    }
    argv.insert(argv.end(), {SILO_CURL_EXECUTABLE, "-sS", "--max-time", "60", "--unix-socket", daemon_->socket_path(),
                             "-w", "\n%{http_code}"});
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("http://localhost" + path);
    return answer_of(run_process(argv));
  }

  json spec_with_mount(const std::string& source, const std::string& target = "/data", json extra = json::object()) {
    extra["isolation"] = "process";
    extra["layer"] = layer_;
    if (!extra.contains("command")) extra["command"] = {"true"};
    extra["mounts"] = json::array({{{"source", source}, {"target", target}}});
    return extra;
  }

  void expect_refused(const Answer& answer, const std::string& rule_part, const std::string& who) {
    EXPECT_EQ(answer.status, 403) << who << ": " << answer.body.dump();
    EXPECT_EQ(answer.body.value("code", ""), "permission_denied") << who;
    const std::string message = answer.body.value("message", "");
    EXPECT_NE(message.find("role operator"), std::string::npos) << who << ": " << message;
    EXPECT_NE(message.find(rule_part), std::string::npos) << who << ": " << message;
    EXPECT_NE(message.find("needs admin"), std::string::npos) << who << ": " << message;
  }

  std::size_t container_count() {
    auto listed = call(Way::socket_admin, "GET", "/v1/containers").body;
    return listed.is_array() ? listed.size() : 0;
  }

  std::string create_as(Way way, const json& spec) {
    auto created = call(way, "POST", "/v1/containers", spec);
    EXPECT_EQ(created.status, 201) << name_of(way) << ": " << created.body.dump();
    return created.status == 201 ? created.body["id"].get<std::string>() : std::string();
  }

  json wait_for_exit(const std::string& id) {
    return call(Way::socket_admin, "POST", "/v1/containers/" + id + "/wait?condition=not-running").body;
  }

  TempDir dir_;
  std::unique_ptr<TlsSilod> daemon_;
  std::string layer_;
};

TEST_F(HostAccess, AnOperatorMayNotBindMountHostPathsOutsideTheAllowedRoots) {
  const std::vector<std::pair<std::string, std::string>> sources = {
      {"/", "resolves to \"/\", outside operator-mount-roots"},
      {"/etc", "resolves to \"/etc\", outside operator-mount-roots"},
      {daemon_->socket_path(), "outside operator-mount-roots"},
      {"/proc", "resolves to \"/proc\""},
      {"/sys", "resolves to \"/sys\""},
      {"/dev/null", "resolves to \"/dev/null\""},
      {(allowed() / "etc-link").string(), "resolves to \"/etc\""},
      {(allowed() / "data" / ".." / ".." / "hostside").string(), ""},  // refused as '..' before any role
      {(allowed() / "missing").string(), "cannot be resolved on the host"},
  };
  for (Way way : {Way::socket_operator, Way::tls_operator}) {
    for (const auto& [source, rule] : sources) {
      auto answer = call(way, "POST", "/v1/containers", spec_with_mount(source));
      const std::string who = name_of(way) + ", source " + source;
      if (rule.empty()) {
        EXPECT_EQ(answer.status, 400) << who << ": " << answer.body.dump();
        continue;
      }
      expect_refused(answer, rule, who);
      EXPECT_NE(answer.body.value("message", "").find("may not create a container: mounts[0].source"),
                std::string::npos)
          << who;
    }
  }
  for (Way way : {Way::socket_operator, Way::tls_operator}) {
    json unconfined = {{"isolation", "process"}, {"layer", layer_}, {"command", {"true"}}, {"seccomp", "unconfined"}};
    expect_refused(call(way, "POST", "/v1/containers", unconfined),
                   "may not create a container: seccomp \"unconfined\" runs it without the default system call filter",
                   name_of(way));
  }
  EXPECT_EQ(container_count(), 0u) << "a refused create left a container behind";
}

TEST_F(HostAccess, AnAdminMayBindMountAHostFolder) {
  auto id =
      create_as(Way::socket_admin, spec_with_mount("/etc", "/hostetc", {{"command", {"cat", "/hostetc/hostname"}}}));
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(call(Way::socket_admin, "POST", "/v1/containers/" + id + "/start").status, 200);
  EXPECT_EQ(wait_for_exit(id).value("exitCode", -1), 0);
  std::ifstream hostname("/etc/hostname");
  std::string expected;
  std::getline(hostname, expected);
  auto logs = call(Way::socket_admin, "GET", "/v1/containers/" + id + "/logs");
  ASSERT_FALSE(expected.empty());
  EXPECT_NE(logs.text.find(expected), std::string::npos) << logs.text;
}

TEST_F(HostAccess, AnOperatorMayNotActOnAContainerThatReachesTheHost) {
  auto id = create_as(Way::socket_admin,
                      spec_with_mount("/etc", "/hostetc", {{"command", {"sleep", "30"}}, {"stopTimeoutSeconds", 1}}));
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(call(Way::socket_admin, "POST", "/v1/containers/" + id + "/start").status, 200);
  for (Way way : {Way::socket_operator, Way::tls_operator}) {
    auto exec = call(way, "POST", "/v1/containers/" + id + "/exec", json{{"command", {"cat", "/hostetc/shadow"}}});
    expect_refused(exec, "(create exec: mounts[0].source \"/etc\" resolves to \"/etc\"", name_of(way));
    expect_refused(call(way, "POST", "/v1/containers/" + id + "/stop", json::object()), "stop container", name_of(way));
    expect_refused(call(way, "DELETE", "/v1/containers/" + id + "?force=true"), "remove container", name_of(way));
  }
  auto state = call(Way::socket_admin, "GET", "/v1/containers/" + id).body;
  EXPECT_EQ(state.value("state", ""), "running") << state.dump();
}

TEST_F(HostAccess, AnOperatorMayUseAFolderUnderAnAllowedRoot) {
  for (Way way : {Way::socket_operator, Way::tls_operator}) {
    const std::string file = way == Way::socket_operator ? "from-socket" : "from-tls";
    auto id = create_as(way, spec_with_mount((allowed() / "data").string(), "/data",
                                             {{"command", {"sh", "-c", "echo written > /data/" + file}}}));
    ASSERT_FALSE(id.empty());
    ASSERT_EQ(call(way, "POST", "/v1/containers/" + id + "/start").status, 200) << name_of(way);
    EXPECT_EQ(wait_for_exit(id).value("exitCode", -1), 0) << name_of(way);
    std::ifstream written(allowed() / "data" / file);
    std::string line;
    std::getline(written, line);
    EXPECT_EQ(line, "written") << name_of(way);
    EXPECT_EQ(call(way, "DELETE", "/v1/containers/" + id).status, 204) << name_of(way);
  }
}

// The check is made again on every later action, on the path as the host resolves it then: a
// folder swapped for a symlink to /etc after the create does not get /etc mounted at start.
TEST_F(HostAccess, ASymlinkSwappedInAfterTheCreateIsRefusedAtStart) {
  const fs::path swapped = allowed() / "swapped";
  fs::create_directories(swapped);
  auto id = create_as(Way::tls_operator,
                      spec_with_mount(swapped.string(), "/data", {{"command", {"sh", "-c", "echo pwned > /data/x"}}}));
  ASSERT_FALSE(id.empty());
  fs::remove(swapped);
  fs::create_symlink("/etc", swapped);
  for (Way way : {Way::socket_operator, Way::tls_operator}) {
    expect_refused(call(way, "POST", "/v1/containers/" + id + "/start"),
                   "(start container: mounts[0].source \"" + swapped.string() + "\" resolves to \"/etc\"",
                   name_of(way));
  }
  EXPECT_FALSE(fs::exists("/etc/x") && fs::is_regular_file("/etc/x") && fs::file_size("/etc/x") == 6);
  auto state = call(Way::socket_admin, "GET", "/v1/containers/" + id).body;
  EXPECT_EQ(state.value("state", ""), "created") << state.dump();
}

// runc resolves a mount target inside the container's root: the image's symlink /escape points at
// a host folder, and a mount onto /escape/data lands in the root's own folder, not on the host.
TEST_F(HostAccess, AnImagesSymlinkCannotRedirectAMountTargetOntoTheHost) {
  auto id =
      create_as(Way::tls_operator, spec_with_mount((allowed() / "data").string(), "/escape/data",
                                                   {{"command", {"sh", "-c", "echo inside > /escape/data/seen"}}}));
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(call(Way::tls_operator, "POST", "/v1/containers/" + id + "/start").status, 200);
  EXPECT_EQ(wait_for_exit(id).value("exitCode", -1), 0);
  EXPECT_TRUE(fs::exists(allowed() / "data" / "seen")) << "the container did not write through its mount";
  EXPECT_TRUE(fs::is_empty(hostside())) << "the mount followed the image's symlink onto the host";
}

}  // namespace
}  // namespace silo::testing
