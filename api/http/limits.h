// Every bound the HTTP layer enforces. Each one is configurable (service/config.h maps them to
// config keys and flags); the defaults suit a local control socket.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>

namespace silo::api {

struct Limits {
  std::size_t max_header_bytes = 16 * 1024;      // request line + headers; over it: 431
  std::size_t max_body_bytes = 1024 * 1024;      // JSON bodies; over it: 413
  std::size_t max_json_depth = 64;               // nesting of arrays/objects; over it: 400
  std::size_t max_connections = 256;             // open connections; the next one gets 503 and is closed
  // Connections over TCP (TLS or loopback plain HTTP) at once; unset: three quarters of
  // max_connections. The rest is kept for the local socket or pipe, which remote peers cannot take,
  // so a flood on the TCP port never locks the host's own administrator out.
  std::optional<std::size_t> max_remote_connections;
  std::size_t max_connections_per_peer = 32;     // open TCP connections from one address
  // TCP connections still in their TLS handshake (no verified certificate yet). When full, a new
  // one cuts the oldest of them instead of being turned away: a client that completes its handshake
  // in milliseconds gets through while strangers who never do are cycled out.
  std::size_t max_pending_handshakes = 64;
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request's first byte
  std::chrono::milliseconds handshake_timeout{3'000};  // TCP connect to a completed TLS handshake
  std::chrono::milliseconds header_timeout{10'000};  // first byte to end of headers
  std::chrono::milliseconds body_timeout{30'000};    // end of headers to end of body
  std::chrono::milliseconds write_timeout{30'000};   // each response write (a whole response or one chunk)
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long on shutdown

  std::size_t remote_connection_cap() const {
    if (max_remote_connections) return std::min(*max_remote_connections, max_connections);
    return max_connections - std::max<std::size_t>(1, max_connections / 4);
  }
};

}  // namespace silo::api
