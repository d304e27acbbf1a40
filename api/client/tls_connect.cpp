// The client half of mutual TLS: the same protocol floor and cipher choice as silod (TLS 1.2+, ECDHE
// with AEAD ciphers), the daemon's certificate verified against the given CA file only and against
// the host name or IP address the user typed, and the client certificate presented.
#include "api/client/detail/any_stream.h"
#include "api/transport/tls_context.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace silo::client::detail {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;

// The OpenSSL error queue as text (and cleared). (api::openssl_errors lives in the server's library.)
std::string openssl_errors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    out += (out.empty() ? "" : "; ") + std::string(text);
  }
  return out;
}

ClientError tls_failed(std::string what) {
  std::string reason = openssl_errors();
  return unreachable(make_error(Errc::unavailable, what + (reason.empty() ? "" : ": " + reason)));
}

ClientResult<std::shared_ptr<ssl::context>> client_context(const TlsClientFiles& files) {
  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* ctx = context->native_handle();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 || SSL_CTX_set_cipher_list(ctx, api::kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, api::kTls13Suites) != 1) {
    return tls_failed("this OpenSSL refuses silo's TLS settings");
  }
  boost::system::error_code ec;
  context->load_verify_file(files.ca_file, ec);  // this CA alone: no set_default_verify_paths
  if (ec) return tls_failed("cannot use CA certificate (--tlscacert) " + files.ca_file);
  context->use_certificate_chain_file(files.cert_file, ec);
  if (ec) return tls_failed("cannot use certificate (--tlscert) " + files.cert_file);
  context->use_private_key_file(files.key_file, ssl::context::pem, ec);
  if (ec) return tls_failed("cannot use private key (--tlskey) " + files.key_file);
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

}  // namespace

ClientResult<AnyStream> start_tls(asio::io_context& ioc, TcpStream tcp, const Endpoint& endpoint, const Timeouts& timeouts) {
  auto context = client_context(*endpoint.tls);
  if (!context) return context.error();
  // The SSL object holds its own reference to the OpenSSL context, so `context` may go after this.
  AnyStream any(std::in_place_type<TlsStream>, std::move(tcp), **context);
  auto& stream = std::get<TlsStream>(any);
  boost::system::error_code ec;
  asio::ip::make_address(endpoint.hostname, ec);
  // SNI for names only. (SSL_set_tlsext_host_name is a macro with a C cast.)
  if (ec && SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(endpoint.hostname.c_str())) != 1) {
    return tls_failed("cannot set the TLS server name " + endpoint.hostname);
  }
  stream.set_verify_callback(ssl::host_name_verification(endpoint.hostname));
  boost::beast::get_lowest_layer(stream).expires_after(timeouts.connect);
  ec = run_one(ioc, [&](auto handler) { stream.async_handshake(ssl::stream_base::client, std::move(handler)); });
  if (ec) {
    std::string why = ec == boost::beast::error::timeout ? "timed out after " + std::to_string(timeouts.connect.count()) + " ms"
                                                         : ec.message();
    return unreachable(make_error(Errc::unavailable, "TLS handshake with " + endpoint.to_string() + " failed: " + why +
                                                         " (check --tlscacert, that the daemon's certificate names " +
                                                         endpoint.hostname + ", and that the daemon trusts --tlscert)"));
  }
  return any;
}

}  // namespace silo::client::detail
