#include "core/engine/runc/container_user.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>
#include <optional>
#include <sstream>

namespace silo::engine::runc {

namespace {

constexpr std::size_t kMaxAccountFileBytes = 4 * 1024 * 1024;

std::optional<unsigned> number(std::string_view text) {
  unsigned value = 0;
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> parts;
  std::istringstream in(line);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  if (!line.empty() && line.back() == ':') parts.emplace_back();
  return parts;
}

// The first line whose field `key_index` equals `key` (name or number), split into fields.
std::optional<std::vector<std::string>> find_entry(const std::string& file, std::size_t key_index, const std::string& key) {
  std::istringstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    auto parts = fields(line);
    if (parts.size() > key_index && parts[key_index] == key) return parts;
  }
  return std::nullopt;
}

std::vector<unsigned> groups_listing(const std::string& group_file, const std::string& user) {
  std::vector<unsigned> gids;
  std::istringstream in(group_file);
  for (std::string line; std::getline(in, line);) {
    auto parts = fields(line);
    if (parts.size() < 4) continue;
    std::istringstream members(parts[3]);
    for (std::string member; std::getline(members, member, ',');) {
      auto gid = number(parts[2]);
      if (member == user && gid) gids.push_back(*gid);
    }
  }
  return gids;
}

Result<void> apply_group(const std::string& rootfs_group, std::string_view group, ContainerUser& user) {
  if (auto gid = number(group)) {
    user.gid = *gid;
    return {};
  }
  auto entry = rootfs_group.empty() ? std::nullopt : find_entry(rootfs_group, 0, std::string(group));
  auto gid = entry && entry->size() > 2 ? number((*entry)[2]) : std::nullopt;
  if (!gid) {
    return make_error(Errc::invalid_argument, "user: group \"" + std::string(group) +
                                                  "\" is not in the container's /etc/group; give a numeric gid");
  }
  user.gid = *gid;
  return {};
}

}  // namespace

Result<std::string> read_container_file(const std::filesystem::path& rootfs, const std::string& path) {
  const int root_fd = ::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return errno_error(Errc::internal, "open " + rootfs.string(), errno);
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const std::string relative = path.substr(path.find_first_not_of('/'));
  const int fd = static_cast<int>(::syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof how));
  const int err = errno;
  ::close(root_fd);
  if (fd < 0) return errno_error(err == ENOENT ? Errc::not_found : Errc::invalid_argument, "the container's " + path, err);
  std::string content;
  char buffer[8192];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0 && content.size() < kMaxAccountFileBytes) {
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (content.size() >= kMaxAccountFileBytes) return make_error(Errc::invalid_argument, "the container's " + path + " is too large");
  return content;
}

Result<ContainerUser> resolve_container_user(const std::filesystem::path& rootfs, std::string_view spec) {
  const auto colon = spec.find(':');
  const std::string name(spec.substr(0, colon));
  const std::string_view group = colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
  auto passwd = read_container_file(rootfs, "/etc/passwd");
  if (!passwd && passwd.error().code != Errc::not_found) return passwd.error();
  const std::string passwd_text = passwd ? *passwd : std::string();
  auto group_file = read_container_file(rootfs, "/etc/group");
  const std::string group_text = group_file ? *group_file : std::string();

  ContainerUser user;
  const auto uid = name.empty() ? std::optional<unsigned>(0) : number(name);
  auto entry = uid ? find_entry(passwd_text, 2, std::to_string(*uid)) : find_entry(passwd_text, 0, name);
  if (!uid && !entry) {
    return make_error(Errc::invalid_argument,
                      "user \"" + name + "\" is not in the container's /etc/passwd" +
                          (passwd ? std::string() : std::string(" (its layers have no /etc/passwd)")) +
                          "; give a numeric uid[:gid] or add the user to the image");
  }
  if (entry && entry->size() >= 4 && number((*entry)[2]) && number((*entry)[3])) {
    user.name = (*entry)[0];
    user.uid = *number((*entry)[2]);
    user.gid = *number((*entry)[3]);
    if (entry->size() >= 6 && !(*entry)[5].empty()) user.home = (*entry)[5];
  } else if (uid) {
    user.uid = *uid;
  } else {
    return make_error(Errc::invalid_argument, "user \"" + name + "\": its line in the container's /etc/passwd is malformed");
  }
  if (!group.empty()) SILO_TRY(apply_group(group_text, group, user));
  if (!user.name.empty()) user.additional_gids = groups_listing(group_text, user.name);
  return user;
}

}  // namespace silo::engine::runc
