#include "core/model/host_access.h"

#include "core/model/message_text.h"
#include "core/model/path_shape.h"

namespace silo {
namespace {

std::string roots_text(const HostAccessPolicy& policy) {
  if (policy.operator_mount_roots.empty()) return "operator-mount-roots (none configured)";
  std::string text = "operator-mount-roots (";
  for (std::size_t i = 0; i < policy.operator_mount_roots.size(); ++i) {
    if (i != 0) text += ", ";
    text += policy.operator_mount_roots[i];
  }
  return text + ")";
}

bool under_a_root(const std::string& resolved, const HostAccessPolicy& policy) {
  for (const auto& root : policy.operator_mount_roots) {
    if (path_shape::is_same_or_under(resolved, root)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> mounts_reaching_host(const std::vector<MountSpec>& mounts, const HostAccessPolicy& policy,
                                                const ResolveHostPath& resolve, ReachFor purpose) {
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    const std::string field = "mounts[" + std::to_string(i) + "].source " + message::quoted(mounts[i].source);
    if (path_shape::is_named_pipe(mounts[i].source)) {
      return field + " is a named pipe, a host object outside any container";
    }
    auto resolved = resolve(mounts[i].source);
    if (!resolved && purpose == ReachFor::managing) continue;
    if (!resolved) {
      return field + " cannot be resolved on the host (" + resolved.error().message +
             "), so it is not known to be under " + roots_text(policy);
    }
    if (!under_a_root(*resolved, policy)) {
      return field + " resolves to " + message::quoted(*resolved) + ", outside " + roots_text(policy);
    }
  }
  return std::nullopt;
}

std::optional<std::string> container_reaching_host(bool hostprocess, const ContainerSpec& spec,
                                                   const HostAccessPolicy& policy, const ResolveHostPath& resolve,
                                                   ReachFor purpose) {
  if (hostprocess) return "it is a HostProcess container, which runs with host privileges";
  if (spec.seccomp == SeccompProfile::unconfined) {
    return "seccomp \"unconfined\" runs it without the default system call filter";
  }
  return mounts_reaching_host(spec.mounts, policy, resolve, purpose);
}

Result<void> check_host_access(const Identity& caller, std::string_view action,
                               const std::optional<std::string>& reach) {
  if (!reach || caller.is_admin()) return {};
  return make_error(Errc::permission_denied, "role " + std::string(role_name(caller.role)) + " (" + caller.name +
                                                 ") may not " + std::string(action) + ": " + *reach + "; needs admin");
}

}  // namespace silo
