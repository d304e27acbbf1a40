// tls_stream.h comes first: it specializes SessionStreamTraits before session.h instantiates
// Session<TlsStream>.
#include "api/transport/tls_stream.h"

#include "api/transport/tcp_listener.h"

#include "api/http/session.h"
#include "core/logging.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace silo::api {
namespace {

using tcp = asio::ip::tcp;

}  // namespace

Result<std::shared_ptr<TcpListener>> TcpListener::open(asio::any_io_executor executor, const tcp::endpoint& endpoint,
                                                       std::shared_ptr<TlsReloader> tls) {
  tcp::acceptor acceptor(asio::make_strand(executor));
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  auto address = endpoint.address();
  std::string text = "tcp://" + (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":";
  if (ec) {
    return make_error(Errc::failed_precondition, "cannot listen on " + text + std::to_string(endpoint.port()) + ": " +
                                                     ec.message());
  }
  text += std::to_string(acceptor.local_endpoint(ec).port());
  return std::shared_ptr<TcpListener>(new TcpListener(std::move(acceptor), std::move(text), std::move(tls)));
}

void TcpListener::start(std::shared_ptr<HttpServer> server) {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(std::move(server)), asio::detached);
}

asio::awaitable<void> TcpListener::accept_loop(std::shared_ptr<HttpServer> server) {
  auto self = shared_from_this();
  auto log = logging::get("api");
  log->info("listening on {} ({})", address(), tls_ ? "TLS, client certificates required" : "plain HTTP, loopback only");
  for (;;) {
    tcp::socket socket(asio::make_strand(server->executor()));
    auto [ec] = co_await acceptor_.async_accept(socket, asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      log->warn("accept on {} failed: {}", address(), ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // small JSON answers must not wait for Nagle
    PeerIdentity peer;
    peer.remote_address = remote_address_of(socket);
    if (tls_) {
      peer.transport = "tls";
      // The context of this moment: a reload later changes only the connections after it.
      auto context = tls_->current();
      Session<TlsStream>::start(TlsStream(std::move(socket), *context), std::move(peer), server);
    } else {
      peer.transport = "tcp";
      Session<tcp::socket>::start(std::move(socket), std::move(peer), server);
    }
  }
  log->info("stopped listening on {}", address());
}

void TcpListener::close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    if (self->tls_) self->tls_->stop();
  });
}

TcpListener::~TcpListener() = default;

}  // namespace silo::api
