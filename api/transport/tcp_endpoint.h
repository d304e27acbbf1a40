// tcp:// host addresses, parsed without any transport: the configuration checks them (service/tls_config.h)
// and the TCP listener binds them.
#pragma once

#include "core/errors.h"

#include <boost/asio/ip/tcp.hpp>

#include <string_view>

namespace silo::api {

namespace asio = boost::asio;

// "tcp://127.0.0.1:2376", "tcp://[::1]:2376", "tcp://localhost:2376" (127.0.0.1) -> an endpoint.
// Only IP literals and localhost: a daemon binds addresses, and a name could resolve to several.
Result<asio::ip::tcp::endpoint> tcp_endpoint(std::string_view host);

}  // namespace silo::api
