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

#include <variant>

namespace silo::client::detail {

using UnixStream = boost::beast::basic_stream<boost::asio::local::stream_protocol>;
using TcpStream = boost::beast::tcp_stream;
// The TLS issue adds boost::beast::ssl_stream<TcpStream> here; every operation in http_exchange.cpp
// is written once for any alternative through std::visit, so nothing else changes.
#ifdef _WIN32
using AnyStream = std::variant<UnixStream, TcpStream, PipeStream>;
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

// The platform body (posix/ or windows/): connecting to a named pipe.
ClientResult<AnyStream> connect_named_pipe(boost::asio::io_context& ioc, const Endpoint& endpoint,
                                           const Timeouts& timeouts);

}  // namespace silo::client::detail
