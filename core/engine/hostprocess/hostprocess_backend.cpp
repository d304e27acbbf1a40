// The backend's lifecycle beyond create and start: probe, signals, stats, remove, adopt.
#include "core/engine/hostprocess/hostprocess_backend.h"

#include "core/engine/monitor/monitor_adopt.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/logging.h"
#include "core/platform/cgroup.h"

#include <unistd.h>

#include <system_error>

namespace silo::engine::hostprocess {

std::filesystem::path default_monitor_path() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("silo-monitor") : self.parent_path() / "silo-monitor";
}

HostProcessBackend::HostProcessBackend(HostProcessOptions options)
    : options_(std::move(options)),
      watcher_(std::make_unique<ExitWatcher>([this](const WatchedMonitor& m, const ExitStatus& s) { deliver(m, s); })) {}

HostProcessBackend::~HostProcessBackend() { watcher_.reset(); }

Availability HostProcessBackend::probe() {
  if (::access(options_.monitor_path.c_str(), X_OK) != 0) {
    return {false, "the monitor executable " + options_.monitor_path.string() +
                       " is missing or not executable; install silo-monitor next to silod"};
  }
  auto parent = platform::prepare_cgroup_parent(options_.cgroup_parent);
  if (!parent) return {false, parent.error().message};
  return {true, ""};
}

void HostProcessBackend::set_exit_sink(ExitSink sink) {
  std::lock_guard lock(sink_mutex_);
  sink_ = std::move(sink);
}

void HostProcessBackend::deliver(const WatchedMonitor& monitor, const ExitStatus& status) {
  ExitSink sink;
  {
    std::lock_guard lock(sink_mutex_);
    sink = sink_;
  }
  if (sink) sink(monitor.container_id, monitor.exec_id, status);
}

Result<void> HostProcessBackend::signal(const BackendHandle& text, int signal) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->main || !platform::process_alive(*handle->main)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is not running");
  }
  return platform::signal_process_group(handle->main->pid, signal);
}

Result<void> HostProcessBackend::terminate(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  return platform::kill_cgroup(handle->cgroup);
}

Result<ContainerStats> HostProcessBackend::stats(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  auto usage = platform::read_cgroup_usage(handle->cgroup);
  if (!usage) return usage.error();
  return ContainerStats{clock_.now(),        usage->cpu_ns,       usage->memory_bytes,
                        usage->memory_limit_bytes, usage->pids_current, usage->pids_limit};
}

Result<void> HostProcessBackend::remove(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (handle->monitor && platform::process_alive(*handle->monitor)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is still running; stop it first");
  }
  watcher_->forget(handle->container_id);
  // Leftovers (execs, daemons the main process started) end with the container.
  SILO_TRY(platform::kill_cgroup(handle->cgroup));
  SILO_TRY(platform::remove_cgroup(handle->cgroup));
  std::error_code ec;
  std::filesystem::remove_all(handle->state_dir, ec);
  if (ec) return make_error(Errc::internal, "remove " + handle->state_dir.string() + ": " + ec.message());
  if (handle->rootfs_created) {
    std::filesystem::remove_all(handle->rootfs, ec);
    if (ec) return make_error(Errc::internal, "remove " + handle->rootfs.string() + ": " + ec.message());
  }
  return {};
}

void HostProcessBackend::adopt_execs(const HostProcessHandle& handle) {
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

Result<AdoptOutcome> HostProcessBackend::adopt(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->monitor) return AdoptOutcome{false, std::nullopt, text};  // created, never started: nothing ran
  // A monitor gone without a record (killed, or the machine rebooted): the outcome says so, with no time.
  return monitor::adopt_monitored({text, handle->state_dir, [&] { return platform::process_alive(*handle->monitor); },
                                   [&]() -> Result<void> {
                                     SILO_TRY(watcher_->watch({handle->container_id, "", handle->state_dir, *handle->monitor}));
                                     adopt_execs(*handle);
                                     return {};
                                   },
                                   nullptr});
}

}  // namespace silo::engine::hostprocess
