#include "core/engine/hostprocess/launch_plan.h"

#include <unistd.h>

#include <algorithm>
#include <system_error>

namespace silo::engine::hostprocess {

Result<platform::UserAccount> container_account(const LaunchRequest& request) {
  const std::string& user = request.config.user.empty() ? request.spec.user : request.config.user;
  if (request.config.inherit_user || user.empty()) return platform::current_user();
  return platform::resolve_user(user);
}

Result<std::filesystem::path> rootfs_of(const LaunchRequest& request) {
  if (!request.config.rootfs_location || request.config.rootfs_location->empty()) {
    return make_error(Errc::invalid_argument, "a HostProcess container needs a rootfs location");
  }
  const std::filesystem::path rootfs(*request.config.rootfs_location);
  if (!rootfs.is_absolute()) {
    return make_error(Errc::invalid_argument, "the rootfs location \"" + rootfs.string() + "\" is not an absolute path");
  }
  return rootfs.lexically_normal();
}

Result<std::vector<platform::BindMount>> plan_mounts(const LaunchRequest& request, const std::filesystem::path& rootfs) {
  std::vector<platform::BindMount> mounts;
  for (const auto& mount : request.spec.mounts) {
    std::error_code ec;
    if (mount.source.empty() || mount.source.front() != '/') {
      return make_error(Errc::invalid_argument, "mount source \"" + mount.source + "\" is not an absolute host path");
    }
    if (!std::filesystem::exists(mount.source, ec)) {
      return make_error(Errc::invalid_argument, "mount source \"" + mount.source + "\" does not exist on this host");
    }
    const auto relative = std::filesystem::path(mount.target).lexically_normal().relative_path();
    const auto target = (rootfs / relative).lexically_normal();
    if (relative.empty() || target.string().rfind(rootfs.string() + "/", 0) != 0) {
      return make_error(Errc::invalid_argument, "mount target \"" + mount.target + "\" must name a path below the rootfs");
    }
    mounts.push_back({mount.source, target.string(), mount.read_only});
  }
  return mounts;
}

platform::CgroupLimits limits_of(const ResourceLimits& resources) {
  platform::CgroupLimits limits;
  limits.memory_bytes = resources.memory_bytes;
  limits.pids_max = resources.pids_limit;
  limits.cpu_weight = resources.cpu_weight;
  if (resources.cpu_count) limits.cpu_quota_us = *resources.cpu_count * limits.cpu_period_us;
  if (resources.cpu_percent) {
    const long cpus = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
    limits.cpu_quota_us = std::max<std::int64_t>(1000, *resources.cpu_percent * cpus * limits.cpu_period_us / 100);
  }
  return limits;
}

std::vector<std::string> merge_environment(std::vector<std::string> base, const std::vector<std::string>& overrides) {
  for (const auto& entry : overrides) {
    const auto name = entry.substr(0, entry.find('=') + 1);
    std::erase_if(base, [&](const std::string& existing) { return existing.rfind(name, 0) == 0; });
    base.push_back(entry);
  }
  return base;
}

std::vector<std::string> environment_of(const std::vector<std::string>& spec_env, const platform::UserAccount& account,
                                        const std::filesystem::path& rootfs) {
  std::vector<std::string> env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                  "HOME=" + (account.home.empty() ? std::string("/") : account.home)};
  if (!account.name.empty()) {
    env.push_back("USER=" + account.name);
    env.push_back("LOGNAME=" + account.name);
  }
  env = merge_environment(std::move(env), spec_env);
  return merge_environment(std::move(env), {std::string(kSandboxMountPointVariable) + "=" + rootfs.string()});
}

std::string working_dir_of(const std::string& requested, const std::filesystem::path& rootfs) {
  if (requested.empty()) return rootfs.string();
  const std::filesystem::path dir(requested);
  return dir.is_absolute() ? dir.string() : (rootfs / dir).lexically_normal().string();
}

}  // namespace silo::engine::hostprocess
