// SessionStreamTraits<Stream>: what a session does before its first request and after its last,
// per stream type. Plain streams (unix socket, named pipe, TCP) do nothing; a TLS stream
// specializes it (api/transport/tls_stream.h) to run the handshake, fill the peer identity from the
// verified client certificate, and send close_notify at the end. The specialization must be visible
// wherever Session<ThatStream> is instantiated; silo_http itself needs no OpenSSL.
#pragma once

namespace silo::api {

template <class Stream>
struct SessionStreamTraits {
  static constexpr bool has_handshake = false;
  // A TLS specialization also declares:
  //   static asio::awaitable<boost::system::error_code> handshake(Stream&, PeerIdentity&);
  //   static asio::awaitable<void> shutdown(Stream&);
};

}  // namespace silo::api
