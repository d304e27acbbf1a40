// The TLS side of silod's configuration: the --tlsverify switch and the --tlscacert, --tlscert,
// --tlskey and --tlscrl files (config keys of the same names), and the rules for tcp:// hosts:
//   - a non-loopback tcp:// host needs --tlsverify with CA, certificate and key; silod refuses to
//     start otherwise, because whoever reaches the port would control the host;
//   - a loopback tcp:// host without TLS is allowed (plain HTTP, logged as a warning at start):
//     every local user can reach it, so it suits tests and tunnels, not production;
//   - TLS without client verification (docker's --tls) is not supported: --tls is rejected and says
//     to use --tlsverify.
#pragma once

#include "service/config_keys.h"

#include <chrono>
#include <vector>

namespace silo::service {

void add_tls_keys(std::vector<ConfigKey>& keys);

// Checks every tcp:// host against the rules above; the error says how to fix it.
Result<void> validate_tls_hosts(const DaemonConfig& config);

// How often silod looks at the TLS files for changes.
inline constexpr std::chrono::milliseconds kTlsPollInterval{2000};

}  // namespace silo::service
