#include "core/engine/jobobject/job_plan.h"

#include "core/engine/hcs/documents/command_line.h"

#include <system_error>

namespace silo::engine::jobobject {

Result<std::filesystem::path> rootfs_of(const LaunchRequest& request) {
  if (!request.config.rootfs_location || request.config.rootfs_location->empty()) {
    return make_error(Errc::invalid_argument, "a HostProcess container needs a rootfs location");
  }
  const std::filesystem::path location(*request.config.rootfs_location);
  if (!location.is_absolute()) {
    return make_error(Errc::invalid_argument, "the rootfs location \"" + location.string() + "\" is not an absolute path");
  }
  return (location / request.container_id).lexically_normal();
}

std::string command_line_of(const std::vector<std::string>& argv) { return hcs::join_command_line(hcs::with_cmd_prefix(argv)); }

std::vector<std::string> environment_of(const std::vector<std::string>& spec_env, const std::filesystem::path& rootfs) {
  std::vector<std::string> env = spec_env;
  env.push_back(std::string(kSandboxMountPointVariable) + "=" + rootfs.string() + "\\");
  return env;
}

std::string working_dir_of(const std::string& requested, const std::filesystem::path& rootfs) {
  if (requested.empty()) return rootfs.string();
  const std::filesystem::path dir(requested);
  return dir.is_absolute() ? dir.string() : (rootfs / dir).lexically_normal().string();
}

Result<std::vector<MountLink>> plan_mount_links(const LaunchRequest& request, const std::filesystem::path& rootfs) {
  std::vector<MountLink> links;
  for (const auto& mount : request.spec.mounts) {
    if (mount.source.rfind("\\\\.\\pipe\\", 0) == 0 || mount.target.rfind("\\\\.\\pipe\\", 0) == 0) {
      return make_error(Errc::invalid_argument, "mount \"" + mount.source + "\": named-pipe mounts need the bind filter, which this backend does not use yet");
    }
    if (mount.read_only) {
      return make_error(Errc::invalid_argument, "mount \"" + mount.source + "\": read-only mounts are not supported by HostProcess "
                                                "containers on job objects (a symbolic link cannot enforce read-only)");
    }
    const std::filesystem::path source(mount.source);
    std::error_code ec;
    if (!source.is_absolute() || !std::filesystem::exists(source, ec)) {
      return make_error(Errc::invalid_argument, "mount source \"" + mount.source + "\" is not an existing absolute host path");
    }
    const auto relative = std::filesystem::path(mount.target).relative_path().lexically_normal();
    const auto link = (rootfs / relative).lexically_normal();
    const auto inside = link.lexically_relative(rootfs);
    if (relative.empty() || inside.empty() || *inside.begin() == "..") {
      return make_error(Errc::invalid_argument, "mount target \"" + mount.target + "\" must name a path below the rootfs");
    }
    links.push_back({link, source, std::filesystem::is_directory(source, ec)});
  }
  return links;
}

}  // namespace silo::engine::jobobject
