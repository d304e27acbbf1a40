// The backend's lifecycle beyond create, start and exec: probe, signals, stats, remove, adopt.
#include "core/engine/jobobject/jobobject_backend.h"

#include "core/engine/jobobject/job_monitor_config.h"
#include "core/engine/jobobject/job_object.h"
#include "core/engine/monitor/monitor_adopt.h"
#include "core/logging.h"
#include "core/platform/atomic_file.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <system_error>

namespace silo::engine::jobobject {

namespace {

constexpr int kSigkill = 9;

bool running(const JobHandle& handle) { return handle.monitor && platform::process_alive(*handle.monitor); }

}  // namespace

std::filesystem::path default_monitor_path() {
  wchar_t buffer[MAX_PATH];
  const DWORD length = GetModuleFileNameW(nullptr, buffer, MAX_PATH);
  if (length == 0 || length == MAX_PATH) return "silo-monitor.exe";
  return std::filesystem::path(std::wstring(buffer, length)).parent_path() / "silo-monitor.exe";
}

JobObjectBackend::JobObjectBackend(JobObjectOptions options)
    : options_(std::move(options)),
      watcher_(std::make_unique<MonitorWatcher>([this](const WatchedMonitor& m, const ExitStatus& s) { deliver(m, s); })) {}

JobObjectBackend::~JobObjectBackend() { watcher_.reset(); }

Availability JobObjectBackend::probe() {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options_.monitor_path, ec)) {
    return {false, "the monitor executable " + options_.monitor_path.string() + " is missing; install silo-monitor.exe next to silod.exe"};
  }
  return {true, ""};
}

void JobObjectBackend::set_exit_sink(ExitSink sink) {
  std::lock_guard lock(sink_mutex_);
  sink_ = std::move(sink);
}

void JobObjectBackend::deliver(const WatchedMonitor& monitor, const ExitStatus& status) {
  ExitSink sink;
  {
    std::lock_guard lock(sink_mutex_);
    sink = sink_;
  }
  if (sink) sink(monitor.container_id, monitor.exec_id, status);
}

Result<void> JobObjectBackend::signal(const BackendHandle& text, int signal) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!running(*handle)) return make_error(Errc::failed_precondition, "container " + handle->container_id + " is not running");
  if (signal == kSigkill) return terminate(text);
  // Windows has no signals: every other one asks the monitor for a graceful stop.
  platform::windows::UniqueHandle event(OpenEventW(EVENT_MODIFY_STATE, FALSE, shutdown_event_name(handle->container_id).c_str()));
  if (!event) return platform::windows::last_win32_error("open the stop event of container " + handle->container_id);
  if (!SetEvent(event.get())) return platform::windows::last_win32_error("set the stop event of container " + handle->container_id);
  return {};
}

Result<void> JobObjectBackend::terminate(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  auto job = JobObject::open(job_name_for(handle->container_id));
  if (!job && job.error().code == Errc::not_found) return {};  // nothing holds the job: nothing runs
  if (!job) return job.error();
  // Tells the monitor the end was a kill, before the kill happens.
  SILO_TRY(platform::write_file_atomically(handle->state_dir / kTerminatedMarkerName, "SIGKILL\n"));
  return job->terminate(1);
}

Result<ContainerStats> JobObjectBackend::stats(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  auto job = JobObject::open(job_name_for(handle->container_id));
  if (!job) {
    if (job.error().code == Errc::not_found) return make_error(Errc::failed_precondition, "container " + handle->container_id + " is not running");
    return job.error();
  }
  auto usage = job->accounting();
  if (!usage) return usage.error();
  ContainerStats stats;
  stats.read_at = clock_.now();
  stats.cpu_usage_ns = usage->cpu_ns;
  stats.memory_usage_bytes = usage->memory_bytes;
  if (usage->memory_limit_bytes != 0) stats.memory_limit_bytes = usage->memory_limit_bytes;
  stats.pids_current = usage->active_processes;
  if (usage->process_limit != 0) stats.pids_limit = usage->process_limit;
  return stats;
}

Result<void> JobObjectBackend::remove(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (running(*handle)) {
    return make_error(Errc::failed_precondition, "container " + handle->container_id + " is still running; stop it first");
  }
  watcher_->forget(handle->container_id);
  // Leftovers (execs whose monitors still hold the job) end with the container.
  if (auto job = JobObject::open(job_name_for(handle->container_id))) SILO_TRY(job->terminate(1));
  if (handle->account.kind == AccountKind::local_group) SILO_TRY(delete_temporary_user(handle->account.temporary_user));
  std::error_code ec;
  // The links first, one by one: removing a link never touches what it points to.
  for (const auto& link : handle->mount_links) std::filesystem::remove(link, ec);
  std::filesystem::remove_all(handle->state_dir, ec);
  if (ec) return make_error(Errc::internal, "remove " + handle->state_dir.string() + ": " + ec.message());
  if (handle->rootfs_created) {
    std::filesystem::remove_all(handle->rootfs, ec);
    if (ec) return make_error(Errc::internal, "remove " + handle->rootfs.string() + ": " + ec.message());
  }
  return {};
}

Result<AdoptOutcome> JobObjectBackend::adopt(const BackendHandle& text) {
  auto handle = decode_handle(text);
  if (!handle) return handle.error();
  if (!handle->monitor) return AdoptOutcome{false, std::nullopt, text};  // created, never started: nothing ran
  // A monitor gone without a record (killed, or the machine rebooted) ended the container with it
  // (KILL_ON_JOB_CLOSE): nothing is left to end.
  return monitor::adopt_monitored({text, handle->state_dir, [&] { return running(*handle); },
                                   [&] { return watcher_->watch({handle->container_id, "", handle->state_dir, *handle->monitor}); },
                                   nullptr});
}

}  // namespace silo::engine::jobobject
