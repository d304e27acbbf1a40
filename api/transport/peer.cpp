#include "api/transport/peer.h"

namespace silo::api {

std::string PeerIdentity::describe() const {
  std::string out = transport.empty() ? "unknown" : transport;
  if (uid) out += " uid=" + std::to_string(*uid);
  if (gid) out += " gid=" + std::to_string(*gid);
  if (pid) out += " pid=" + std::to_string(*pid);
  if (!remote_address.empty()) out += " from " + remote_address;
  if (!tls_subject.empty()) out += " subject=\"" + tls_subject + "\"";
  if (!windows_account.empty()) out += " account=" + windows_account;
  return out;
}

}  // namespace silo::api
