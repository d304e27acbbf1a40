// Who is calling, as core sees it. The transport maps its peer (a Unix socket's uid, a named
// pipe client's token, a TLS client certificate's role) to this; core only decides with it.
#pragma once

#include <string>

namespace silo {

struct Identity {
  std::string name;       // for messages and the audit trail: "uid 1000", "CN=ops-laptop"
  bool is_admin = false;  // may do host-privileged things (create HostProcess containers)
};

}  // namespace silo
