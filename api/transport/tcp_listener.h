// The TCP transport: `silod --host tcp://ADDR:PORT`. With a TlsReloader every connection is TLS
// with a verified client certificate (mutual TLS); without one the connection is plain HTTP, which
// the daemon's configuration allows on loopback addresses only (service/tls_config.h decides).
// Each connection carries the peer's address, and for TLS the identity from its certificate.
#pragma once

#include "api/http/server.h"
#include "api/transport/tcp_endpoint.h"
#include "api/transport/tls_reloader.h"
#include "core/errors.h"

#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace silo::api {

class TcpListener final : public Listener, public std::enable_shared_from_this<TcpListener> {
 public:
  // tls null: plain HTTP.
  static Result<std::shared_ptr<TcpListener>> open(asio::any_io_executor executor, const asio::ip::tcp::endpoint& endpoint,
                                                   std::shared_ptr<TlsReloader> tls);

  void start(std::shared_ptr<HttpServer> server) override;

  std::string address() const override { return address_; }
  void close() override;

  // The TLS context source (null for plain TCP), for reloads.
  const std::shared_ptr<TlsReloader>& tls() const { return tls_; }

  ~TcpListener() override;

 private:
  TcpListener(asio::ip::tcp::acceptor acceptor, std::string address, std::shared_ptr<TlsReloader> tls)
      : acceptor_(std::move(acceptor)), address_(std::move(address)), tls_(std::move(tls)) {}
  asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer> server);

  asio::ip::tcp::acceptor acceptor_;
  std::string address_;
  std::shared_ptr<TlsReloader> tls_;
};

}  // namespace silo::api
