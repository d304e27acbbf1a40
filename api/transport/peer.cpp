#include "api/transport/peer.h"

namespace silo::api {

std::string PeerIdentity::describe() const {
  std::string out = transport.empty() ? "unknown" : transport;
  if (uid) out += " uid=" + std::to_string(*uid);
  if (gid) out += " gid=" + std::to_string(*gid);
  if (pid) out += " pid=" + std::to_string(*pid);
  return out;
}

}  // namespace silo::api
