// silod over mutual TLS with real peers: curl, openssl s_client, siloctl, and a keep-alive client.
#include "tests/integration/tls_support.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <thread>

namespace silo::testing {
namespace {

using namespace std::chrono_literals;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    daemon_ = std::make_unique<TlsSilod>(dir_.path());
    ASSERT_TRUE(daemon_->start(&why)) << why;
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "silod log:\n" << daemon_->log();
  }

  // curl's body and, on its last line, the HTTP status ("000" when there was no answer).
  static std::string status_of(const ProcessResult& run) { return run.out.substr(run.out.rfind('\n') + 1); }

  TempDir dir_;
  std::unique_ptr<TlsSilod> daemon_;
};

TEST_F(TlsTest, CurlWithTheAdminCertificateGetsTheVersion) {
  auto run = curl_tls(*daemon_, daemon_->role_dir("admin"), "/v1/version");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(status_of(run), "200");
  EXPECT_NE(run.out.find("\"apiVersion\""), std::string::npos) << run.out;
}

TEST_F(TlsTest, TheSessionSeesTheIdentityOfTheVerifiedCertificate) {
  ASSERT_EQ(curl_tls(*daemon_, daemon_->role_dir("operator"), "/v1/version").exit_code, 0);
  // The access log line names the peer as the session saw it.
  EXPECT_NE(daemon_->log().find("subject=\"CN=silo-operator,OU=operator,O=silo\""), std::string::npos);
}

TEST_F(TlsTest, AClientWithoutACertificateIsRefused) {
  auto run = curl_tls(*daemon_, "", "/v1/version");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(status_of(run), "200");
}

TEST_F(TlsTest, ACertificateFromAnotherCaIsRefused) {
  TempDir other;
  std::string why;
  ASSERT_TRUE(tls_init(other.path(), &why)) << why;
  auto run = curl_tls(*daemon_, other.path() + "/admin", "/v1/version");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(status_of(run), "200");
}

TEST_F(TlsTest, AnExpiredCertificateIsRefused) {
  TempDir expired;
  ASSERT_TRUE(issue_client_cert(daemon_->certs(), expired.path(), -30, -1, "admin"));
  auto run = curl_tls(*daemon_, expired.path(), "/v1/version");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(status_of(run), "200");
  EXPECT_NE(daemon_->log().find("(certificate has expired)"), std::string::npos);
  // The same CA, valid dates: accepted (so the refusal above is about the dates).
  TempDir valid;
  ASSERT_TRUE(issue_client_cert(daemon_->certs(), valid.path(), -1, 30, "admin"));
  EXPECT_EQ(curl_tls(*daemon_, valid.path(), "/v1/version").exit_code, 0);
}

TEST_F(TlsTest, Tls11IsRefused) {
  // The client is allowed TLS 1.1 at security level 0, so the refusal is the server's.
  auto run = s_client(*daemon_, {"-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"});
  EXPECT_NE(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.err.find("Protocol version: TLSv1.1"), std::string::npos) << run.err;
}

TEST_F(TlsTest, Tls13IsNegotiatedByDefaultAndTls12UsesEcdheWithAead) {
  auto tls13 = s_client(*daemon_, {});
  EXPECT_EQ(tls13.exit_code, 0) << tls13.err;
  EXPECT_NE(tls13.err.find("Protocol version: TLSv1.3"), std::string::npos) << tls13.err;
  auto tls12 = s_client(*daemon_, {"-tls1_2"});
  EXPECT_EQ(tls12.exit_code, 0) << tls12.err;
  EXPECT_NE(tls12.err.find("Ciphersuite: ECDHE-ECDSA-AES"), std::string::npos) << tls12.err;
  // A CBC suite is not offered even when the client asks for nothing else.
  auto cbc = s_client(*daemon_, {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"});
  EXPECT_NE(cbc.exit_code, 0) << cbc.err;
}

TEST_F(TlsTest, SessionsAreResumed) {
  KeepAliveTlsClient first;
  std::string why;
  ASSERT_TRUE(first.connect(daemon_->port(), daemon_->role_dir("admin"), &why)) << why;
  ASSERT_EQ(first.get("/v1/version"), 200);  // TLS 1.3 tickets come with the first read
  KeepAliveTlsClient second;
  second.resume_next(first);
  ASSERT_TRUE(second.connect(daemon_->port(), daemon_->role_dir("admin"), &why)) << why;
  EXPECT_EQ(second.get("/v1/version"), 200);
  EXPECT_TRUE(second.resumed());
  EXPECT_EQ(second.protocol(), "TLSv1.3");
}

TEST_F(TlsTest, SiloctlWorksOverTlsWithFlagsAndWithTheEnvironment) {
  std::string admin = daemon_->role_dir("admin");
  auto flags = run_process({SILOCTL_EXECUTABLE, "--host", daemon_->tcp_host(), "--tlsverify", "--tlscacert",
                            admin + "/ca.pem", "--tlscert", admin + "/cert.pem", "--tlskey", admin + "/key.pem", "version"});
  EXPECT_EQ(flags.exit_code, 0) << flags.out << flags.err;
  EXPECT_NE(flags.out.find("Server"), std::string::npos) << flags.out;

  Environment env;
  env.set = {{"SILO_HOST", "tcp://localhost:" + std::to_string(daemon_->port())}, {"SILO_TLS_VERIFY", "1"},
             {"SILO_CERT_PATH", admin}};
  auto from_env = run_process({SILOCTL_EXECUTABLE, "version"}, env);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.out << from_env.err;
}

TEST_F(TlsTest, SiloctlRefusesADaemonItsCaDidNotSign) {
  TempDir other;
  std::string why;
  ASSERT_TRUE(tls_init(other.path(), &why)) << why;
  std::string admin = daemon_->role_dir("admin");
  auto run = run_process({SILOCTL_EXECUTABLE, "--host", daemon_->tcp_host(), "--tlscacert", other.path() + "/ca.pem",
                          "--tlscert", admin + "/cert.pem", "--tlskey", admin + "/key.pem", "version"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("TLS handshake"), std::string::npos) << run.err;
}

TEST_F(TlsTest, ARotatedServerCertificateServesNewConnectionsWhileOldOnesKeepWorking) {
  KeepAliveTlsClient old_connection;
  std::string why;
  ASSERT_TRUE(old_connection.connect(daemon_->port(), daemon_->role_dir("admin"), &why)) << why;
  ASSERT_EQ(old_connection.get("/v1/version"), 200);
  std::string old_serial = old_connection.server_serial();

  std::string new_serial = rotate_server_cert(daemon_->certs());
  ASSERT_FALSE(new_serial.empty());
  ASSERT_NE(new_serial, old_serial);
  std::string seen;
  // The files are polled every 2 s: up to 15 s (150 x 100 ms) for a new connection to see the new one.
  for (int attempt = 0; attempt < 150 && seen != new_serial; ++attempt) {
    KeepAliveTlsClient fresh;
    if (fresh.connect(daemon_->port(), daemon_->role_dir("admin"), &why) && fresh.get("/_ping") == 200) {
      seen = fresh.server_serial();
    }
    if (seen != new_serial) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(seen, new_serial);
  EXPECT_EQ(old_connection.get("/v1/version"), 200);
  EXPECT_EQ(old_connection.server_serial(), old_serial);
}

TEST_F(TlsTest, ABrokenNewCertificateKeepsTheCurrentOneAndSighupReloads) {
  ASSERT_TRUE(write_text(daemon_->certs() + "/server-cert.pem", "not a certificate\n"));
  daemon_->signal(SIGHUP);
  // Up to 10 s for the failed reload on SIGHUP to be logged.
  bool logged = false;
  for (int attempt = 0; attempt < 100 && !logged; ++attempt) {
    logged = daemon_->log().find("TLS reload (SIGHUP): keeping the current certificates") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(logged);
  EXPECT_EQ(status_of(curl_tls(*daemon_, daemon_->role_dir("admin"), "/v1/version")), "200");
}

TEST(TlsRevocation, ACertificateOnTheCrlIsRefusedAndOthersAreNot) {
  TempDir dir;
  std::string why;
  ASSERT_TRUE(tls_init(dir.path() + "/certs", &why)) << why;
  ASSERT_TRUE(issue_client_cert(dir.path() + "/certs", dir.path() + "/revoked", -1, 30, "admin"));
  std::string crl = dir.path() + "/certs/crl.pem";
  ASSERT_TRUE(write_crl(dir.path() + "/certs", dir.path() + "/revoked/cert.pem", crl));
  TlsSilod daemon(dir.path());
  daemon.add_args({"--tlscrl", crl});
  ASSERT_TRUE(daemon.start(&why)) << why;  // start() itself gets an answer with the admin certificate
  auto revoked = curl_tls(daemon, dir.path() + "/revoked", "/v1/version");
  EXPECT_NE(revoked.exit_code, 0);
  EXPECT_NE(daemon.log().find("certificate revoked"), std::string::npos) << daemon.log();
  EXPECT_EQ(curl_tls(daemon, daemon.role_dir("operator"), "/v1/version").exit_code, 0);
}

TEST(TlsStartup, ANonLoopbackAddressWithoutTlsIsRefused) {
  TempDir dir;
  auto run = run_process({SILOD_EXECUTABLE, "--data-root", dir.path() + "/data", "--host", "tcp://0.0.0.0:2375"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("refusing to serve tcp://0.0.0.0:2375 without TLS"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--tlsverify"), std::string::npos) << run.err;
}

TEST(TlsStartup, TlsWithoutClientVerificationIsRefusedByName) {
  TempDir dir;
  auto run = run_process({SILOD_EXECUTABLE, "--data-root", dir.path() + "/data", "--host", "tcp://127.0.0.1:2375", "--tls"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("not supported"), std::string::npos) << run.err;
}

TEST(TlsStartup, PlainHttpOnLoopbackServesWithAWarning) {
  TempDir dir;
  int port = free_loopback_port();
  ChildProcess::Options options;
  options.argv = {SILOD_EXECUTABLE, "--data-root", dir.path() + "/data", "--host", "tcp://127.0.0.1:" + std::to_string(port)};
  options.output_file = dir.path() + "/silod.log";
  std::string why;
  auto child = ChildProcess::spawn(options, &why);
  ASSERT_TRUE(child) << why;
  ProcessResult run;
  for (int attempt = 0; attempt < 300 && run.exit_code != 0; ++attempt) {  // up to 30 s
    run = run_process({SILO_CURL_EXECUTABLE, "--silent", "--fail", "--max-time", "10",
                       "http://127.0.0.1:" + std::to_string(port) + "/v1/version"});
    if (run.exit_code != 0) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(run.exit_code, 0) << read_text(dir.path() + "/silod.log");
  EXPECT_NE(read_text(dir.path() + "/silod.log").find("without authentication"), std::string::npos);
  child->stop(SIGTERM, std::chrono::seconds(20));
}

}  // namespace
}  // namespace silo::testing
