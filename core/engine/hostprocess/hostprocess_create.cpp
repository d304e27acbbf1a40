// create(): check everything a start needs (user, rootfs, mounts, cgroups) and make the folders
// and the cgroup; on any failure undo exactly what this call made.
#include "core/engine/hostprocess/hostprocess_backend.h"
#include "core/engine/hostprocess/launch_plan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <system_error>

namespace silo::engine::hostprocess {

namespace {

// What create() made so far, undone unless the whole create succeeds.
struct CreateRollback {
  std::filesystem::path state_dir;
  std::filesystem::path rootfs;
  std::optional<platform::Cgroup> cgroup;
  bool done = false;

  ~CreateRollback() {
    if (done) return;
    std::error_code ec;
    if (cgroup) (void)platform::remove_cgroup(*cgroup);
    if (!rootfs.empty()) std::filesystem::remove_all(rootfs, ec);
    if (!state_dir.empty()) std::filesystem::remove_all(state_dir, ec);
  }
};

Result<bool> make_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return false;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::internal, "create " + dir.string() + ": " + ec.message());
  return true;
}

// The point a bind mount covers: a directory for a directory source, an empty file otherwise.
Result<void> make_mount_point(const platform::BindMount& mount) {
  std::error_code ec;
  if (std::filesystem::exists(mount.target, ec)) return {};
  std::filesystem::create_directories(std::filesystem::path(mount.target).parent_path(), ec);
  if (std::filesystem::is_directory(mount.source, ec)) {
    std::filesystem::create_directory(mount.target, ec);
  } else {
    const int fd = ::open(mount.target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno_error(Errc::internal, "create mount point " + mount.target, errno);
    ::close(fd);
  }
  if (ec) return make_error(Errc::internal, "create mount point " + mount.target + ": " + ec.message());
  return {};
}

}  // namespace

Result<BackendHandle> HostProcessBackend::create(const LaunchRequest& request) {
  if (request.spec.command.empty()) return make_error(Errc::invalid_argument, "command: a container needs a command");
  if (request.container_id.empty() || request.container_id.find('/') != std::string::npos || request.container_id == "..") {
    return make_error(Errc::invalid_argument, "container id \"" + request.container_id + "\" cannot name a cgroup");
  }
  // Everything checkable is checked before anything is made.
  auto account = container_account(request);
  if (!account) return account.error();
  auto rootfs = rootfs_of(request);
  if (!rootfs) return rootfs.error();
  auto mounts = plan_mounts(request, *rootfs);
  if (!mounts) return mounts.error();
  auto parent = platform::prepare_cgroup_parent(options_.cgroup_parent);
  if (!parent) return parent.error();

  CreateRollback rollback;
  auto state_created = make_dir(request.state_dir);
  if (!state_created) return state_created.error();
  if (*state_created) rollback.state_dir = request.state_dir;
  auto rootfs_created = make_dir(*rootfs);
  if (!rootfs_created) return rootfs_created.error();
  if (*rootfs_created) {
    rollback.rootfs = *rootfs;
    // The container's user owns the root silo made for it; nobody else may look in.
    if (::chown(rootfs->c_str(), account->uid, account->gid) != 0 || ::chmod(rootfs->c_str(), 0700) != 0) {
      return errno_error(Errc::internal, "give " + rootfs->string() + " to uid " + std::to_string(account->uid), errno);
    }
  }
  for (const auto& mount : *mounts) SILO_TRY(make_mount_point(mount));
  HostProcessHandle handle{request.container_id, request.state_dir, *rootfs, *rootfs_created,
                           parent->child(request.container_id), std::nullopt, std::nullopt};
  SILO_TRY(platform::create_cgroup(handle.cgroup, limits_of(request.spec.resources)));
  rollback.cgroup = handle.cgroup;
  rollback.done = true;
  return encode_handle(handle);
}

}  // namespace silo::engine::hostprocess
