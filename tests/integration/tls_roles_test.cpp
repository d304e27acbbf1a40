// Roles over mutual TLS with curl and the certificates `silod tls init` makes (OU=admin, operator,
// read-only): the read-only client may read but gets 403 on a POST; the admin client works and sees
// the refusal in the audit trail with the certificate's subject and address; a tls-roles entry for
// the subject wins over its OU.
#include "tests/integration/tls_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace silo::testing {
namespace {

using nlohmann::json;

const std::string kReadOnlySubject = "CN=silo-read-only,OU=read-only,O=silo";
const std::string kMissingLayer = "/v1/layers/" + std::string(64, 'b');

struct Answer {
  std::string status;
  json body;
};

Answer call(const TlsSilod& daemon, const std::string& role, const std::string& method, const std::string& path,
            const std::string& body = {}) {
  std::vector<std::string> extra{"-X", method};
  if (!body.empty()) extra.insert(extra.end(), {"-H", "Content-Type: application/json", "--data-binary", body});
  auto run = curl_tls(daemon, daemon.role_dir(role), path, extra);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto newline = run.out.rfind('\n');
  if (newline == std::string::npos) return {};
  return {run.out.substr(newline + 1), json::parse(run.out.substr(0, newline), nullptr, false)};
}

class TlsRoles : public ::testing::Test {
 protected:
  bool start(std::vector<std::string> args = {}) {
    std::string why;
    daemon_ = std::make_unique<TlsSilod>(dir_.path());
    daemon_->add_args(std::move(args));
    bool started = daemon_->start(&why);
    EXPECT_TRUE(started) << why;
    return started;
  }
  void TearDown() override {
    if (HasFailure() && daemon_) std::cerr << "silod log:\n" << daemon_->log();
  }

  TempDir dir_;
  std::unique_ptr<TlsSilod> daemon_;
};

TEST_F(TlsRoles, ReadOnlyClientMayReadButGets403OnAPostAndAdminWorks) {
  ASSERT_TRUE(start());
  auto refused = call(*daemon_, "read-only", "POST", "/v1/containers",
                      json{{"name", "web"}, {"isolation", "hostprocess"}, {"command", {"/bin/true"}}}.dump());
  EXPECT_EQ(refused.status, "403");
  EXPECT_EQ(refused.body, (json{{"message", "role read-only may not POST /v1/containers (create container); needs operator"},
                                {"code", "permission_denied"}}));
  EXPECT_EQ(call(*daemon_, "read-only", "GET", "/v1/containers").status, "200");
  EXPECT_EQ(call(*daemon_, "operator", "DELETE", kMissingLayer).status, "404");  // allowed; nothing there
  EXPECT_EQ(call(*daemon_, "admin", "GET", "/v1/version").status, "200");

  auto trail = call(*daemon_, "admin", "GET", "/v1/audit");
  ASSERT_EQ(trail.status, "200");
  ASSERT_EQ(trail.body.size(), 2u) << trail.body.dump();
  EXPECT_EQ(trail.body[0].at("identity"), "CN=silo-operator,OU=operator,O=silo");
  EXPECT_EQ(trail.body[0].at("status"), 404);
  EXPECT_EQ(trail.body[1].at("identity"), kReadOnlySubject);
  EXPECT_EQ(trail.body[1].at("role"), "read-only");
  EXPECT_EQ(trail.body[1].at("transport"), "tls");
  EXPECT_EQ(trail.body[1].at("remote").get<std::string>().rfind("127.0.0.1:", 0), 0u) << trail.body[1].dump();
  EXPECT_EQ(trail.body[1].at("status"), 403);
}

TEST_F(TlsRoles, ATlsRolesEntryForTheSubjectWinsOverTheOu) {
  ASSERT_TRUE(start({"--tls-roles", kReadOnlySubject + "=operator"}));
  EXPECT_EQ(call(*daemon_, "read-only", "DELETE", kMissingLayer).status, "404");
  auto trail = call(*daemon_, "read-only", "GET", "/v1/audit");
  ASSERT_EQ(trail.status, "200");
  ASSERT_EQ(trail.body.size(), 1u);
  EXPECT_EQ(trail.body[0].at("role"), "operator");
}

}  // namespace
}  // namespace silo::testing
