#include "api/transport/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cstdio>

namespace silo::api {
namespace {

namespace ssl = boost::asio::ssl;

// What the server cache keys sessions by: resumption with client verification needs one set.
constexpr unsigned char kSessionIdContext[] = "silod";
constexpr long kSessionCacheSize = 4096;

Error file_error(const std::string& what, const std::string& path) {
  std::string reason = openssl_errors();
  return make_error(Errc::failed_precondition,
                    "cannot use " + what + " " + path + (reason.empty() ? std::string() : ": " + reason));
}

Result<void> restrict_protocols(SSL_CTX* ctx) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 || SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1 || SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1) {
    return make_error(Errc::internal, "this OpenSSL refuses silod's TLS settings: " + openssl_errors());
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  return {};
}

Result<void> load_identity(ssl::context& context, const TlsServerFiles& files) {
  boost::system::error_code ec;
  context.use_certificate_chain_file(files.cert_file, ec);
  if (ec) return file_error("certificate (--tlscert)", files.cert_file);
  context.use_private_key_file(files.key_file, ssl::context::pem, ec);
  if (ec) return file_error("private key (--tlskey)", files.key_file);
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return make_error(Errc::failed_precondition, "private key " + files.key_file + " does not belong to certificate " +
                                                     files.cert_file + "; give the key made with that certificate");
  }
  return {};
}

// The CA file alone is trusted (no set_default_verify_paths), and its names are sent to clients
// so they pick the certificate that CA issued.
Result<void> load_trust(SSL_CTX* ctx, const TlsServerFiles& files) {
  if (SSL_CTX_load_verify_locations(ctx, files.ca_file.c_str(), nullptr) != 1) {
    return file_error("CA certificate (--tlscacert)", files.ca_file);
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.ca_file.c_str());
  if (!names) return file_error("CA certificate (--tlscacert)", files.ca_file);
  SSL_CTX_set_client_CA_list(ctx, names);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT | SSL_VERIFY_CLIENT_ONCE, nullptr);
  SSL_CTX_set_verify_depth(ctx, 4);
  return {};
}

Result<void> load_crl(SSL_CTX* ctx, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (!file) return errno_error(Errc::failed_precondition, "cannot open CRL (--tlscrl) " + path, errno);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int loaded = 0;
  while (X509_CRL* crl = PEM_read_X509_CRL(file, nullptr, nullptr, nullptr)) {
    int added = X509_STORE_add_crl(store, crl);
    X509_CRL_free(crl);
    if (added != 1) break;
    ++loaded;
  }
  std::fclose(file);
  ERR_clear_error();  // the read that ends the loop leaves "no start line" behind
  if (loaded == 0) return make_error(Errc::failed_precondition, "CRL file (--tlscrl) " + path + " holds no PEM CRL");
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  return {};
}

}  // namespace

std::string openssl_errors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out;
}

Result<std::shared_ptr<ssl::context>> build_server_context(const TlsServerFiles& files) {
  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SILO_TRY(restrict_protocols(ctx));
  SILO_TRY(load_identity(*context, files));
  SILO_TRY(load_trust(ctx, files));
  if (!files.crl_file.empty()) SILO_TRY(load_crl(ctx, files.crl_file));
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof(kSessionIdContext) - 1);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_sess_set_cache_size(ctx, kSessionCacheSize);
  return context;
}

}  // namespace silo::api
