// Which parts of a container reach the host beyond what an operator may touch, and the one rule
// that says who may use them: such a container is admin-only, to create and to act on.
//
// Ways a container reaches the host today (docs/security.md has the table and the reasons):
//  - it is a HostProcess container on the host (host privileges, host file system and network);
//  - a bind mount whose source, resolved with every symlink followed, is not the same as or under
//    one of the configured operator-mount-roots (none by default, so every host path needs admin);
//  - a named pipe mount on Windows (a host object such as \\.\pipe\docker_engine);
//  - seccomp "unconfined": no system call filter, so the kernel's whole surface is open to it.
//
// Pure: the caller resolves host paths (resolve_host_path in core/services/host_paths.h) and
// passes the resolver in, so the rule is tested without a file system.
#pragma once

#include "core/errors.h"
#include "core/model/container_spec.h"
#include "core/model/identity.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silo {

struct HostAccessPolicy {
  // Canonical absolute host folders (symlinks resolved when silod read its configuration) under
  // which an operator may bind mount. Empty: only admins may bind mount host paths.
  std::vector<std::string> operator_mount_roots;
};

// A host path as the host resolves it now, every symlink followed; an error when it cannot be.
using ResolveHostPath = std::function<Result<std::string>(const std::string& path)>;

// What the caller is about to do with the container. Running code in it (create, start, restart,
// exec) counts a source that cannot be resolved as outside the roots: what cannot be checked is not
// mounted for an operator. Managing it (stop, kill, remove) mounts nothing, so a source that no
// longer exists reaches nothing, and an operator can still remove a container whose folder is gone.
enum class ReachFor { running, managing };

// Why `mounts` reach the host beyond `policy`, for the first mount that does ("mounts[0].source
// \"/etc\" resolves to \"/etc\", outside operator-mount-roots (none configured)"), or nullopt.
std::optional<std::string> mounts_reaching_host(const std::vector<MountSpec>& mounts, const HostAccessPolicy& policy,
                                                const ResolveHostPath& resolve, ReachFor purpose = ReachFor::running);

// Why a container reaches the host (HostProcess, its mounts, no system call filter), or nullopt.
// `hostprocess`: the container is a HostProcess one (decided by the placement rules).
std::optional<std::string> container_reaching_host(bool hostprocess, const ContainerSpec& spec,
                                                   const HostAccessPolicy& policy, const ResolveHostPath& resolve,
                                                   ReachFor purpose = ReachFor::running);

// permission_denied unless the caller is admin or `reach` is empty:
// "role operator (uid 1000) may not create container web: <reach>; needs admin".
Result<void> check_host_access(const Identity& caller, std::string_view action,
                               const std::optional<std::string>& reach);

}  // namespace silo
