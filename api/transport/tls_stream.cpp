#include "api/transport/tls_stream.h"

#include "core/logging.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace silo::api {
namespace {

std::string rfc2253(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) return {};
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::string asn1_text(const ASN1_STRING* value) {
  unsigned char* utf8 = nullptr;
  int size = ASN1_STRING_to_UTF8(&utf8, value);
  if (size < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

std::vector<std::string> organizational_units(const X509_NAME* name) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, i)) {
    out.push_back(asn1_text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i))));
  }
  return out;
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  asio::ip::address address;
  if (ip->length == 4) {
    asio::ip::address_v4::bytes_type bytes{};
    std::copy_n(ip->data, 4, bytes.begin());
    address = asio::ip::address_v4(bytes);
  } else if (ip->length == 16) {
    asio::ip::address_v6::bytes_type bytes{};
    std::copy_n(ip->data, 16, bytes.begin());
    address = asio::ip::address_v6(bytes);
  } else {
    return "?";
  }
  return address.to_string();
}

std::vector<std::string> subject_alt_names(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    switch (name->type) {
      case GEN_DNS: out.push_back("DNS:" + asn1_text(name->d.dNSName)); break;
      case GEN_IPADD: out.push_back("IP:" + ip_text(name->d.iPAddress)); break;
      case GEN_URI: out.push_back("URI:" + asn1_text(name->d.uniformResourceIdentifier)); break;
      case GEN_EMAIL: out.push_back("email:" + asn1_text(name->d.rfc822Name)); break;
      default: break;  // other forms carry nothing a role mapping uses
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

}  // namespace

std::string remote_address_of(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  auto address = endpoint.address();
  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

bool fill_tls_identity(SSL* ssl, PeerIdentity& peer) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) return false;
  peer.tls_subject = rfc2253(X509_get_subject_name(cert));
  peer.tls_organizational_units = organizational_units(X509_get_subject_name(cert));
  peer.tls_subject_alt_names = subject_alt_names(cert);
  return true;
}

asio::awaitable<boost::system::error_code> SessionStreamTraits<TlsStream>::handshake(TlsStream& stream,
                                                                                      PeerIdentity& peer) {
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  auto log = logging::get("api");
  if (ec) {
    // Scanners and misconfigured clients land here; info, not error: nothing is wrong with silod.
    // OpenSSL's "certificate verify failed" does not say why; the verify result does (expired, revoked...).
    long verify = SSL_get_verify_result(stream.native_handle());
    std::string why = verify == X509_V_OK ? std::string() : std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    log->info("TLS handshake with {} failed: {}{}", peer.describe(), ec.message(), why);
    co_return ec;
  }
  if (!fill_tls_identity(stream.native_handle(), peer)) {
    // Unreachable with the verify mode tls_context sets; refuse rather than serve an anonymous peer.
    log->warn("TLS peer {} has no verified client certificate; closing", peer.describe());
    co_return asio::error::access_denied;
  }
  log->debug("TLS {} with {} ({}{})", SSL_get_version(stream.native_handle()), peer.describe(),
             SSL_get_cipher_name(stream.native_handle()), SSL_session_reused(stream.native_handle()) ? ", resumed" : "");
  co_return boost::system::error_code{};
}

asio::awaitable<void> SessionStreamTraits<TlsStream>::shutdown(TlsStream& stream) {
  // Sends close_notify and waits for the peer's; the caller's timer bounds the wait.
  auto [ec] = co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
  (void)ec;  // a peer that already hung up is the common case and nothing to report
}

}  // namespace silo::api
