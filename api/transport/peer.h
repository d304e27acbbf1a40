// Who is on the other end of a connection, as the operating system vouches for it. Unix sockets
// fill it from SO_PEERCRED; named pipes and TLS fill their own fields later. Authorization (root or
// an admin group is admin) is decided from this in later issues, never from anything the client says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace silo::api {

struct PeerIdentity {
  std::string transport;  // "unix", later "npipe", "tls"
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
  std::optional<std::int32_t> pid;

  // "unix uid=1000 gid=1000 pid=4242", for the access log.
  std::string describe() const;
};

}  // namespace silo::api
