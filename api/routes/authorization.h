// Who a peer is and which role it holds (core/model/identity.h), decided only from what the
// transport vouches for (api/transport/peer.h), never from anything in a request:
//
//   unix   root, or a member of admin-group: admin. A member of operator-group: operator. With no
//          operator-group configured, a member of the socket's group (who could open the 0660
//          socket) is operator. Anyone else: read-only.
//   tls    a tls-roles entry naming the certificate's subject; else the entries naming its subject
//          alternative names (the least of their roles when several match); else the first OU that
//          names a role (admin, operator, read-only); else read-only.
//   npipe  Administrators or SYSTEM: admin. Anyone else the pipe's DACL let in (a configured
//          group): operator.
//   other  (plain TCP on loopback, a peer without credentials): read-only; nothing vouches for it.
//
// The mapping is platform-neutral: group membership comes through a function, so the same rules
// run (and are tested) everywhere; local_groups.h holds the POSIX account-database lookup.
#pragma once

#include "api/transport/peer.h"
#include "core/errors.h"
#include "core/model/identity.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace silo::api {

struct LocalGroup {
  std::uint32_t gid = 0;
  std::string name;  // for messages
};

struct RolePolicy {
  std::optional<LocalGroup> admin_group;     // unset: only root is admin on the socket
  std::optional<LocalGroup> operator_group;  // unset: members of socket_group are operator
  std::optional<LocalGroup> socket_group;    // the group that owns the socket
  // Explicit TLS mappings, in config order: an RFC 2253 subject ("CN=ci,OU=build,O=example") or a
  // subject alternative name with its type ("DNS:ci.example", "IP:192.0.2.7", "URI:spiffe://x").
  std::vector<std::pair<std::string, Role>> tls_roles;
};

// Every group of the account `uid` (primary and supplementary), from wherever the host keeps them.
using GroupsOf = std::function<std::vector<std::uint32_t>(std::uint32_t uid)>;

Identity identity_of(const PeerIdentity& peer, const RolePolicy& policy, const GroupsOf& groups_of);

// The role a TLS peer's certificate maps to under policy (see above).
Role tls_role(const PeerIdentity& peer, const RolePolicy& policy);

// A tls-roles key is a SAN when it starts with a SAN type ("DNS:", "IP:", "URI:", "email:").
bool is_subject_alt_name_key(std::string_view key) noexcept;

// Reads the tls-roles config object {"CN=x,OU=y": "admin", "DNS:ci.example": "operator"};
// invalid_argument naming the entry when a key is empty or a value names no role.
Result<std::vector<std::pair<std::string, Role>>> parse_tls_roles(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace silo::api
