// `silod tls init`: the files it writes form a chain OpenSSL verifies, with the names, roles, key
// type and permissions a user relies on, and it never overwrites without --force.
#include "service/tls/certificates.h"
#include "service/tls/tls_init.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace silo::service::tls {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Certificate load(const fs::path& path) {
  auto cert = parse_certificate_pem(read_text(path));
  EXPECT_TRUE(cert) << path;
  return cert ? *cert : nullptr;
}

// X509_verify_cert with ca alone as the trust store, for the given purpose.
int verify(const Certificate& leaf, const Certificate& ca, int purpose) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  X509_STORE_add_cert(store.get(), ca.get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), &X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  return X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
}

std::vector<std::string> organizational_units(const Certificate& cert) {
  std::vector<std::string> out;
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (int i = X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)), ASN1_STRING_length(data));
  }
  return out;
}

class TlsInitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "silo-tls-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ / "certs";
  }
  void TearDown() override { fs::remove_all(root_); }

  Result<std::vector<std::string>> init(bool force = false) {
    return tls_init({dir_.string(), {"silo.example.com", "localhost"}, {"127.0.0.1", "::1"}, force});
  }

  fs::path root_;
  fs::path dir_;
};

TEST_F(TlsInitTest, EveryCertificateChainsToTheCaForItsPurpose) {
  ASSERT_TRUE(init());
  auto ca = load(dir_ / "ca.pem");
  EXPECT_EQ(verify(load(dir_ / "server-cert.pem"), ca, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  for (const char* role : kClientRoles) {
    EXPECT_EQ(verify(load(dir_ / role / "cert.pem"), ca, X509_PURPOSE_SSL_CLIENT), X509_V_OK) << role;
    // A client certificate cannot pose as a server.
    EXPECT_NE(verify(load(dir_ / role / "cert.pem"), ca, X509_PURPOSE_SSL_SERVER), X509_V_OK) << role;
    EXPECT_EQ(read_text(dir_ / role / "ca.pem"), read_text(dir_ / "ca.pem"));
  }
  EXPECT_NE(verify(load(dir_ / "server-cert.pem"), ca, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
}

TEST_F(TlsInitTest, TheServerCertificateNamesEveryHostAndAddress) {
  ASSERT_TRUE(init());
  auto server = load(dir_ / "server-cert.pem");
  EXPECT_EQ(X509_check_host(server.get(), "silo.example.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "::1", 0), 1);
  EXPECT_NE(X509_check_host(server.get(), "other.example.com", 0, 0, nullptr), 1);
}

TEST_F(TlsInitTest, ClientCertificatesCarryTheirRoleAsOuAndUseP256Keys) {
  ASSERT_TRUE(init());
  for (const char* role : kClientRoles) {
    auto cert = load(dir_ / role / "cert.pem");
    EXPECT_EQ(organizational_units(cert), std::vector<std::string>{role});
    auto key = parse_private_key_pem(read_text(dir_ / role / "key.pem"));
    ASSERT_TRUE(key);
    EXPECT_TRUE(EVP_PKEY_is_a(key->get(), "EC"));
    char group[32] = {};
    ASSERT_EQ(EVP_PKEY_get_utf8_string_param(key->get(), "group", group, sizeof(group), nullptr), 1);
    EXPECT_STREQ(group, "prime256v1");
    EXPECT_EQ(X509_check_private_key(cert.get(), key->get()), 1);
  }
}

TEST_F(TlsInitTest, KeysAreOwnerOnlyAndCertificatesReadable) {
  ASSERT_TRUE(init());
  for (auto path : {dir_ / "ca-key.pem", dir_ / "server-key.pem", dir_ / "admin" / "key.pem"}) {
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u) << path;
  }
  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "ca.pem").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

TEST_F(TlsInitTest, ExistingFilesAreKeptUnlessForced) {
  ASSERT_TRUE(init());
  std::string ca = read_text(dir_ / "ca.pem");
  auto again = init();
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("--force"), std::string::npos);
  EXPECT_EQ(read_text(dir_ / "ca.pem"), ca);
  ASSERT_TRUE(init(/*force=*/true));
  EXPECT_NE(read_text(dir_ / "ca.pem"), ca);
}

TEST_F(TlsInitTest, BadNamesAreRefusedBeforeAnythingIsWritten) {
  auto bad = tls_init({dir_.string(), {"evil,DNS:x"}, {}, false});
  ASSERT_FALSE(bad);
  EXPECT_FALSE(fs::exists(dir_));
  EXPECT_FALSE(tls_init({dir_.string(), {}, {"300.1.1.1"}, false}));
  EXPECT_FALSE(parse_tls_init_args({"--dir", "/tmp/x"}));  // no name or address
}

TEST_F(TlsInitTest, TheOpensslCommandAcceptsTheChain) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "openssl is not installed";
  ASSERT_TRUE(init());
  std::string command = "openssl verify -CAfile " + (dir_ / "ca.pem").string() + " -purpose sslserver " +
                        (dir_ / "server-cert.pem").string() + " >/dev/null && openssl verify -CAfile " +
                        (dir_ / "ca.pem").string() + " -purpose sslclient " + (dir_ / "admin/cert.pem").string() +
                        " " + (dir_ / "operator/cert.pem").string() + " " + (dir_ / "read-only/cert.pem").string() +
                        " >/dev/null";
  int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace silo::service::tls
