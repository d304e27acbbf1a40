// The user a process-isolated container runs as, resolved in the container's own /etc/passwd and
// /etc/group (never the host's), as Docker does: "" (root), "name", "uid", "uid:gid",
// "name:group". The files are opened with openat2(RESOLVE_IN_ROOT), so a symlink in the layer
// cannot make silod read a host file, and read up to a bound.
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace silo::engine::runc {

struct ContainerUser {
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> additional_gids;  // groups in /etc/group that list the user by name
  std::string name;                       // empty for a uid without a passwd entry
  std::string home = "/";
};

// invalid_argument naming the user or group when a name is not found (or the container has no
// /etc/passwd to look it up in).
Result<ContainerUser> resolve_container_user(const std::filesystem::path& rootfs, std::string_view spec);

// A file of the container, read with its root as "/"; not_found when absent.
Result<std::string> read_container_file(const std::filesystem::path& rootfs, const std::string& path);

}  // namespace silo::engine::runc
