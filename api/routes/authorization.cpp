#include "api/routes/authorization.h"

#include <algorithm>
#include <array>

namespace silo::api {
namespace {

bool in_group(const PeerIdentity& peer, const LocalGroup& group, const GroupsOf& groups_of) {
  if (peer.gid == group.gid) return true;
  if (!peer.uid || !groups_of) return false;
  auto groups = groups_of(*peer.uid);
  return std::find(groups.begin(), groups.end(), group.gid) != groups.end();
}

Identity unix_identity(const PeerIdentity& peer, const RolePolicy& policy, const GroupsOf& groups_of) {
  if (!peer.uid) return {peer.transport + " peer without credentials", Role::read_only};
  Identity identity{"uid " + std::to_string(*peer.uid), Role::read_only};
  if (*peer.uid == 0 || (policy.admin_group && in_group(peer, *policy.admin_group, groups_of))) {
    identity.role = Role::admin;
  } else if (policy.operator_group) {
    // Stricter than docker, where reaching the socket is root-equivalent: with an operator group
    // configured, the socket group alone gives only read access.
    if (in_group(peer, *policy.operator_group, groups_of)) identity.role = Role::operator_;
  } else if (policy.socket_group && in_group(peer, *policy.socket_group, groups_of)) {
    identity.role = Role::operator_;
  }
  return identity;
}

Identity pipe_identity(const PeerIdentity& peer) {
  std::string name = peer.windows_account.empty() ? "npipe peer" : peer.windows_account;
  // The pipe's DACL admits only Administrators, SYSTEM and the configured groups, so a peer that
  // got this far without an admin token is one of those groups.
  return {std::move(name), peer.windows_admin ? Role::admin : Role::operator_};
}

}  // namespace

bool is_subject_alt_name_key(std::string_view key) noexcept {
  constexpr std::array kTypes{"DNS:", "IP:", "URI:", "email:"};
  return std::any_of(kTypes.begin(), kTypes.end(), [key](std::string_view type) { return key.starts_with(type); });
}

Role tls_role(const PeerIdentity& peer, const RolePolicy& policy) {
  for (const auto& [key, role] : policy.tls_roles) {
    if (!is_subject_alt_name_key(key) && key == peer.tls_subject) return role;
  }
  // Several SANs of one certificate may be mapped; the least privilege among them is the answer,
  // so the order of names in a certificate never matters.
  std::optional<Role> by_san;
  for (const auto& [key, role] : policy.tls_roles) {
    if (!is_subject_alt_name_key(key)) continue;
    if (std::find(peer.tls_subject_alt_names.begin(), peer.tls_subject_alt_names.end(), key) ==
        peer.tls_subject_alt_names.end()) {
      continue;
    }
    if (!by_san || static_cast<int>(role) < static_cast<int>(*by_san)) by_san = role;
  }
  if (by_san) return *by_san;
  for (const auto& unit : peer.tls_organizational_units) {
    if (auto role = parse_role(unit)) return *role;
  }
  return Role::read_only;
}

Identity identity_of(const PeerIdentity& peer, const RolePolicy& policy, const GroupsOf& groups_of) {
  if (peer.transport == "unix") return unix_identity(peer, policy, groups_of);
  if (peer.transport == "npipe") return pipe_identity(peer);
  if (peer.transport == "tls" && !peer.tls_subject.empty()) return {peer.tls_subject, tls_role(peer, policy)};
  std::string name = peer.transport.empty() ? "unknown peer" : peer.transport + " peer";
  if (!peer.remote_address.empty()) name += " " + peer.remote_address;
  return {std::move(name), Role::read_only};
}

Result<std::vector<std::pair<std::string, Role>>> parse_tls_roles(
    const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<std::pair<std::string, Role>> out;
  for (const auto& [key, value] : entries) {
    if (key.empty()) return make_error(Errc::invalid_argument, "tls-roles: an entry has an empty subject or name");
    auto role = parse_role(value);
    if (!role) {
      return make_error(Errc::invalid_argument, "tls-roles: \"" + key + "\" maps to \"" + value +
                                                    "\", which is no role; use admin, operator or read-only");
    }
    out.emplace_back(key, *role);
  }
  return out;
}

}  // namespace silo::api
