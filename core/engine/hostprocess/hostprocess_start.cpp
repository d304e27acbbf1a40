// start() and exec(): write the monitor's configuration, start silo-monitor detached, wait for
// its report, and watch it.
#include "core/engine/hostprocess/hostprocess_backend.h"
#include "core/engine/hostprocess/launch_plan.h"
#include "core/engine/monitor/monitor.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/logging.h"
#include "core/platform/process.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <system_error>

namespace silo::engine::hostprocess {

namespace {

// Reads the monitor's one-line report, bounded by `timeout`.
std::string read_report(int fd, std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  std::string line;
  char buffer[512];
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return "error unavailable the monitor did not report within " + std::to_string(timeout.count()) + " ms";
    pollfd polled{fd, POLLIN, 0};
    if (::poll(&polled, 1, static_cast<int>(left)) < 0 && errno != EINTR) break;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n > 0) line.append(buffer, static_cast<std::size_t>(n));
  }
  return line;
}

}  // namespace

Result<platform::Cgroup> HostProcessBackend::monitors_cgroup() {
  auto parent = platform::prepare_cgroup_parent(options_.cgroup_parent);
  if (!parent) return parent.error();
  auto group = parent->child("monitors");
  SILO_TRY(platform::create_cgroup(group, {}));
  return group;
}

Result<std::pair<platform::ProcessIdentity, int>> HostProcessBackend::launch_monitor(const monitor::MonitorConfig& config) {
  SILO_TRY(monitor::write_config(config));
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) return errno_error(Errc::resource_exhausted, "pipe", errno);
  auto spawned = platform::spawn_detached({options_.monitor_path.string(), (config.state_dir / monitor::kConfigFileName).string()},
                                          config.state_dir / monitor::kMonitorOutputFileName, ready[1]);
  ::close(ready[1]);
  const std::string line = spawned ? read_report(ready[0], options_.start_timeout) : std::string();
  ::close(ready[0]);
  if (!spawned) return spawned.error();
  const auto report = monitor::decode_ready(line);
  if (!report.ok) return report.error;
  auto identity = monitor::read_identity(config.state_dir);
  if (!identity) return identity.error();
  return std::make_pair(*identity, report.pid);
}

Result<BackendHandle> HostProcessBackend::start(const LaunchRequest& request, const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (handle->monitor && platform::process_alive(*handle->monitor)) {
    return make_error(Errc::conflict, "container " + handle->container_id + " is already running");
  }
  auto account = container_account(request);
  if (!account) return account.error();
  auto mounts = plan_mounts(request, handle->rootfs);
  if (!mounts) return mounts.error();
  // A restart must not see the previous run's exit as its own.
  std::error_code ec;
  std::filesystem::remove(handle->state_dir / monitor::kExitFileName, ec);

  monitor::MonitorConfig config;
  config.mode = monitor::Mode::container;
  config.state_dir = handle->state_dir;
  config.launch = {request.spec.command, environment_of(request.spec.env, *account, handle->rootfs),
                   working_dir_of(request.spec.working_dir, handle->rootfs), account->uid, account->gid,
                   account->groups, handle->cgroup, *mounts, std::nullopt};
  config.watched_cgroup = handle->cgroup;
  if (auto monitors = monitors_cgroup()) {
    config.monitor_cgroup = *monitors;
  } else {
    logging::get("engine")->warn("container {}: monitor stays in silod's cgroup: {}", handle->container_id, monitors.error().message);
  }
  config.log = {request.spec.log.max_size_bytes, request.spec.log.max_files};
  auto launched = launch_monitor(config);
  if (!launched) return launched.error();
  handle->monitor = launched->first;
  auto main = platform::identify_process(launched->second);
  handle->main = main ? *main : platform::ProcessIdentity{launched->second, 0};
  SILO_TRY(watcher_->watch({handle->container_id, "", handle->state_dir, *handle->monitor}));
  return encode_handle(*handle);
}

Result<void> HostProcessBackend::exec(const BackendHandle& text, const ExecRequest& request) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->main || !platform::process_alive(*handle->main)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is not running");
  }
  auto container = monitor::read_config(handle->state_dir / monitor::kConfigFileName);
  if (!container) return container.error();
  monitor::MonitorConfig config = *container;
  config.mode = monitor::Mode::exec;
  config.state_dir = request.state_dir;
  config.launch.argv = request.command;
  config.launch.env = merge_environment(container->launch.env, request.env);
  if (!request.working_dir.empty()) config.launch.working_dir = working_dir_of(request.working_dir, handle->rootfs);
  if (!request.user.empty()) {
    auto account = platform::resolve_user(request.user);
    if (!account) return account.error();
    config.launch.uid = account->uid;
    config.launch.gid = account->gid;
    config.launch.groups = account->groups;
  }
  // The exec sees the container's volume mounts by joining its mount namespace.
  config.launch.mount_ns_of = container->launch.mounts.empty() ? std::nullopt : handle->main;
  config.launch.mounts.clear();
  std::error_code ec;
  std::filesystem::create_directories(request.state_dir, ec);
  if (ec) return make_error(Errc::internal, "create " + request.state_dir.string() + ": " + ec.message());
  auto launched = launch_monitor(config);
  if (!launched) return launched.error();
  return watcher_->watch({handle->container_id, request.exec_id, request.state_dir, launched->first});
}

}  // namespace silo::engine::hostprocess
