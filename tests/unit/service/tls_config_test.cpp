// The rules for tcp:// hosts: non-loopback needs --tlsverify with its files; loopback may be plain.
#include "service/config.h"

#include <gtest/gtest.h>

namespace silo::service {
namespace {

Result<Invocation> parse(std::vector<std::string> args) {
  args.insert(args.begin(), {"--data-root", "/tmp/silo-unused"});
  return parse_invocation(args);
}

TEST(TlsConfig, ANonLoopbackTcpHostWithoutTlsIsRefusedWithTheFix) {
  auto parsed = parse({"--host", "tcp://0.0.0.0:2376"});
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("--tlsverify --tlscacert"), std::string::npos) << parsed.error().message;
  EXPECT_NE(parsed.error().message.find("silod tls init"), std::string::npos);
  EXPECT_FALSE(parse({"--host", "tcp://192.0.2.7:2376"}));
}

TEST(TlsConfig, LoopbackTcpMayBePlain) {
  EXPECT_TRUE(parse({"--host", "tcp://127.0.0.1:2375"}));
  EXPECT_TRUE(parse({"--host", "tcp://[::1]:2375"}));
  EXPECT_TRUE(parse({"--host", "tcp://localhost:2375"}));
}

TEST(TlsConfig, TlsverifyIsASwitchAndNeedsEveryFile) {
  auto parsed = parse({"--host", "tcp://0.0.0.0:2376", "--tlsverify", "--tlscacert", "/c/ca.pem", "--tlscert",
                       "/c/cert.pem", "--tlskey", "/c/key.pem", "--host", "unix:///tmp/s.sock"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->config.tls.verify);
  EXPECT_EQ(parsed->config.tls.key_file, "/c/key.pem");
  EXPECT_EQ(parsed->config.hosts.size(), 2u);

  auto missing = parse({"--host", "tcp://0.0.0.0:2376", "--tlsverify", "--tlscacert", "/c/ca.pem"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("--tlscert, --tlskey"), std::string::npos) << missing.error().message;
}

TEST(TlsConfig, FilesWithoutTlsverifyAndPlainTlsAreRefused) {
  EXPECT_FALSE(parse({"--host", "tcp://127.0.0.1:2376", "--tlscert", "/c/cert.pem"}));
  auto tls = parse({"--host", "tcp://127.0.0.1:2376", "--tls"});
  ASSERT_FALSE(tls);
  EXPECT_NE(tls.error().message.find("not supported"), std::string::npos);
}

TEST(TlsConfig, TheConfigFileTakesTheSameKeys) {
  DaemonConfig config;
  ASSERT_TRUE(apply_config_json(R"({"tlsverify": true, "tlscacert": "/c/ca.pem", "tlscrl": "/c/crl.pem"})", "test", config));
  EXPECT_TRUE(config.tls.verify);
  EXPECT_EQ(config.tls.crl_file, "/c/crl.pem");
}

TEST(TlsConfig, TcpHostsMustBeIpAddresses) {
  auto parsed = parse({"--host", "tcp://example.com:2376"});
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("IP address"), std::string::npos);
}

}  // namespace
}  // namespace silo::service
