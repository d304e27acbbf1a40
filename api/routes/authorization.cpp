#include "api/routes/authorization.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace silo::api {
namespace {

// All groups of the account `uid` (primary and supplementary), from the account database.
std::vector<gid_t> groups_of(uid_t uid) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) return {};
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  for (int attempt = 0; attempt < 4; ++attempt) {
    int n = count;
    if (::getgrouplist(found->pw_name, found->pw_gid, groups.data(), &n) >= 0) {
      groups.resize(static_cast<std::size_t>(n));
      return groups;
    }
    count = std::max(n, count * 2);
    groups.resize(static_cast<std::size_t>(count));
  }
  return {};
}

}  // namespace

Result<AdminPolicy> admin_policy_for_group(const std::string& group_name) {
  AdminPolicy policy;
  if (group_name.empty()) return policy;
  std::vector<char> buffer(16384);
  group entry{};
  group* found = nullptr;
  if (::getgrnam_r(group_name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return make_error(Errc::invalid_argument, "admin-group \"" + group_name + "\" is not a group on this host");
  }
  policy.admin_gid = found->gr_gid;
  policy.admin_group = group_name;
  return policy;
}

Identity identity_of(const PeerIdentity& peer, const AdminPolicy& policy) {
  Identity identity;
  if (!peer.uid) {
    identity.name = peer.transport + " peer without credentials";
    return identity;
  }
  identity.name = "uid " + std::to_string(*peer.uid);
  if (*peer.uid == 0) {
    identity.is_admin = true;
    return identity;
  }
  if (!policy.admin_gid) return identity;
  if (peer.gid == *policy.admin_gid) {
    identity.is_admin = true;
    return identity;
  }
  auto groups = groups_of(static_cast<uid_t>(*peer.uid));
  identity.is_admin = std::find(groups.begin(), groups.end(), *policy.admin_gid) != groups.end();
  return identity;
}

}  // namespace silo::api
