// Whether and how siloctl speaks TLS to a tcp:// daemon, as docker does:
//   - --tlsverify, or SILO_TLS_VERIFY set to anything but "" / "0" / "false", or any of --tlscacert,
//     --tlscert, --tlskey given: TLS, verifying the daemon's certificate against the CA and the host
//     name or address, and presenting the client certificate;
//   - the files default to ca.pem, cert.pem and key.pem in $SILO_CERT_PATH, else ~/.silo.
// The TLS flags apply to tcp:// hosts only; the environment is ignored for other hosts.
#pragma once

#include "api/client/host.h"

#include <optional>
#include <string>

namespace silo::client {

inline constexpr std::string_view kTlsVerifyEnvVar = "SILO_TLS_VERIFY";
inline constexpr std::string_view kCertPathEnvVar = "SILO_CERT_PATH";

struct TlsFlags {
  bool verify = false;
  std::optional<std::string> ca_file;
  std::optional<std::string> cert_file;
  std::optional<std::string> key_file;
};

// Sets endpoint.tls when TLS is asked for; an error when a file is missing or the host is not tcp.
Result<void> apply_tls_settings(const TlsFlags& flags, Endpoint& endpoint);

}  // namespace silo::client
