// Where the daemon listens, as a user names it: `unix:///run/silo/silod.sock`, `tcp://127.0.0.1:2375`
// or `npipe:////./pipe/silod`, the same spellings docker's -H takes. The --host flag wins over the
// SILO_HOST environment variable, which wins over the platform default.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace silo::client {

enum class Transport { unix_socket, tcp, named_pipe };

// Mutual TLS for a tcp:// endpoint (see tls_settings.h for how flags and environment choose them).
struct TlsClientFiles {
  std::string ca_file;    // the daemon's certificate must chain to this CA, and name the host
  std::string cert_file;  // this client's certificate and key
  std::string key_file;
};

struct Endpoint {
  Transport transport = Transport::unix_socket;
  std::string path;      // unix socket path or pipe name (\\.\pipe\NAME)
  std::string hostname;  // tcp only
  std::uint16_t port = 0;
  std::optional<TlsClientFiles> tls;  // tcp only; unset: plain HTTP

  // The endpoint spelled back as a host URL, for messages ("Cannot connect to ... at unix:///x").
  std::string to_string() const;
};

// silod on Windows listens on the named pipe \\.\pipe\silod (docs/windows.md).
#ifdef _WIN32
inline constexpr std::string_view kDefaultHost = "npipe:////./pipe/silod";
#else
inline constexpr std::string_view kDefaultHost = "unix:///run/silo/silod.sock";
#endif
inline constexpr std::string_view kHostEnvVar = "SILO_HOST";

Result<Endpoint> parse_host(std::string_view text);

// flag, else $SILO_HOST (when set and non-empty), else kDefaultHost.
Result<Endpoint> resolve_host(const std::optional<std::string>& flag);

}  // namespace silo::client
