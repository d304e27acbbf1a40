// The backend's lifecycle beyond create and start: probe, signals, stats, remove, adopt.
#include "core/engine/runc/runc_backend.h"

#include "core/engine/monitor/monitor_adopt.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/engine/runc/overlay_mount.h"
#include "core/logging.h"
#include "core/platform/cgroup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <system_error>

namespace silo::engine::runc {

namespace {

std::filesystem::path find_in_path(const std::filesystem::path& name) {
  if (name.has_parent_path()) return name;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir) / name;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return name;
}

std::string missing_helper(const std::filesystem::path& path, const char* what) {
  return std::string("the ") + what + " executable " + path.string() + " is missing or not executable; install it next to silod";
}

}  // namespace

std::filesystem::path default_holder_path() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("silo-sandbox-holder") : self.parent_path() / "silo-sandbox-holder";
}

RuncBackend::RuncBackend(RuncOptions options)
    : options_(std::move(options)),
      state_root_(options_.data_root / "runc" / "state"),
      holders_(options_.data_root / "runc" / "sandboxes", options_.holder_path, options_.start_timeout),
      watcher_(std::make_unique<hostprocess::ExitWatcher>(
          [this](const hostprocess::WatchedMonitor& m, const ExitStatus& s) { deliver(m, s); })) {}

RuncBackend::~RuncBackend() { watcher_.reset(); }

Result<std::filesystem::path> RuncBackend::runc_binary() {
  const auto binary = find_in_path(options_.runc_path);
  if (::access(binary.c_str(), X_OK) != 0) {
    return make_error(Errc::unavailable, "runc was not found at \"" + options_.runc_path.string() +
                                             "\" (searched PATH for a bare name); install it (Debian: apt-get install runc) "
                                             "or point the runc-path setting at it");
  }
  return binary;
}

Result<RuncInvocation> RuncBackend::invocation() {
  auto binary = runc_binary();
  if (!binary) return binary.error();
  return RuncInvocation{*binary, state_root_};
}

Availability RuncBackend::probe() {
  if (::geteuid() != 0) return {false, "process isolation needs silod to run as root (it mounts overlays and runs runc)"};
  auto binary = runc_binary();
  if (!binary) return {false, binary.error().message};
  for (const auto& [path, what] : {std::pair{options_.monitor_path, "silo-monitor"}, {options_.holder_path, "silo-sandbox-holder"}}) {
    if (::access(path.c_str(), X_OK) != 0) return {false, missing_helper(path, what)};
  }
  auto parent = platform::prepare_cgroup_parent(options_.cgroup_parent);
  if (!parent) return {false, parent.error().message};
  std::lock_guard lock(probe_mutex_);
  // `runc --version` and the trial overlay answer the same way until the host changes, so each
  // is asked once per binary (and again after a failure).
  if (probed_runc_ != binary->string()) {
    auto version = run_command({binary->string(), "--version"}, std::chrono::milliseconds(10000));
    if (!version || version->exit_code != 0) {
      return {false, binary->string() + " --version failed (" +
                         (version ? version->err : version.error().message) + "); reinstall runc"};
    }
    probed_runc_ = binary->string();
  }
  if (!overlay_ok_) {
    auto tried = try_overlay(options_.data_root / "runc" / ("probe-" + std::to_string(::getpid())));
    if (!tried) return {false, tried.error().message};
    overlay_ok_ = true;
  }
  return {true, ""};
}

void RuncBackend::set_exit_sink(ExitSink sink) {
  std::lock_guard lock(sink_mutex_);
  sink_ = std::move(sink);
}

void RuncBackend::deliver(const hostprocess::WatchedMonitor& monitor, const ExitStatus& status) {
  ExitSink sink;
  {
    std::lock_guard lock(sink_mutex_);
    sink = sink_;
  }
  if (sink) sink(monitor.container_id, monitor.exec_id, status);
}

Result<void> RuncBackend::signal(const BackendHandle& text, int signal) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->monitor || !platform::process_alive(*handle->monitor)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is not running");
  }
  auto runc = invocation();
  if (!runc) return runc.error();
  auto killed = run_runc(*runc, {"kill", handle->container_id, std::to_string(signal)});
  if (!killed) return killed.error();
  return {};
}

Result<void> RuncBackend::terminate(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  auto runc = invocation();
  if (!runc) return runc.error();
  auto killed = run_runc(*runc, {"kill", "--all", handle->container_id, "KILL"});
  // Nothing left to end: never started, already stopped, or its state deleted.
  if (!killed && handle->monitor && platform::process_alive(*handle->monitor) && platform::cgroup_exists(handle->cgroup)) {
    return platform::kill_cgroup(handle->cgroup);
  }
  return {};
}

Result<ContainerStats> RuncBackend::stats(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  auto usage = platform::read_cgroup_usage(handle->cgroup);
  if (!usage) return usage.error();
  return ContainerStats{clock_.now(),        usage->cpu_ns,       usage->memory_bytes,
                        usage->memory_limit_bytes, usage->pids_current, usage->pids_limit};
}

Result<void> RuncBackend::remove(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (handle->monitor && platform::process_alive(*handle->monitor)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is still running; stop it first");
  }
  watcher_->forget(handle->container_id);
  auto runc = invocation();
  if (runc) {
    auto deleted = run_runc(*runc, {"delete", "--force", handle->container_id});
    if (!deleted && deleted.error().code != Errc::not_found) return deleted.error();
  }
  // runc removes the group it made; without runc (uninstalled since) silo removes it.
  if (platform::cgroup_exists(handle->cgroup)) {
    SILO_TRY(platform::kill_cgroup(handle->cgroup));
    SILO_TRY(platform::remove_cgroup(handle->cgroup));
  }
  SILO_TRY(unmount(handle->rootfs()));
  SILO_TRY(holders_.leave(handle->sandbox_id, handle->container_id));
  std::error_code ec;
  std::filesystem::remove_all(handle->state_dir, ec);
  if (ec) return make_error(Errc::internal, "remove " + handle->state_dir.string() + ": " + ec.message());
  return {};
}

void RuncBackend::adopt_execs(const RuncHandle& handle) {
  std::error_code ec;
  const auto exec_root = handle.state_dir / "exec";
  if (!std::filesystem::is_directory(exec_root, ec)) return;
  for (const auto& entry : std::filesystem::directory_iterator(exec_root, ec)) {
    auto identity = monitor::read_identity(entry.path());
    if (!identity || !platform::process_alive(*identity)) continue;
    auto watched = watcher_->watch({handle.container_id, entry.path().filename().string(), entry.path(), *identity});
    if (!watched) logging::get("engine")->warn("exec {}: cannot watch again: {}", entry.path().string(), watched.error().message);
  }
}

Result<AdoptOutcome> RuncBackend::adopt(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->monitor) return AdoptOutcome{false, std::nullopt, text};  // created, never started: nothing ran
  return monitor::adopt_monitored({
      text, handle->state_dir, [&] { return platform::process_alive(*handle->monitor); },
      [&]() -> Result<void> {
        SILO_TRY(watcher_->watch({handle->container_id, "", handle->state_dir, *handle->monitor}));
        adopt_execs(*handle);
        return {};
      },
      // Nobody reads the container's output or will record its exit: what runc still runs ends now.
      [&] {
        if (auto runc = invocation()) (void)run_runc(*runc, {"kill", "--all", handle->container_id, "KILL"});
      }});
}

}  // namespace silo::engine::runc
