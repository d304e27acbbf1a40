// `silod tls init --dir DIR --name HOST [--name HOST2] [--ip ADDR]... [--force]`: a CA, a server
// certificate for the given names and addresses, and one client certificate per role, laid out as
//   DIR/ca.pem DIR/ca-key.pem DIR/server-cert.pem DIR/server-key.pem
//   DIR/admin/{ca,cert,key}.pem  DIR/operator/...  DIR/read-only/...
// so that each role folder can be a client's SILO_CERT_PATH (docker's file names). Keys are ECDSA
// P-256, written 0600; lifetimes: CA 10 years, server 825 days, clients 1 year. Existing files are
// never overwritten without --force.
#pragma once

#include "core/errors.h"

#include <string>
#include <vector>

namespace silo::service::tls {

inline constexpr const char* kClientRoles[] = {"admin", "operator", "read-only"};

struct TlsInitOptions {
  std::string dir;
  std::vector<std::string> names;  // server DNS names
  std::vector<std::string> ips;    // server IP addresses
  bool force = false;
};

// args after "tls init".
Result<TlsInitOptions> parse_tls_init_args(const std::vector<std::string>& args);

// Creates every file; returns their paths in the order written.
Result<std::vector<std::string>> tls_init(const TlsInitOptions& options);

// `silod tls ...` as main() runs it: prints what it wrote or the error; returns the exit code.
int run_tls_command(const std::vector<std::string>& args);

std::string tls_usage_text();

}  // namespace silo::service::tls
