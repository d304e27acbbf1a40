// start() and exec(): silo-monitor runs `runc run` / `runc exec` in the foreground, so it owns the
// container's stdio (the log) and records the exit; silod only watches the monitor.
#include "core/engine/monitor/monitor_config.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/engine/runc/container_user.h"
#include "core/engine/runc/detached_start.h"
#include "core/engine/runc/runc_backend.h"
#include "core/logging.h"

#include <thread>
#include <system_error>

namespace silo::engine::runc {

namespace {

constexpr std::string_view kInitPidFile = "init.pid";

}  // namespace

Result<platform::ProcessIdentity> RuncBackend::launch_monitor(const std::filesystem::path& state_dir,
                                                              std::vector<std::string> argv, const RuncHandle& handle,
                                                              bool exec, const LogOptions& log) {
  monitor::MonitorConfig config;
  config.mode = exec ? monitor::Mode::exec : monitor::Mode::container;
  config.state_dir = state_dir;
  config.launch.argv = std::move(argv);
  config.launch.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  config.launch.working_dir = handle.bundle().string();
  config.watched_cgroup = handle.cgroup;
  // runc reports a container killed by signal N as exit code 128+N; the monitor turns it back.
  config.exit_code_carries_signal = true;
  if (auto parent = platform::prepare_cgroup_parent(options_.cgroup_parent)) {
    auto monitors = parent->child("monitors");
    if (platform::create_cgroup(monitors, {})) config.monitor_cgroup = monitors;
  }
  config.log = {log.max_size_bytes, log.max_files};
  SILO_TRY(monitor::write_config(config));
  auto pid = start_detached({options_.monitor_path.string(), (state_dir / monitor::kConfigFileName).string()},
                            state_dir / monitor::kMonitorOutputFileName, options_.start_timeout);
  if (!pid) return pid.error();
  return monitor::read_identity(state_dir);
}

void RuncBackend::await_created(const RuncHandle& handle, const platform::ProcessIdentity& monitor) {
  constexpr auto kPoll = std::chrono::milliseconds(2);
  const auto rounds = options_.start_timeout / kPoll;
  std::error_code ec;
  for (long round = 0; round < rounds; ++round) {
    if (std::filesystem::exists(handle.state_dir / kInitPidFile, ec) || !platform::process_alive(monitor)) return;
    std::this_thread::sleep_for(kPoll);
  }
  logging::get("engine")->warn("container {}: runc did not create it within {} ms", handle.container_id,
                               options_.start_timeout.count());
}

Result<BackendHandle> RuncBackend::start(const LaunchRequest& request, const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (handle->monitor && platform::process_alive(*handle->monitor)) {
    return make_error(Errc::conflict, "container " + handle->container_id + " is already running");
  }
  auto runc = invocation();
  if (!runc) return runc.error();
  // A restart: the previous run's runc state (kept for its OOM count) and exit go first.
  if (handle->monitor) {
    auto deleted = run_runc(*runc, {"delete", "--force", handle->container_id});
    if (!deleted && deleted.error().code != Errc::not_found) return deleted.error();
  }
  SILO_TRY(prepare_bundle(request, *handle));
  std::error_code ec;
  std::filesystem::remove(handle->state_dir / monitor::kExitFileName, ec);
  std::filesystem::remove(handle->state_dir / kInitPidFile, ec);
  auto argv = runc_argv(*runc, {"run", "--bundle", handle->bundle().string(), "--keep", "--pid-file",
                                (handle->state_dir / kInitPidFile).string(), handle->container_id});
  auto monitor = launch_monitor(handle->state_dir, std::move(argv), *handle, false, request.spec.log);
  if (!monitor) return monitor.error();
  handle->monitor = *monitor;
  await_created(*handle, *monitor);
  SILO_TRY(watcher_->watch({handle->container_id, "", handle->state_dir, *monitor}));
  return encode_handle(*handle);
}

Result<void> RuncBackend::exec(const BackendHandle& text, const ExecRequest& request) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->monitor || !platform::process_alive(*handle->monitor)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is not running");
  }
  auto runc = invocation();
  if (!runc) return runc.error();
  std::vector<std::string> args = {"exec"};
  for (const auto& entry : request.env) args.insert(args.end(), {"--env", entry});
  if (!request.working_dir.empty()) args.insert(args.end(), {"--cwd", request.working_dir});
  if (!request.user.empty()) {
    auto user = resolve_container_user(handle->rootfs(), request.user);
    if (!user) return user.error();
    args.insert(args.end(), {"--user", std::to_string(user->uid) + ":" + std::to_string(user->gid)});
    for (unsigned gid : user->additional_gids) args.insert(args.end(), {"--additional-gids", std::to_string(gid)});
  }
  args.push_back(handle->container_id);
  args.insert(args.end(), request.command.begin(), request.command.end());
  std::error_code ec;
  std::filesystem::create_directories(request.state_dir, ec);
  if (ec) return make_error(Errc::internal, "create " + request.state_dir.string() + ": " + ec.message());
  auto monitor = launch_monitor(request.state_dir, runc_argv(*runc, args), *handle, true, LogOptions{});
  if (!monitor) return monitor.error();
  return watcher_->watch({handle->container_id, request.exec_id, request.state_dir, *monitor});
}

}  // namespace silo::engine::runc
