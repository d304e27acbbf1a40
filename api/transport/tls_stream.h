// The TLS stream silod serves (OpenSSL through Asio) and what a Session does with it: the server
// handshake, the peer identity taken from the verified client certificate, and close_notify at the
// end. Include this before api/http/session.h wherever Session<TlsStream> is instantiated.
#pragma once

#include "api/http/stream_traits.h"
#include "api/transport/peer.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <openssl/types.h>

namespace silo::api {

namespace asio = boost::asio;

using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;

template <>
struct SessionStreamTraits<TlsStream> {
  static constexpr bool has_handshake = true;
  // The server handshake; on success peer gets transport "tls" and the certificate's subject, OUs
  // and SANs. Failures are logged with the peer's address and OpenSSL's reason.
  static asio::awaitable<boost::system::error_code> handshake(TlsStream& stream, PeerIdentity& peer);
  static asio::awaitable<void> shutdown(TlsStream& stream);
};

// Fills the tls_* fields of peer from the connection's client certificate, only if OpenSSL verified
// it (X509_V_OK); returns false when there is no verified certificate.
bool fill_tls_identity(SSL* ssl, PeerIdentity& peer);

// "192.0.2.7:51234" / "[::1]:51234"; empty when the socket has no peer.
std::string remote_address_of(const asio::ip::tcp::socket& socket);

}  // namespace silo::api
