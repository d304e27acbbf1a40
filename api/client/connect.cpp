#include "api/client/detail/any_stream.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>

namespace silo::client::detail {
namespace {

namespace asio = boost::asio;

std::string describe(const boost::system::error_code& ec, const Timeouts& timeouts) {
  if (ec == boost::beast::error::timeout) {
    return "timed out after " + std::to_string(timeouts.connect.count()) + " ms";
  }
  return ec.message();
}

ClientError connect_failed(std::string_view what, const boost::system::error_code& ec, const Timeouts& timeouts) {
  const Errc code = ec == asio::error::access_denied ? Errc::permission_denied : Errc::unavailable;
  return unreachable(make_error(code, std::string(what) + ": " + describe(ec, timeouts)));
}

ClientResult<AnyStream> connect_unix(asio::io_context& ioc, const Endpoint& endpoint, const Timeouts& timeouts) {
  AnyStream any(std::in_place_type<UnixStream>, ioc.get_executor());
  auto& stream = std::get<UnixStream>(any);
  stream.expires_after(timeouts.connect);
  const auto ec = run_one(ioc, [&](auto handler) {
    stream.async_connect(asio::local::stream_protocol::endpoint(endpoint.path), std::move(handler));
  });
  if (ec) return connect_failed("dial unix " + endpoint.path, ec, timeouts);
  return any;
}

ClientResult<AnyStream> connect_tcp(asio::io_context& ioc, const Endpoint& endpoint, const Timeouts& timeouts) {
  asio::ip::tcp::resolver resolver(ioc);
  asio::ip::tcp::resolver::results_type addresses;
  boost::system::error_code resolve_ec = run_one(ioc, [&](auto handler) {
    resolver.async_resolve(endpoint.hostname, std::to_string(endpoint.port),
                           [&addresses, handler = std::move(handler)](boost::system::error_code ec,
                                                                      asio::ip::tcp::resolver::results_type r) mutable {
                             addresses = std::move(r);
                             handler(ec);
                           });
  });
  if (resolve_ec) return connect_failed("resolve " + endpoint.hostname, resolve_ec, timeouts);

  TcpStream stream(ioc.get_executor());
  stream.expires_after(timeouts.connect);
  const auto ec = run_one(ioc, [&](auto handler) { stream.async_connect(addresses, std::move(handler)); });
  if (ec) {
    return connect_failed("dial tcp " + endpoint.hostname + ":" + std::to_string(endpoint.port), ec, timeouts);
  }
  if (endpoint.tls) return start_tls(ioc, std::move(stream), endpoint, timeouts);
  return AnyStream(std::in_place_type<TcpStream>, std::move(stream));
}

}  // namespace

ClientResult<AnyStream> connect(asio::io_context& ioc, const Endpoint& endpoint, const Timeouts& timeouts) {
  switch (endpoint.transport) {
    case Transport::unix_socket:
      return connect_unix(ioc, endpoint, timeouts);
    case Transport::tcp:
      return connect_tcp(ioc, endpoint, timeouts);
    case Transport::named_pipe:
      return connect_named_pipe(ioc, endpoint, timeouts);
  }
  return unreachable(make_error(Errc::internal, "unknown transport"));
}

}  // namespace silo::client::detail
