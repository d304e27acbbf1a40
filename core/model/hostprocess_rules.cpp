#include "core/model/hostprocess_rules.h"

#include "core/ids.h"
#include "core/model/hostprocess_annotations.h"
#include "core/model/message_text.h"
#include "core/model/path_shape.h"

namespace silo {
namespace {

using namespace std::string_literals;

const std::string kMarker = std::string(hostprocess::kContainerAnnotation) + "=true";

std::string describe_container(const ContainerSpec& spec, const PlacementContext& context) {
  if (!spec.name.empty()) return "container " + spec.name;
  if (!context.container_id.empty()) return "container " + std::string(ids::shorten(context.container_id));
  return "the container";
}

std::string describe_sandbox(const SandboxSpec& sandbox) {
  return sandbox.name.empty() ? "its sandbox"s : "sandbox " + sandbox.name;
}

Error mismatch(std::string text) {
  return make_error(Errc::failed_precondition, std::move(text));
}

// The annotation is the source of truth; `isolation: hostprocess` only sets it.
Result<bool> requests_hostprocess(const ContainerSpec& spec) {
  auto marked = hostprocess::read_bool("annotations", spec.annotations, hostprocess::kContainerAnnotation);
  if (!marked) return marked.error();
  bool by_isolation = spec.isolation == Isolation::hostprocess;
  if (by_isolation && *marked == false) {
    return message::invalid("isolation \"hostprocess\" contradicts annotations[\"" +
                            std::string(hostprocess::kContainerAnnotation) + "\"] \"false\"; drop one of them");
  }
  return by_isolation || marked->value_or(false);
}

Result<Isolation> effective_isolation(const ContainerSpec& spec, const SandboxSpec& sandbox, bool is_hostprocess,
                                      const std::string& who) {
  bool vm = sandbox.isolation == Isolation::hyperv;
  if (spec.isolation == Isolation::hostprocess && vm) {
    return mismatch(who + " asks for isolation hostprocess, which runs on the host, but " + describe_sandbox(sandbox) +
                    " is hyperv; to run a HostProcess container inside its VM set annotation " + kMarker +
                    " and leave isolation unset or hyperv");
  }
  if (spec.isolation && spec.isolation != Isolation::hostprocess && *spec.isolation != sandbox.isolation) {
    return mismatch(who + " asks for isolation " + std::string(to_string(*spec.isolation)) + " but " +
                    describe_sandbox(sandbox) + " is " + std::string(to_string(sandbox.isolation)) +
                    "; a container takes its sandbox's isolation");
  }
  if (vm) return Isolation::hyperv;
  return is_hostprocess ? Isolation::hostprocess : Isolation::process;
}

Result<void> check_sandbox_accepts(const SandboxSpec& sandbox, bool is_hostprocess, const std::string& who) {
  bool sandbox_marked = is_hostprocess_sandbox(sandbox);
  if (is_hostprocess && !sandbox_marked) {
    return mismatch(who + " is a HostProcess container but " + describe_sandbox(sandbox) + " is not marked " + kMarker +
                    "; create it in a sandbox with that annotation, or without a sandbox to get its own");
  }
  if (!is_hostprocess && sandbox_marked && sandbox.isolation == Isolation::process) {
    return mismatch(describe_sandbox(sandbox) +
                    " is a process-isolated HostProcess sandbox and accepts only "
                    "HostProcess containers; " +
                    who + " is not one (set isolation hostprocess or annotation " + kMarker + ")");
  }
  return {};
}

// The sandbox's inherit-user and rootfs-location reach HostProcess containers (CRI only gives
// them to the pod); a normal container must never inherit the daemon's or SYSTEM's token.
Result<StringMap> merge_annotations(const ContainerSpec& spec, const SandboxSpec& sandbox, bool is_hostprocess,
                                    const std::string& who) {
  StringMap merged = spec.annotations;
  const std::string inherit(hostprocess::kInheritUserAnnotation);
  if (!is_hostprocess) {
    bool vm_hpc_sandbox = sandbox.isolation == Isolation::hyperv && is_hostprocess_sandbox(sandbox);
    if (vm_hpc_sandbox || merged.count(inherit) != 0) merged[inherit] = "false";
    return merged;
  }
  merged[std::string(hostprocess::kContainerAnnotation)] = "true";
  for (std::string_view key : {hostprocess::kInheritUserAnnotation, hostprocess::kRootfsLocationAnnotation}) {
    auto from_sandbox = sandbox.annotations.find(std::string(key));
    if (from_sandbox == sandbox.annotations.end()) continue;
    auto [own, inserted] = merged.emplace(std::string(key), from_sandbox->second);
    if (!inserted && own->second != from_sandbox->second) {
      return mismatch(who + " sets annotations[\"" + std::string(key) + "\"] " + message::quoted(own->second) +
                      " but " + describe_sandbox(sandbox) + " sets " + message::quoted(from_sandbox->second) +
                      "; leave it to the sandbox or give the same value");
    }
  }
  return merged;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// inherit-user replaces the user; a different explicit user would be silently ignored by
// hcsshim, so silo refuses the combination instead.
Result<std::string> effective_user(const ContainerSpec& spec, bool inherit_user, Isolation isolation,
                                   const std::string& who) {
  if (!inherit_user) return spec.user;
  if (isolation == Isolation::hyperv) {
    if (spec.user.empty() || equals_ignoring_case(spec.user, hostprocess::kSystemUser)) {
      return std::string(hostprocess::kSystemUser);
    }
    return message::invalid(who + " sets user " + message::quoted(spec.user) + " but inherits the user (" +
                            std::string(hostprocess::kInheritUserAnnotation) + "=true), which runs it as " +
                            std::string(hostprocess::kSystemUser) + " inside the VM; drop one of them");
  }
  if (spec.user.empty()) return std::string();
  return message::invalid(who + " sets user " + message::quoted(spec.user) + " but inherits the user (" +
                          std::string(hostprocess::kInheritUserAnnotation) +
                          "=true), which runs it as the daemon's own account; drop one of them");
}

// hcsshim refuses named pipe mounts for job containers; the host's pipes are reachable anyway.
Result<void> check_hostprocess_mounts(const ContainerSpec& spec, const std::string& who) {
  for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
    if (path_shape::is_named_pipe(spec.mounts[i].source)) {
      return message::invalid("mounts[" + std::to_string(i) + "]: " + who +
                              " is a HostProcess container, which cannot mount named pipes; it reaches " +
                              message::quoted(spec.mounts[i].source) + " on the host directly");
    }
  }
  return {};
}

}  // namespace

Result<SandboxSpec> implicit_sandbox_for(const ContainerSpec& container) {
  auto is_hostprocess = requests_hostprocess(container);
  if (!is_hostprocess) return is_hostprocess.error();
  SandboxSpec sandbox;
  sandbox.isolation = container.isolation == Isolation::hyperv ? Isolation::hyperv : Isolation::process;
  if (*is_hostprocess) sandbox.annotations[std::string(hostprocess::kContainerAnnotation)] = "true";
  return sandbox;
}

Result<EffectiveContainerConfig> resolve_container_config(const ContainerSpec& container,
                                                          const std::optional<SandboxSpec>& sandbox_given,
                                                          const PlacementContext& context) {
  const std::string who = describe_container(container, context);
  auto is_hostprocess = requests_hostprocess(container);
  if (!is_hostprocess) return is_hostprocess.error();
  auto implicit = sandbox_given ? Result<SandboxSpec>(*sandbox_given) : implicit_sandbox_for(container);
  if (!implicit) return implicit.error();
  const SandboxSpec& sandbox = *implicit;

  EffectiveContainerConfig config;
  config.hostprocess = *is_hostprocess;
  auto isolation = effective_isolation(container, sandbox, config.hostprocess, who);
  if (!isolation) return isolation.error();
  config.isolation = *isolation;
  SILO_TRY(check_sandbox_accepts(sandbox, config.hostprocess, who));
  auto annotations = merge_annotations(container, sandbox, config.hostprocess, who);
  if (!annotations) return annotations.error();
  config.annotations = std::move(*annotations);
  auto inherit = hostprocess::read_bool("annotations", config.annotations, hostprocess::kInheritUserAnnotation);
  if (!inherit) return inherit.error();
  config.inherit_user = config.hostprocess && inherit->value_or(false);
  auto user = effective_user(container, config.inherit_user, config.isolation, who);
  if (!user) return user.error();
  config.user = std::move(*user);
  if (!config.hostprocess) return config;
  SILO_TRY(check_hostprocess_mounts(container, who));
  auto rootfs = hostprocess_rootfs_location(config.annotations, context);
  if (!rootfs) return rootfs.error();
  config.rootfs_location = std::move(*rootfs);
  return config;
}

}  // namespace silo
