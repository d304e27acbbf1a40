// create(), start() and exec(): check everything a start needs, make the folders, links and the
// temporary user; start silo-monitor.exe for the container or an exec and watch it.
#include "core/engine/jobobject/jobobject_backend.h"

#include "core/engine/jobobject/job_monitor_config.h"
#include "core/engine/jobobject/job_plan.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <system_error>

namespace silo::engine::jobobject {

namespace {

// What create() made so far, undone unless the whole create succeeds.
struct CreateRollback {
  std::filesystem::path state_dir;
  std::filesystem::path rootfs;
  std::vector<std::filesystem::path> links;
  std::string temporary_user;
  bool done = false;

  ~CreateRollback() {
    if (done) return;
    std::error_code ec;
    for (const auto& link : links) std::filesystem::remove(link, ec);  // the link, never what it points to
    if (!temporary_user.empty()) (void)delete_temporary_user(temporary_user);
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

Result<void> make_link(const MountLink& link) {
  std::error_code ec;
  std::filesystem::create_directories(link.link.parent_path(), ec);
  DWORD flags = SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE;
  if (link.directory) flags |= SYMBOLIC_LINK_FLAG_DIRECTORY;
  if (!CreateSymbolicLinkW(link.link.c_str(), link.target.c_str(), flags)) {
    return platform::windows::last_win32_error("link " + link.link.string() + " to " + link.target.string());
  }
  return {};
}

bool valid_container_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_')) return false;
  }
  return true;
}

unsigned host_logical_processors() { return GetActiveProcessorCount(ALL_PROCESSOR_GROUPS); }

}  // namespace

Result<BackendHandle> JobObjectBackend::create(const LaunchRequest& request) {
  if (request.spec.command.empty()) return make_error(Errc::invalid_argument, "command: a container needs a command");
  if (!valid_container_id(request.container_id)) {
    return make_error(Errc::invalid_argument, "container id \"" + request.container_id + "\" cannot name a job object");
  }
  // Everything checkable is checked before anything is made.
  const std::string& user = request.config.user.empty() ? request.spec.user : request.config.user;
  auto account = plan_account(user, request.config.inherit_user, request.container_id);
  if (!account) return account.error();
  auto rootfs = rootfs_of(request);
  if (!rootfs) return rootfs.error();
  auto links = plan_mount_links(request, *rootfs);
  if (!links) return links.error();

  CreateRollback rollback;
  auto state_created = make_dir(request.state_dir);
  if (!state_created) return state_created.error();
  if (*state_created) rollback.state_dir = request.state_dir;
  auto rootfs_created = make_dir(*rootfs);
  if (!rootfs_created) return rootfs_created.error();
  if (*rootfs_created) rollback.rootfs = *rootfs;
  JobHandle handle{request.container_id, request.state_dir, *rootfs, *rootfs_created, {}, *account, std::nullopt, std::nullopt};
  for (const auto& link : *links) {
    SILO_TRY(make_link(link));
    rollback.links.push_back(link.link);
    handle.mount_links.push_back(link.link);
  }
  if (account->kind == AccountKind::local_group) {
    SILO_TRY(create_temporary_user(*account));
    rollback.temporary_user = account->temporary_user;
  }
  rollback.done = true;
  return encode_handle(handle);
}

Result<BackendHandle> JobObjectBackend::start(const LaunchRequest& request, const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (handle->monitor && platform::process_alive(*handle->monitor)) {
    return make_error(Errc::conflict, "container " + handle->container_id + " is already running");
  }
  auto token = logon(handle->account);
  if (!token) return token.error();
  // A restart must not see the previous run's exit (or terminate) as its own.
  std::error_code ec;
  std::filesystem::remove(handle->state_dir / monitor::kExitFileName, ec);
  std::filesystem::remove(handle->state_dir / kTerminatedMarkerName, ec);

  JobMonitorConfig config;
  config.container_id = handle->container_id;
  config.state_dir = handle->state_dir;
  config.limits = job_limits_of(request.spec.resources, host_logical_processors());
  config.command_line = command_line_of(request.spec.command);
  config.env = environment_of(request.spec.env, handle->rootfs);
  config.working_dir = working_dir_of(request.spec.working_dir, handle->rootfs);
  config.log = {request.spec.log.max_size_bytes, request.spec.log.max_files};
  SILO_TRY(write_job_config(config));
  auto launched = launch_monitor(options_.monitor_path, config.state_dir / kJobConfigFileName, config.state_dir, token->get(),
                                 options_.start_timeout);
  if (!launched) return launched.error();
  handle->monitor = launched->monitor;
  auto main = platform::identify_process(launched->main_pid);
  handle->main = main ? *main : platform::ProcessIdentity{launched->main_pid, 0};
  SILO_TRY(watcher_->watch({handle->container_id, "", handle->state_dir, *handle->monitor}));
  return encode_handle(*handle);
}

Result<void> JobObjectBackend::exec(const BackendHandle& text, const ExecRequest& request) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->monitor || !platform::process_alive(*handle->monitor)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is not running");
  }
  if (request.command.empty()) return make_error(Errc::invalid_argument, "command: an exec needs a command");
  AccountPlan account = handle->account;
  if (!request.user.empty()) {
    auto planned = plan_account(request.user, false, handle->container_id);
    if (!planned) return planned.error();
    if (planned->kind == AccountKind::local_group && planned->group != handle->account.group) {
      return make_error(Errc::invalid_argument, "an exec can run as the container's group account only, not \"" + request.user + "\"");
    }
    account = *planned;
    account.temporary_user = handle->account.temporary_user;
  }
  auto container = read_job_config(handle->state_dir / kJobConfigFileName);
  if (!container) return container.error();
  auto token = logon(account);
  if (!token) return token.error();
  JobMonitorConfig config = *container;
  config.exec = true;
  config.state_dir = request.state_dir;
  config.command_line = command_line_of(request.command);
  for (const auto& entry : request.env) config.env.push_back(entry);
  if (!request.working_dir.empty()) config.working_dir = working_dir_of(request.working_dir, handle->rootfs);
  std::error_code ec;
  std::filesystem::create_directories(request.state_dir, ec);
  if (ec) return make_error(Errc::internal, "create " + request.state_dir.string() + ": " + ec.message());
  SILO_TRY(write_job_config(config));
  auto launched = launch_monitor(options_.monitor_path, config.state_dir / kJobConfigFileName, config.state_dir, token->get(),
                                 options_.start_timeout);
  if (!launched) return launched.error();
  return watcher_->watch({handle->container_id, request.exec_id, request.state_dir, launched->monitor});
}

}  // namespace silo::engine::jobobject
