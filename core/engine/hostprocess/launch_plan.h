// From a LaunchRequest to what the monitor runs: the account, the environment, the working
// directory, the volume mounts and the cgroup limits of a HostProcess container on Linux.
//
// Volume mounts: each mount's source is bind-mounted onto <rootfs>/<target> inside a private
// mount namespace of the container's processes (execs join it), so the host's own view is
// untouched, read-only mounts are enforced, and nothing needs undoing when the container ends.
// create() makes the mount points (an empty directory, or an empty file for a file source).
#pragma once

#include "core/engine/backend.h"
#include "core/platform/cgroup.h"
#include "core/platform/container_process.h"
#include "core/platform/user_account.h"

#include <filesystem>
#include <string>
#include <vector>

namespace silo::engine::hostprocess {

// The name of the environment variable every HostProcess process gets (hcsshim's).
inline constexpr std::string_view kSandboxMountPointVariable = "CONTAINER_SANDBOX_MOUNT_POINT";

// inherit_user or an empty user: the daemon's account; otherwise the named one (invalid_argument
// naming it when unknown).
Result<platform::UserAccount> container_account(const LaunchRequest& request);

// The rootfs location, required for a HostProcess container.
Result<std::filesystem::path> rootfs_of(const LaunchRequest& request);

// Mount sources must exist and targets stay under the rootfs; invalid_argument naming the mount.
Result<std::vector<platform::BindMount>> plan_mounts(const LaunchRequest& request, const std::filesystem::path& rootfs);

platform::CgroupLimits limits_of(const ResourceLimits& resources);

// PATH, HOME, USER, then the spec's env (overriding), then CONTAINER_SANDBOX_MOUNT_POINT.
std::vector<std::string> environment_of(const std::vector<std::string>& spec_env, const platform::UserAccount& account,
                                        const std::filesystem::path& rootfs);

// `overrides` replace entries of `base` with the same name.
std::vector<std::string> merge_environment(std::vector<std::string> base, const std::vector<std::string>& overrides);

// Empty: the rootfs; relative: under the rootfs; absolute: as given.
std::string working_dir_of(const std::string& requested, const std::filesystem::path& rootfs);

}  // namespace silo::engine::hostprocess
