// Who is talking on the unix socket matters: a peer that is not root (here uid 65534, nobody, not
// in the admin group) may read but may not create a HostProcess container, which would run with
// host privileges. The identity comes from the socket's peer credentials, so the test runs curl as
// that user (setpriv from util-linux); the socket and its folder are opened up to everyone for
// this test only, since mode 0660 would otherwise keep nobody out before silod ever saw it.
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace silo::testing {
namespace {

using nlohmann::json;

constexpr const char* kNobody = "65534";

class PeerAccess : public DaemonTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a client as another user";
    if (run_process({"setpriv", "--version"}).exit_code != 0) GTEST_SKIP() << "setpriv (util-linux) is missing";
    DaemonTest::SetUp();
    if (::testing::Test::IsSkipped() || HasFatalFailure()) return;
    ASSERT_EQ(::chmod(scratch().c_str(), 0711), 0);
    ASSERT_EQ(::chmod(silod().socket_path().c_str(), 0666), 0);
  }

  struct Answer {
    int status = 0;
    json body;
  };

  // curl as uid/gid 65534 with no supplementary groups; the status from -w, the body parsed.
  Answer as_nobody(const std::string& method, const std::string& path, const std::string& body = {}) {
    std::vector<std::string> argv{"setpriv", "--reuid", kNobody, "--regid", kNobody, "--clear-groups",
                                  SILO_CURL_EXECUTABLE, "-sS", "--max-time", "30", "--unix-socket",
                                  silod().socket_path(), "-X", method, "-w", "\n%{http_code}"};
    if (!body.empty()) {
      argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data-binary", body});
    }
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
};

TEST_F(PeerAccess, NonRootPeerMayListButNotCreateAHostProcessContainer) {
  auto refused = as_nobody("POST", "/v1/containers",
                           json{{"name", "escalate"}, {"isolation", "hostprocess"}, {"command", {"/bin/true"}}}.dump());
  EXPECT_EQ(refused.status, 403) << refused.body.dump();
  EXPECT_EQ(refused.body.value("code", ""), "permission_denied") << refused.body.dump();
  const std::string message = refused.body.value("message", "");
  // Whichever rule refuses first (the caller's role, or the HostProcess admin rule), the message
  // says who may not do what.
  EXPECT_NE(message.find("may not"), std::string::npos) << message;
  EXPECT_NE(message.find("container"), std::string::npos) << message;

  auto listed = as_nobody("GET", "/v1/containers");
  EXPECT_EQ(listed.status, 200) << listed.body.dump();
  EXPECT_EQ(listed.body, json::array());

  // Nothing was created behind the refusal; root sees the same empty list.
  auto as_root = curl("GET", "/v1/containers").response;
  EXPECT_EQ(as_root.status, 200);
  EXPECT_EQ(json::parse(as_root.body), json::array());
}

}  // namespace
}  // namespace silo::testing
