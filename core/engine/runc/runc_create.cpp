// create(): check what can be checked, make the bundle (folders, the overlay root, the sandbox's
// namespaces, config.json); on any failure undo exactly what this call made: no mount, no folder,
// no sandbox membership, and never any runc state (runc only sees the bundle at start).
#include "core/engine/hostprocess/launch_plan.h"
#include "core/engine/runc/container_user.h"
#include "core/engine/runc/oci_spec.h"
#include "core/engine/runc/overlay_mount.h"
#include "core/engine/runc/runc_backend.h"
#include "core/platform/atomic_file.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <system_error>

namespace silo::engine::runc {

namespace {

constexpr std::string_view kDefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// What create() made so far, undone unless the whole create succeeds.
struct CreateRollback {
  SandboxHolders& holders;
  std::string sandbox_id;
  std::string container_id;
  std::filesystem::path state_dir;  // set once this call made it
  bool done = false;

  ~CreateRollback() {
    if (done || state_dir.empty()) return;
    (void)unmount(state_dir / "bundle" / "rootfs");
    (void)holders.leave(sandbox_id, container_id);
    std::error_code ec;
    std::filesystem::remove_all(state_dir, ec);
  }
};

std::string container_cwd(const std::string& requested) {
  if (requested.empty()) return "/";
  return requested.front() == '/' ? requested : "/" + requested;
}

// The sandbox's hostname (services decide it); the container's name when none was given.
std::string hostname_of(const LaunchRequest& request) {
  return request.hostname.empty() ? request.container_name : request.hostname;
}

std::vector<std::string> container_env(const LaunchRequest& request, const ContainerUser& user) {
  std::vector<std::string> env = {std::string(kDefaultPath), "HOSTNAME=" + hostname_of(request), "HOME=" + user.home};
  return hostprocess::merge_environment(std::move(env), request.spec.env);
}

}  // namespace

Result<void> RuncBackend::prepare_bundle(const LaunchRequest& request, const RuncHandle& handle) {
  if (!is_mount_point(handle.rootfs())) {
    auto chain = options_.layers(*request.spec.layer);
    if (!chain) return chain.error();
    SILO_TRY(mount_overlay({*chain, handle.upper(), handle.work(), handle.rootfs()}));
  }
  auto user = resolve_container_user(handle.rootfs(), request.config.user);
  if (!user) return user.error();
  auto namespaces = holders_.join(request.sandbox_id, hostname_of(request), request.container_id);
  if (!namespaces) return namespaces.error();
  BundleSettings settings;
  settings.rootfs = handle.rootfs();
  settings.args = request.spec.command;
  settings.env = container_env(request, *user);
  settings.cwd = container_cwd(request.spec.working_dir);
  settings.uid = user->uid;
  settings.gid = user->gid;
  settings.additional_gids = user->additional_gids;
  settings.cgroups_path = handle.cgroups_path;
  settings.resources = request.spec.resources;
  settings.mounts = request.spec.mounts;
  settings.sandbox = *namespaces;
  settings.seccomp = request.spec.seccomp == SeccompProfile::default_profile;
  settings.online_cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (rlimit files{}; ::getrlimit(RLIMIT_NOFILE, &files) == 0) settings.nofile_hard = files.rlim_max;
  return platform::write_file_atomically(handle.bundle() / "config.json", build_oci_config(settings).dump(2));
}

Result<BackendHandle> RuncBackend::create(const LaunchRequest& request) {
  if (request.spec.command.empty()) return make_error(Errc::invalid_argument, "command: a container needs a command");
  if (request.container_id.empty() || request.container_id.find('/') != std::string::npos || request.container_id == "..") {
    return make_error(Errc::invalid_argument, "container id \"" + request.container_id + "\" cannot name a runc container");
  }
  if (!request.spec.layer) {
    return make_error(Errc::invalid_argument,
                      "layer: a process-isolated container needs a root file system; import one with POST /v1/layers "
                      "(siloctl layer import) and give its id");
  }
  // Everything checkable without making anything comes first.
  SILO_TRY(invocation());
  auto chain = options_.layers(*request.spec.layer);
  if (!chain) return chain.error();
  auto parent = platform::prepare_cgroup_parent(options_.cgroup_parent);
  if (!parent) return parent.error();
  auto cgroup = container_cgroup(*parent, request.container_id);
  if (!cgroup) return cgroup.error();
  RuncHandle handle{request.container_id, request.sandbox_id, request.state_dir, cgroup->first, cgroup->second, std::nullopt};

  std::error_code ec;
  if (std::filesystem::exists(request.state_dir, ec)) {
    return make_error(Errc::already_exists, "the state folder " + request.state_dir.string() + " already exists");
  }
  CreateRollback rollback{holders_, request.sandbox_id, request.container_id, request.state_dir};
  for (const auto& dir : {handle.upper(), handle.work(), handle.rootfs()}) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(Errc::internal, "create " + dir.string() + ": " + ec.message());
  }
  // Only the owner may look into the upper folder (the container's writes) and the bundle.
  (void)::chmod(request.state_dir.c_str(), 0700);
  SILO_TRY(prepare_bundle(request, handle));
  rollback.done = true;
  return encode_handle(handle);
}

}  // namespace silo::engine::runc
