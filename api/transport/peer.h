// Who is on the other end of a connection, as the operating system vouches for it. Unix sockets
// fill it from SO_PEERCRED; named pipes and TLS fill their own fields later. Authorization (root or
// an admin group is admin) is decided from this in later issues, never from anything the client says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace silo::api {

struct PeerIdentity {
  std::string transport;  // "unix", later "npipe", "tls"
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
  std::optional<std::int32_t> pid;

  // TCP peers: "192.0.2.7:51234" / "[::1]:51234", for the access log and the audit trail.
  std::string remote_address;

  // TLS peers: taken from the client certificate after OpenSSL verified it against the configured
  // CA, never from anything the client sends in a request. Empty for other transports.
  std::string tls_subject;                             // RFC 2253 text, "CN=ops-laptop,OU=operator"
  std::vector<std::string> tls_organizational_units;   // every OU of the subject, in order
  std::vector<std::string> tls_subject_alt_names;      // "DNS:host", "IP:192.0.2.7", "URI:spiffe://..."

  // Named-pipe peers: the client's token, read by impersonating it (Windows only).
  std::string windows_account;                         // "DOMAIN\\user"
  bool windows_admin = false;                          // the token holds Administrators or SYSTEM

  // "unix uid=1000 gid=1000 pid=4242", for the access log.
  std::string describe() const;
};

}  // namespace silo::api
