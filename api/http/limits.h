// Every bound the HTTP layer enforces. Each one is configurable (service/config.h maps them to
// config keys and flags); the defaults suit a local control socket.
#pragma once

#include <chrono>
#include <cstddef>

namespace silo::api {

struct Limits {
  std::size_t max_header_bytes = 16 * 1024;      // request line + headers; over it: 431
  std::size_t max_body_bytes = 1024 * 1024;      // JSON bodies; over it: 413
  std::size_t max_json_depth = 64;               // nesting of arrays/objects; over it: 400
  std::size_t max_connections = 256;             // open connections; the next one gets 503 and is closed
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request's first byte
  std::chrono::milliseconds header_timeout{10'000};  // first byte to end of headers
  std::chrono::milliseconds body_timeout{30'000};    // end of headers to end of body
  std::chrono::milliseconds write_timeout{30'000};   // each response write (a whole response or one chunk)
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long on shutdown
};

}  // namespace silo::api
