// Where this process sits in the cgroup hierarchies, and the parent group silo creates under it.
#include "core/platform/cgroup.h"
#include "core/platform/posix/cgroup_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

namespace silo::platform {

namespace {

const std::vector<std::string> kV1Controllers = {"memory", "pids", "cpu", "cpuacct"};
const std::vector<std::string> kV2Controllers = {"memory", "pids", "cpu"};

struct CgroupMount {
  std::filesystem::path mount_point;
  std::string root;  // the part of the hierarchy this mount shows
  bool unified = false;
  std::vector<std::string> options;
};

struct OwnPath {
  std::vector<std::string> controllers;  // empty for the unified line "0::"
  std::string path;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

std::vector<CgroupMount> read_mounts() {
  std::vector<CgroupMount> mounts;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    const auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream head(line.substr(0, dash));
    std::istringstream tail(line.substr(dash + 3));
    std::string id, parent, device, root, mount_point, fstype, source, options;
    head >> id >> parent >> device >> root >> mount_point;
    tail >> fstype >> source >> options;
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    mounts.push_back({mount_point, root, fstype == "cgroup2", split(options, ',')});
  }
  return mounts;
}

std::vector<OwnPath> read_own_paths() {
  std::vector<OwnPath> paths;
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    paths.push_back({controllers.empty() ? std::vector<std::string>{} : split(controllers, ','), line.substr(second + 1)});
  }
  return paths;
}

// The directory of `path` (as /proc/self/cgroup names it) under a mount showing `root`.
std::filesystem::path own_dir(const CgroupMount& mount, const std::string& path) {
  std::string relative = path;
  if (mount.root != "/" && relative.rfind(mount.root, 0) == 0) relative = relative.substr(mount.root.size());
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  return relative.empty() ? mount.mount_point : mount.mount_point / relative;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::optional<Cgroup> find_v2(const std::vector<CgroupMount>& mounts, const std::vector<OwnPath>& own) {
  auto mount = std::find_if(mounts.begin(), mounts.end(), [](const CgroupMount& m) { return m.unified; });
  auto line = std::find_if(own.begin(), own.end(), [](const OwnPath& p) { return p.controllers.empty(); });
  if (mount == mounts.end() || line == own.end()) return std::nullopt;
  const auto dir = own_dir(*mount, line->path);
  auto available = cgroup_files::read_value(dir / "cgroup.controllers");
  if (!available) return std::nullopt;
  const auto names = split(*available, ' ');
  for (const auto& controller : kV2Controllers) {
    if (!has(names, controller)) return std::nullopt;
  }
  return Cgroup{CgroupVersion::v2, {{"unified", dir}}};
}

Result<Cgroup> find_v1(const std::vector<CgroupMount>& mounts, const std::vector<OwnPath>& own) {
  Cgroup group{CgroupVersion::v1, {}};
  for (const auto& controller : kV1Controllers) {
    auto mount = std::find_if(mounts.begin(), mounts.end(),
                              [&](const CgroupMount& m) { return !m.unified && has(m.options, controller); });
    auto line = std::find_if(own.begin(), own.end(), [&](const OwnPath& p) { return has(p.controllers, controller); });
    if (mount == mounts.end() || line == own.end()) {
      return make_error(Errc::unavailable,
                        "the cgroup controller \"" + controller +
                            "\" is mounted neither in a cgroup v2 hierarchy available to silod nor as cgroup v1 "
                            "(see /proc/self/mountinfo and /proc/self/cgroup); boot with cgroup v2 or mount the v1 "
                            "controller under /sys/fs/cgroup");
    }
    group.dirs[controller] = own_dir(*mount, line->path);
  }
  return group;
}

Result<void> make_dir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) return {};
  return errno_error(Errc::unavailable,
                     "cannot create the cgroup " + dir.string() +
                         " (run silod as root with a writable cgroup file system; in a container, give it its own "
                         "writable cgroup namespace)",
                     errno);
}

std::string enable_list() {
  std::string list;
  for (const auto& controller : kV2Controllers) list += (list.empty() ? "+" : " +") + controller;
  return list;
}

// No internal processes on v2: a group that delegates controllers to children holds no process
// itself. When our own group has processes (ours), they move to the leaf <own>/silod first.
Result<void> delegate_controllers(const std::filesystem::path& own) {
  if (cgroup_files::write_value(own / "cgroup.subtree_control", enable_list())) return {};
  SILO_TRY(make_dir(own / "silod"));
  std::ifstream procs(own / "cgroup.procs");
  for (std::string pid; std::getline(procs, pid);) {
    (void)cgroup_files::write_value(own / "silod" / "cgroup.procs", pid);
  }
  auto enabled = cgroup_files::write_value(own / "cgroup.subtree_control", enable_list());
  if (!enabled) {
    return make_error(Errc::unavailable, "cannot enable the memory, pids and cpu controllers for cgroups under " +
                                             own.string() + ": " + enabled.error().message +
                                             "; give silod a delegated cgroup (systemd Delegate=yes)");
  }
  return {};
}

}  // namespace

Result<Cgroup> prepare_cgroup_parent(const std::string& parent_name) {
  const auto mounts = read_mounts();
  const auto own = read_own_paths();
  if (auto v2 = find_v2(mounts, own)) {
    const auto own_dir_v2 = v2->dir_for("unified");
    SILO_TRY(delegate_controllers(own_dir_v2));
    Cgroup parent = v2->child(parent_name);
    SILO_TRY(make_dir(parent.dir_for("unified")));
    auto enabled = cgroup_files::write_value(parent.dir_for("unified") / "cgroup.subtree_control", enable_list());
    if (!enabled) return make_error(Errc::unavailable, enabled.error().message);
    return parent;
  }
  auto v1 = find_v1(mounts, own);
  if (!v1) return v1.error();
  Cgroup parent = v1->child(parent_name);
  for (const auto& dir : parent.distinct_dirs()) SILO_TRY(make_dir(dir));
  return parent;
}

}  // namespace silo::platform
