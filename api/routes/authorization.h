// Who a peer is, as core decides with it (core/model/identity.h): root, or a member of the
// configured admin group, is admin. Only what the operating system vouches for counts
// (SO_PEERCRED's uid and gid, the user's groups from the account database), never the request.
#pragma once

#include "api/transport/peer.h"
#include "core/errors.h"
#include "core/model/identity.h"

#include <optional>
#include <string>
#include <sys/types.h>

namespace silo::api {

struct AdminPolicy {
  std::optional<gid_t> admin_gid;  // unset: only root is admin
  std::string admin_group;         // its name, for messages
};

// The group must exist; invalid_argument naming it otherwise. Empty name: only root is admin.
Result<AdminPolicy> admin_policy_for_group(const std::string& group_name);

Identity identity_of(const PeerIdentity& peer, const AdminPolicy& policy);

}  // namespace silo::api
