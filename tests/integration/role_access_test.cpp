// Roles on the unix socket, through a real silod: a peer that is not root (uid/gid 65534, run with
// setpriv) gets the role its groups give it. In the socket's group it is operator: it may act, but
// creating a HostProcess container still needs admin. With an operator group it is not in, it is
// read-only: GETs work, a POST is refused with 403 naming the role, the action and the role needed.
// Every mutating request, allowed or refused, shows up in GET /v1/audit with who and the status.
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

namespace silo::testing {
namespace {

using nlohmann::json;

constexpr const char* kNobody = "65534";
const std::string kMissingLayer = "/v1/layers/" + std::string(64, 'a');
const std::string kHostProcessSpec =
    json{{"name", "escalate"}, {"isolation", "hostprocess"}, {"command", {"/bin/true"}}}.dump();

struct Answer {
  int status = 0;
  json body;
};

class RoleAccess : public DaemonTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a client as another user";
    if (run_process({"setpriv", "--version"}).exit_code != 0) GTEST_SKIP() << "setpriv (util-linux) is missing";
    DaemonTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    // The socket stays 0660 root:nogroup; only its folder is opened for traversal.
    ASSERT_EQ(::chmod(scratch().c_str(), 0711), 0);
  }

  // curl as uid/gid 65534 (nobody:nogroup) with no supplementary groups.
  Answer as_nobody(const std::string& method, const std::string& path, const std::string& body = {}) {
    std::vector<std::string> argv{"setpriv", "--reuid", kNobody, "--regid", kNobody, "--clear-groups",
                                  SILO_CURL_EXECUTABLE, "-sS", "--max-time", "30", "--unix-socket",
                                  silod().socket_path(), "-X", method, "-w", "\n%{http_code}"};
    if (!body.empty()) argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data-binary", body});
    argv.push_back("http://localhost" + path);
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Answer answer;
    auto newline = r.out.rfind('\n');
    if (newline == std::string::npos) return answer;
    answer.status = std::atoi(r.out.c_str() + newline + 1);
    answer.body = json::parse(r.out.substr(0, newline), nullptr, false);
    return answer;
  }

  json audit(const std::string& query = {}) {
    auto r = curl("GET", "/v1/audit" + query).response;
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }
};

class SocketGroupOperator : public RoleAccess {
 protected:
  std::vector<std::string> silod_args() const override { return {"--group", "nogroup"}; }
};

class ReadOnlyPeer : public RoleAccess {
 protected:
  std::vector<std::string> silod_args() const override { return {"--group", "nogroup", "--operator-group", "root"}; }
};

TEST_F(SocketGroupOperator, MayActButNotCreateAHostProcessContainer) {
  auto refused = as_nobody("POST", "/v1/containers", kHostProcessSpec);
  EXPECT_EQ(refused.status, 403) << refused.body.dump();
  EXPECT_EQ(refused.body.value("code", ""), "permission_denied");
  EXPECT_EQ(refused.body.value("message", ""),
            "role operator (uid 65534) may not create container escalate: it is a HostProcess container, which runs "
            "with host privileges; needs admin");
  // Authorized: the layer is simply not there.
  EXPECT_EQ(as_nobody("DELETE", kMissingLayer).status, 404);

  auto entries = audit();
  ASSERT_TRUE(entries.is_array());
  ASSERT_EQ(entries.size(), 2u) << entries.dump();
  EXPECT_EQ(entries[0].at("method"), "DELETE");
  EXPECT_EQ(entries[0].at("route"), "/v1/layers/{id}");
  EXPECT_EQ(entries[0].at("path"), kMissingLayer);
  EXPECT_EQ(entries[0].at("targetId"), std::string(64, 'a'));
  EXPECT_EQ(entries[0].at("status"), 404);
  EXPECT_EQ(entries[0].at("identity"), "uid 65534");
  EXPECT_EQ(entries[0].at("role"), "operator");
  EXPECT_EQ(entries[0].at("transport"), "unix");
  EXPECT_NE(entries[0].at("remote").get<std::string>().find("uid=65534"), std::string::npos);
  EXPECT_EQ(entries[1].at("method"), "POST");
  EXPECT_EQ(entries[1].at("path"), "/v1/containers");
  EXPECT_EQ(entries[1].at("status"), 403);
}

// An operator may not act on a HostProcess container an admin runs: not stop it, not exec into it,
// and not start an exec the admin created in it.
TEST_F(SocketGroupOperator, MayNotActOnAnAdminsHostProcessContainer) {
  auto post = [this](const std::string& path, const json& body) {
    return curl("POST", path, {"-H", "Content-Type: application/json", "--data-binary", body.dump()}).response;
  };
  auto created = post("/v1/containers", json{{"name", "agent"}, {"isolation", "hostprocess"},
                                             {"command", {"/bin/sleep", "30"}}, {"stopTimeoutSeconds", 1}});
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(post("/v1/containers/agent/start", json::object()).status, 200);
  auto exec = post("/v1/containers/agent/exec", json{{"command", {"/bin/true"}}});
  ASSERT_EQ(exec.status, 201) << exec.body;
  const std::string exec_id = json::parse(exec.body).at("id");

  auto stop = as_nobody("POST", "/v1/containers/agent/stop");
  EXPECT_EQ(stop.status, 403) << stop.body.dump();
  auto exec_start = as_nobody("POST", "/v1/exec/" + exec_id + "/start", "{}");
  EXPECT_EQ(exec_start.status, 403) << exec_start.body.dump();
  EXPECT_EQ(exec_start.body.value("message", ""),
            "role operator may not POST /v1/exec/" + exec_id +
                "/start (start exec: it is a HostProcess container, which runs with host privileges); needs admin");
  auto state = curl("GET", "/v1/containers/agent").response;
  EXPECT_EQ(json::parse(state.body).at("state"), "running") << state.body;
  EXPECT_EQ(curl("DELETE", "/v1/containers/agent?force=true").response.status, 204);
}

// The role mapping follows the config file on SIGHUP: an operator-group the peer is not in makes it
// read-only; removing that key from the file and sending SIGHUP makes it operator again, no restart.
class ReloadedRoles : public RoleAccess {
 protected:
  // Its own folder: the fixture's scratch folder only exists once the daemon is set up.
  TempDir config_dir;
  std::string config_path() const { return config_dir.path() + "/silod.json"; }
  void SetUp() override {
    write_config(json{{"operator-group", "root"}});
    RoleAccess::SetUp();
  }
  std::vector<std::string> silod_args() const override { return {"--group", "nogroup", "--config", config_path()}; }
  void write_config(const json& config) const {
    std::ofstream out(config_path(), std::ios::trunc);
    out << config.dump();
  }
};

TEST_F(ReloadedRoles, SighupAppliesANewOperatorGroup) {
  EXPECT_EQ(as_nobody("DELETE", kMissingLayer).status, 403);
  write_config(json::object());
  silod_process().signal(SIGHUP);
  // Bounded: up to 10 s for the reload to be applied.
  int status = 0;
  for (int i = 0; i < 100 && status != 404; ++i) {
    status = as_nobody("DELETE", kMissingLayer).status;
    if (status != 404) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 404) << "still refused after SIGHUP: " << silod().log();
  EXPECT_NE(silod().log().find("SIGHUP: roles re-read"), std::string::npos);
}

TEST_F(ReloadedRoles, AGroupThatDoesNotExistKeepsTheCurrentRoles) {
  write_config(json{{"operator-group", "no-such-group-silo"}});
  silod_process().signal(SIGHUP);
  bool logged = false;
  for (int i = 0; i < 100 && !logged; ++i) {
    logged = silod().log().find("SIGHUP: keeping the current roles") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(logged) << silod().log();
  EXPECT_NE(silod().log().find("no-such-group-silo"), std::string::npos);
  EXPECT_EQ(as_nobody("DELETE", kMissingLayer).status, 403);  // still read-only
}

// A request the session refuses before routing still leaves its trace: an over-limit body is 413
// and shows up in the trail with who sent it.
class SmallBodyLimit : public RoleAccess {
 protected:
  std::vector<std::string> silod_args() const override { return {"--group", "nogroup", "--max-body-bytes", "1024"}; }
};

TEST_F(SmallBodyLimit, AnOversizedPostIsAuditedWithItsStatus) {
  const std::string big = json{{"name", "big"}, {"command", {"/bin/true"}}, {"labels", {{"pad", std::string(4000, 'x')}}}}.dump();
  auto refused = as_nobody("POST", "/v1/containers", big);
  EXPECT_EQ(refused.status, 413) << refused.body.dump();
  auto entries = audit();
  ASSERT_TRUE(entries.is_array());
  ASSERT_EQ(entries.size(), 1u) << entries.dump();
  EXPECT_EQ(entries[0].at("method"), "POST");
  EXPECT_EQ(entries[0].at("route"), "/v1/containers");
  EXPECT_EQ(entries[0].at("status"), 413);
  EXPECT_EQ(entries[0].at("identity"), "uid 65534");
  EXPECT_EQ(entries[0].at("role"), "operator");
}

TEST_F(ReadOnlyPeer, MayReadButNotPost) {
  auto refused = as_nobody("POST", "/v1/containers", kHostProcessSpec);
  EXPECT_EQ(refused.status, 403) << refused.body.dump();
  EXPECT_EQ(refused.body,
            (json{{"message", "role read-only may not POST /v1/containers (create container); needs operator"},
                  {"code", "permission_denied"}}));
  auto listed = as_nobody("GET", "/v1/containers");
  EXPECT_EQ(listed.status, 200) << listed.body.dump();
  EXPECT_EQ(listed.body, json::array());
  EXPECT_EQ(as_nobody("GET", "/v1/audit").status, 403);

  // Root is admin: its own change is audited too, and the trail filters by identity.
  EXPECT_EQ(curl("DELETE", kMissingLayer).response.status, 404);
  auto mine = audit("?identity=uid%200");
  ASSERT_EQ(mine.size(), 1u) << mine.dump();
  EXPECT_EQ(mine[0].at("role"), "admin");
  auto theirs = audit("?identity=uid%2065534&limit=10");
  ASSERT_EQ(theirs.size(), 1u) << theirs.dump();
  EXPECT_EQ(theirs[0].at("role"), "read-only");
  EXPECT_EQ(theirs[0].at("status"), 403);
  EXPECT_EQ(theirs[0].at("route"), "/v1/containers");
  EXPECT_FALSE(theirs[0].at("requestId").get<std::string>().empty());
  // Nothing was created behind the refusal.
  EXPECT_EQ(json::parse(curl("GET", "/v1/containers").response.body), json::array());
}

}  // namespace
}  // namespace silo::testing
