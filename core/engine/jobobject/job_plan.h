// From a LaunchRequest to what the Windows monitor runs: rootfs folder, command line, environment,
// working directory and volume links of a HostProcess container on job objects.
#pragma once

#include "core/engine/backend.h"

#include <filesystem>
#include <string>
#include <vector>

namespace silo::engine::jobobject {

inline constexpr std::string_view kSandboxMountPointVariable = "CONTAINER_SANDBOX_MOUNT_POINT";

// <rootfs location>\<id>: without the bind filter each container needs a folder of its own
// (hcsshim's fallbackRootfsFormat). invalid_argument when the location is missing or relative.
Result<std::filesystem::path> rootfs_of(const LaunchRequest& request);

// argv as one command line (CommandLineToArgvW quoting), with "cmd /c" in front unless argv[0]
// is cmd or cmd.exe already.
std::string command_line_of(const std::vector<std::string>& argv);

// The spec's env with CONTAINER_SANDBOX_MOUNT_POINT=<rootfs>\ (trailing backslash, as hcsshim).
std::vector<std::string> environment_of(const std::vector<std::string>& spec_env, const std::filesystem::path& rootfs);

// Empty: the rootfs; relative: under the rootfs; absolute: as given.
std::string working_dir_of(const std::string& requested, const std::filesystem::path& rootfs);

struct MountLink {
  std::filesystem::path link;    // under the rootfs
  std::filesystem::path target;  // the host path
  bool directory = true;
};

// Each mount as a symbolic link <rootfs>\<target without drive> -> source. Sources must exist;
// read-only and named-pipe mounts are invalid_argument (a link cannot enforce read-only, and
// pipes need the bind filter).
Result<std::vector<MountLink>> plan_mount_links(const LaunchRequest& request, const std::filesystem::path& rootfs);

}  // namespace silo::engine::jobobject
