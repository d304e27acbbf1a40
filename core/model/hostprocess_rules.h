// Where a container runs and with which privileges, decided from its spec and its sandbox's spec,
// following hcsshim (cmd/containerd-shim-runhcs-v1/pod.go, PR #2531) and Kubernetes HostProcess
// pods. Pure functions: the platform and data root are passed in, nothing is read from the host.
//
// The rules, in the order they are applied:
//  - `isolation: hostprocess` is shorthand for annotation microsoft.com/hostprocess-container=true
//    in a process sandbox; it cannot join a hyperv sandbox (use the annotation there).
//  - a HostProcess container needs a sandbox marked with that annotation (as in Kubernetes, and
//    hcsshim before it relaxed the rule for hyperv pods in d209636);
//  - a process-isolated HostProcess sandbox accepts only HostProcess containers; a hyperv one
//    also accepts normal containers;
//  - the sandbox's inherit-user and rootfs-location annotations pass to its HostProcess
//    containers only; a normal container never keeps inherit-user other than "false";
//  - inherit-user on a HostProcess container runs it as NT AUTHORITY\SYSTEM inside a hyperv
//    sandbox, and as the daemon's own account on the host;
//  - the rootfs location defaults to C:\hpc on Windows and <data-root>/hostprocess/<id> on Linux.
#pragma once

#include "core/errors.h"
#include "core/model/container_spec.h"
#include "core/model/sandbox_spec.h"

#include <optional>
#include <string>

namespace silo {

enum class HostPlatform { posix, windows };

// The platform this build runs on; the rules take the platform as data so both are tested anywhere.
#ifdef _WIN32
inline constexpr HostPlatform kBuildPlatform = HostPlatform::windows;
#else
inline constexpr HostPlatform kBuildPlatform = HostPlatform::posix;
#endif

struct PlacementContext {
  HostPlatform platform = HostPlatform::posix;
  std::string data_root;     // the daemon's data directory (Linux rootfs default lives under it)
  std::string container_id;  // the id the new container gets (the Linux rootfs default ends with it)
};

struct EffectiveContainerConfig {
  // The backend family: process, hyperv (also for a HostProcess container inside the VM) or
  // hostprocess (a HostProcess container on the host).
  Isolation isolation = Isolation::process;
  bool hostprocess = false;
  // True when the container runs as an inherited account instead of `user`: the daemon's own on
  // the host, NT AUTHORITY\SYSTEM inside a VM (then `user` says so).
  bool inherit_user = false;
  std::string user;                            // empty: the backend default (or the daemon's account when inherit_user)
  StringMap annotations;                       // the container's, with the sandbox's merged in
  std::optional<std::string> rootfs_location;  // HostProcess containers only
};

// The sandbox a container created without one gets: hyperv if the container asks for hyperv,
// process otherwise, marked HostProcess exactly when the container is one.
Result<SandboxSpec> implicit_sandbox_for(const ContainerSpec& container);

// Applies the rules above. `sandbox` is the resolved sandbox the container joins, or nullopt for a
// container created without one (then implicit_sandbox_for decides). Contradictions inside the
// spec are invalid_argument; a mismatch with the sandbox is failed_precondition.
Result<EffectiveContainerConfig> resolve_container_config(const ContainerSpec& container,
                                                          const std::optional<SandboxSpec>& sandbox,
                                                          const PlacementContext& context);

// The rootfs location of a HostProcess container: the annotation's value checked for `platform`,
// or the platform default. Exposed for the backends and for tests.
Result<std::string> hostprocess_rootfs_location(const StringMap& annotations, const PlacementContext& context);

}  // namespace silo
