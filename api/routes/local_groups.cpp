#include "api/routes/local_groups.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>

namespace silo::api {

Result<LocalGroup> local_group(const std::string& name, std::string_view config_key) {
  std::vector<char> buffer(16384);
  group entry{};
  group* found = nullptr;
  if (name.empty() || ::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return make_error(Errc::invalid_argument, std::string(config_key) + " \"" + name + "\" is not a group on this host");
  }
  return LocalGroup{static_cast<std::uint32_t>(found->gr_gid), name};
}

std::vector<std::uint32_t> account_groups(std::uint32_t uid) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) return {};
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  for (int attempt = 0; attempt < 4; ++attempt) {
    int n = count;
    if (::getgrouplist(found->pw_name, found->pw_gid, groups.data(), &n) >= 0) {
      groups.resize(static_cast<std::size_t>(n));
      return {groups.begin(), groups.end()};
    }
    count = std::max(n, count * 2);
    groups.resize(static_cast<std::size_t>(count));
  }
  return {};
}

}  // namespace silo::api
