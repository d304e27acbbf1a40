// Internal to the client library: the byte streams a request can travel over, and the helper that
// runs one asynchronous Beast operation to completion. The library's calls are synchronous, but only
// Beast's asynchronous basic_stream operations honour per-operation timeouts, so each operation is
// started and then driven on a private io_context until it completes.
#pragma once

#include "api/client/client_error.h"
#include "api/client/host.h"
#include "api/client/http_exchange.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#ifdef _WIN32
#include "api/client/detail/pipe_stream.h"
#endif
#if SILO_CLIENT_TLS
#include <boost/beast/ssl/ssl_stream.hpp>
#endif

#include <variant>

namespace silo::client::detail {

using UnixStream = boost::beast::basic_stream<boost::asio::local::stream_protocol>;
using TcpStream = boost::beast::tcp_stream;
// Every operation in http_exchange.cpp is written once for any alternative through std::visit (with
// timeouts on beast::get_lowest_layer). TLS exists where the build has OpenSSL (SILO_CLIENT_TLS;
// not in the windows-cross preset).
#if SILO_CLIENT_TLS
using TlsStream = boost::beast::ssl_stream<TcpStream>;
#endif
#if defined(_WIN32) && SILO_CLIENT_TLS
using AnyStream = std::variant<UnixStream, TcpStream, PipeStream, TlsStream>;
#elif defined(_WIN32)
using AnyStream = std::variant<UnixStream, TcpStream, PipeStream>;
#elif SILO_CLIENT_TLS
using AnyStream = std::variant<UnixStream, TcpStream, TlsStream>;
#else
using AnyStream = std::variant<UnixStream, TcpStream>;
#endif

template <class Start>
boost::system::error_code run_one(boost::asio::io_context& ioc, Start&& start) {
  boost::system::error_code result = boost::asio::error::would_block;
  start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

// Connects within timeouts.connect. Every failure is Failure::unreachable.
ClientResult<AnyStream> connect(boost::asio::io_context& ioc, const Endpoint& endpoint, const Timeouts& timeouts);

// TLS over a connected TCP stream (tls_connect.cpp, or a refusal where the build has no OpenSSL):
// handshake within timeouts.connect, the daemon verified against endpoint.tls's CA and host name.
ClientResult<AnyStream> start_tls(boost::asio::io_context& ioc, TcpStream tcp, const Endpoint& endpoint,
                                  const Timeouts& timeouts);

// The platform body (posix/ or windows/): connecting to a named pipe.
ClientResult<AnyStream> connect_named_pipe(boost::asio::io_context& ioc, const Endpoint& endpoint,
                                           const Timeouts& timeouts);

}  // namespace silo::client::detail
