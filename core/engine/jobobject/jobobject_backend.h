// The HostProcess backend on Windows, on job objects as hcsshim's jobcontainers: each container
// is the named job JobContainer_<id> (CPU rate or weight, job memory and active-process limits),
// created and held by a silo-monitor.exe that starts the command (prefixed "cmd /c" as hcsshim
// does) suspended, assigns it to the job, resumes it, copies its output into the container log and
// records its exit. The account is silod's own (inherit), an NT AUTHORITY service account, or a
// temporary user in a local group. The rootfs is <rootfs location>\<id> (C:\hpc\<id> by default:
// without the bind filter every container needs its own folder), exported as
// CONTAINER_SANDBOX_MOUNT_POINT with a trailing backslash; volume mounts are symbolic links under
// it (read-only ones are refused: a link cannot enforce them).
//
// Restart safety: the monitor holds the job (KILL_ON_JOB_CLOSE) and the stdio pipes, so silod can
// stop and start again; adopt() finds the monitor by pid + creation time, or reads exit.json.
#pragma once

#include "core/clock.h"
#include "core/engine/backend.h"
#include "core/engine/jobobject/job_handle.h"
#include "core/engine/jobobject/monitor_launch.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

namespace silo::engine::jobobject {

struct JobObjectOptions {
  // silo-monitor.exe; the composition root passes the one installed next to silod.exe.
  std::filesystem::path monitor_path;
  // How long start() and exec() wait for the monitor to report that the process runs.
  std::chrono::milliseconds start_timeout{30000};
};

// <folder of this executable>\silo-monitor.exe.
std::filesystem::path default_monitor_path();

class JobObjectBackend final : public Backend {
 public:
  explicit JobObjectBackend(JobObjectOptions options);
  ~JobObjectBackend() override;

  Isolation isolation() const override { return Isolation::hostprocess; }
  Availability probe() override;
  void set_exit_sink(ExitSink sink) override;
  Result<BackendHandle> create(const LaunchRequest& request) override;
  Result<BackendHandle> start(const LaunchRequest& request, const BackendHandle& handle) override;
  // SIGKILL terminates; any other signal asks for a graceful stop (CTRL_SHUTDOWN_EVENT).
  Result<void> signal(const BackendHandle& handle, int signal) override;
  Result<void> terminate(const BackendHandle& handle) override;
  Result<ContainerStats> stats(const BackendHandle& handle) override;
  Result<void> exec(const BackendHandle& handle, const ExecRequest& request) override;
  Result<void> remove(const BackendHandle& handle) override;
  Result<AdoptOutcome> adopt(const BackendHandle& handle) override;

 private:
  void deliver(const WatchedMonitor& monitor, const ExitStatus& status);

  JobObjectOptions options_;
  SystemClock clock_;
  std::mutex sink_mutex_;
  ExitSink sink_;
  // Last member: its threads call deliver(), so they must stop before the rest is destroyed.
  std::unique_ptr<MonitorWatcher> watcher_;
};

}  // namespace silo::engine::jobobject
