#include "core/platform/user_account.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <optional>

namespace silo::platform {

namespace {

std::optional<unsigned> parse_id(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

// getpwnam_r/getpwuid_r with a buffer that grows on ERANGE. nullopt: no such entry.
template <class Lookup>
Result<std::optional<UserAccount>> lookup_passwd(Lookup lookup, std::string_view what) {
  std::vector<char> buffer(4096);
  for (int attempt = 0; attempt < 8; ++attempt) {
    passwd entry{};
    passwd* found = nullptr;
    const int rc = lookup(&entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (rc != 0) return errno_error(Errc::internal, "look up user " + std::string(what), rc);
    if (found == nullptr) return std::optional<UserAccount>{};
    return std::optional<UserAccount>{UserAccount{entry.pw_uid, entry.pw_gid, {}, entry.pw_name, entry.pw_dir}};
  }
  return make_error(Errc::internal, "look up user " + std::string(what) + ": passwd entry too large");
}

Result<std::optional<unsigned>> lookup_group(std::string_view name) {
  std::vector<char> buffer(4096);
  const std::string key(name);
  for (int attempt = 0; attempt < 8; ++attempt) {
    group entry{};
    group* found = nullptr;
    const int rc = ::getgrnam_r(key.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (rc != 0) return errno_error(Errc::internal, "look up group " + key, rc);
    if (found == nullptr) return std::optional<unsigned>{};
    return std::optional<unsigned>{entry.gr_gid};
  }
  return make_error(Errc::internal, "look up group " + key + ": group entry too large");
}

void fill_groups(UserAccount& account) {
  account.groups = {account.gid};
  if (account.name.empty()) return;
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  if (::getgrouplist(account.name.c_str(), account.gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<std::size_t>(count));
    if (::getgrouplist(account.name.c_str(), account.gid, groups.data(), &count) < 0) return;
  }
  account.groups.assign(groups.begin(), groups.begin() + count);
}

Result<UserAccount> resolve_user_part(std::string_view user) {
  if (auto uid = parse_id(user)) {
    auto entry = lookup_passwd([&](passwd* e, char* b, std::size_t n, passwd** f) { return ::getpwuid_r(*uid, e, b, n, f); },
                               user);
    if (!entry) return entry.error();
    // A bare uid need not exist in /etc/passwd (docker accepts it too); it gets gid 0 and no name.
    return entry->value_or(UserAccount{*uid, 0, {}, "", "/"});
  }
  const std::string name(user);
  auto entry = lookup_passwd([&](passwd* e, char* b, std::size_t n, passwd** f) { return ::getpwnam_r(name.c_str(), e, b, n, f); },
                             user);
  if (!entry) return entry.error();
  if (!entry->has_value()) {
    return make_error(Errc::invalid_argument, "user \"" + name + "\" does not exist on this host; name an existing user or a numeric uid");
  }
  return **entry;
}

}  // namespace

Result<UserAccount> resolve_user(std::string_view spec) {
  const auto colon = spec.find(':');
  auto resolved = resolve_user_part(spec.substr(0, colon));
  if (!resolved) return resolved.error();
  // Plain values from here on: GCC 12 -O2 reports false null dereferences through result's operator->.
  UserAccount account = resolved.value();
  fill_groups(account);
  if (colon == std::string_view::npos) return account;
  const auto group_text = spec.substr(colon + 1);
  if (auto gid = parse_id(group_text)) {
    account.gid = *gid;
  } else {
    auto gid_found = lookup_group(group_text);
    if (!gid_found) return gid_found.error();
    auto group_gid = gid_found.value();
    if (!group_gid) {
      return make_error(Errc::invalid_argument, "group \"" + std::string(group_text) + "\" does not exist on this host");
    }
    account.gid = *group_gid;
  }
  // An explicit group replaces the supplementary ones, as docker's user:group does.
  account.groups = {account.gid};
  return account;
}

Result<UserAccount> current_user() {
  const uid_t uid = ::geteuid();
  auto entry = lookup_passwd([&](passwd* e, char* b, std::size_t n, passwd** f) { return ::getpwuid_r(uid, e, b, n, f); },
                             std::to_string(uid));
  if (!entry) return entry.error();
  UserAccount account = entry->value_or(UserAccount{uid, ::getegid(), {}, "", "/"});
  account.gid = ::getegid();
  fill_groups(account);
  return account;
}

}  // namespace silo::platform
